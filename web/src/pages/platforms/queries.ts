import { useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { platformApi } from './api';

export const platformKeys = {
  all: (w: number) => [...qk.ws(w), 'platforms'] as const,
};

export function usePlatforms(w: number) {
  return useQuery({ queryKey: platformKeys.all(w), queryFn: () => platformApi.list(w), staleTime: 60_000 });
}
