import { qk } from '../../api/queries';
import type { FirstPassQuery } from './api';

/** Everything of the content board; its settings and the first-pass report live under `all`. */
export const contentKeys = {
  all: (w: number) => [...qk.ws(w), 'content'] as const,
  board: (w: number) => [...qk.ws(w), 'content', 'board'] as const,
  /** One content item; its reviews, comments, history and publish pack live under it. */
  item: (w: number, id: number) => [...qk.ws(w), 'content', 'item', id] as const,
  firstPass: (w: number, q: FirstPassQuery) => [...qk.ws(w), 'content', 'first-pass', q] as const,
};
