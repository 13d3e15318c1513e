import { qk } from '../../api/queries';

export const accountKeys = {
  all: (w: number) => [...qk.ws(w), 'accounts'] as const,
  one: (w: number, id: number) => [...qk.ws(w), 'accounts', 'one', id] as const,
  overview: (w: number) => [...qk.ws(w), 'accounts', 'overview'] as const,
};
