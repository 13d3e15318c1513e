import { qk } from '../../api/queries';

export const eventKeys = {
  all: (w: number) => [...qk.ws(w), 'events'] as const,
};
