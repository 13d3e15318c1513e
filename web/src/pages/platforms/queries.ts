import { queryOptions, useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { platformApi } from './api';

export const platformKeys = {
  all: (w: number) => [...qk.ws(w), 'platforms'] as const,
};

/** The workspace's platforms: one definition for reads and prefetches. */
export const platformsQuery = (w: number) => queryOptions({ queryKey: platformKeys.all(w), queryFn: () => platformApi.list(w), staleTime: 60_000 });

export function usePlatforms(w: number) {
  return useQuery(platformsQuery(w));
}
