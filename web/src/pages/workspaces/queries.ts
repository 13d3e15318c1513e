import { useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { workspaceApi } from './api';

export const workspaceKeys = {
  one: (w: number) => [...qk.ws(w), 'workspace'] as const,
};

export function useWorkspace(w: number) {
  return useQuery({ queryKey: workspaceKeys.one(w), queryFn: () => workspaceApi.get(w) });
}
