import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { contentApi, type FirstPassQuery } from './api';
import { boardQueryParams, type BoardFilters } from './urlState';

/** Everything of the content board; its settings and the first-pass report live under `all`. */
export const contentKeys = {
  all: (w: number) => [...qk.ws(w), 'content'] as const,
  board: (w: number) => [...qk.ws(w), 'content', 'board'] as const,
  /** One content item; its reviews, comments, history and publish pack live under it. */
  item: (w: number, id: number) => [...qk.ws(w), 'content', 'item', id] as const,
  firstPass: (w: number, q: FirstPassQuery) => [...qk.ws(w), 'content', 'first-pass', q] as const,
};

/** How many campaigns the board's selects and card labels know: the newest 200. */
export const CAMPAIGNS_SHOWN = { limit: 200 };

/** The account picker's first page before anything is typed: active accounts, 50. */
export const ACCOUNT_PICKS = { status: 'active' as const, limit: 50 };

/** Cards per column the board asks for. */
export const COLUMN_LIMIT = 200;

/** The board as filtered (filters from the address bar). */
export function boardQuery(w: number, filters: BoardFilters) {
  const params = boardQueryParams(filters, COLUMN_LIMIT);
  return queryOptions({
    queryKey: [...contentKeys.board(w), params],
    queryFn: () => contentApi.board(w, params),
    placeholderData: keepPreviousData,
    // A board just fetched (the app's first prefetch) is not fetched again as the page mounts;
    // every change still arrives at once (writes and the event stream invalidate it).
    staleTime: 5_000,
  });
}
