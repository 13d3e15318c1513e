import { qk } from '../../api/queries';

export const meKeys = {
  sessions: [...qk.me, 'sessions'] as const,
  tokens: [...qk.me, 'tokens'] as const,
};
