import { accountKeys } from '../accounts/queries';
import { contentKeys } from '../content/queries';

/**
 * The landing page's reads, kept under the keys of the capabilities they read, so whatever
 * refreshes the board or the accounts (a write, a streamed change) refreshes these too.
 */
export const homeKeys = {
  board: (w: number, q: Record<string, string | number | boolean>) => [...contentKeys.board(w), 'home', q] as const,
  accounts: (w: number, q: Record<string, string | number>) => [...accountKeys.all(w), 'home', q] as const,
};
