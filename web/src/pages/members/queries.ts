import { queryOptions, useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { memberApi } from './api';

export const memberKeys = {
  all: (w: number) => [...qk.ws(w), 'members'] as const,
};

/** The workspace's members: one definition for reads and prefetches. */
export const membersQuery = (w: number) => queryOptions({ queryKey: memberKeys.all(w), queryFn: () => memberApi.list(w), staleTime: 60_000 });

export function useMembers(w: number) {
  return useQuery(membersQuery(w));
}
