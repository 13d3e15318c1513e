import { qk } from '../../api/queries';

export const campaignKeys = {
  all: (w: number) => [...qk.ws(w), 'campaigns'] as const,
};
