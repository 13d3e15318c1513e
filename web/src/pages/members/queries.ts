import { useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { memberApi } from './api';

export const memberKeys = {
  all: (w: number) => [...qk.ws(w), 'members'] as const,
};

export function useMembers(w: number) {
  return useQuery({ queryKey: memberKeys.all(w), queryFn: () => memberApi.list(w), staleTime: 60_000 });
}
