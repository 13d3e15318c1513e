// The server decides what a member may do and says so (`allowed` on every item and on the board);
// the UI shows exactly that. Nothing here is a rule: only how to read what the server sent.
import type { BoardAllowed, ContentCard, ItemAction, ItemAllowed, Stage } from '../../api/types';

/** Whether the server offers this step on the item. */
export function offers(allowed: ItemAllowed, action: ItemAction): boolean {
  return allowed.actions.includes(action);
}

/**
 * The columns a board card may be dragged to (its own column: reordering). The board sends one
 * entry per column and kind of card (with or without an account, owned by the member or not),
 * so its cards stay the same for everyone; a kind it does not list may go nowhere.
 */
export function cardMoves(allowed: BoardAllowed, card: Pick<ContentCard, 'stage' | 'account_id'>): readonly Stage[] {
  const account = card.account_id ?? null;
  const owns = account !== null && allowed.own_accounts.includes(account);
  const entry = allowed.moves.find((m) => m.stage === card.stage && m.has_account === (account !== null) && m.owns === owns);
  return entry?.to ?? [];
}

/**
 * Whether dropping this card on `stage` asks for the accounts to write drafts for (生成稿件)
 * instead of moving it: a topic without an account dropped on 稿件, by a member the server lets
 * make drafts from topics.
 */
export function dropMakesDrafts(allowed: BoardAllowed, card: Pick<ContentCard, 'stage' | 'account_id'>, stage: Stage): boolean {
  return card.stage === 'topic' && stage === 'draft' && (card.account_id ?? null) === null && allowed.drafts_from_topics;
}
