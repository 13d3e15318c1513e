import { queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { accountApi, type AccountQuery } from './api';

export const accountKeys = {
  all: (w: number) => [...qk.ws(w), 'accounts'] as const,
  one: (w: number, id: number) => [...qk.ws(w), 'accounts', 'one', id] as const,
  overview: (w: number) => [...qk.ws(w), 'accounts', 'overview'] as const,
};

/**
 * A page of the account list. Fresh for a few seconds: a page that prefetched it does not ask
 * again as it mounts; changes still arrive at once (writes and the event stream invalidate it).
 */
export const accountListQuery = (w: number, params: AccountQuery) =>
  queryOptions({ queryKey: [...accountKeys.all(w), 'list', params], queryFn: () => accountApi.list(w, params), staleTime: 5_000 });
