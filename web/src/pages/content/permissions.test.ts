import { describe, expect, it } from 'vitest';
import type { BoardAllowed, ItemAllowed } from '../../api/types';
import { cardMoves, dropMakesDrafts, offers } from './permissions';

// The table a director's board gets with "review required", as the server builds it: every column
// and kind of card. Operators' boards list their own accounts and grant moves only for owned cards.
const director: BoardAllowed = {
  create_stage: 'topic',
  own_accounts: [],
  drafts_from_topics: true,
  moves: [
    { stage: 'topic', owns: false, has_account: false, to: ['topic', 'cancelled'] },
    { stage: 'topic', owns: false, has_account: true, to: ['topic', 'draft', 'cancelled'] },
    { stage: 'draft', owns: false, has_account: true, to: ['topic', 'draft', 'review', 'cancelled'] },
    { stage: 'publish', owns: false, has_account: true, to: ['draft', 'publish', 'cancelled'] },
    { stage: 'retro', owns: false, has_account: true, to: ['retro'] },
  ],
};
const operator: BoardAllowed = {
  create_stage: 'draft',
  own_accounts: [7],
  drafts_from_topics: true,
  moves: [
    { stage: 'draft', owns: false, has_account: false, to: [] },
    { stage: 'draft', owns: false, has_account: true, to: [] },
    { stage: 'draft', owns: true, has_account: true, to: ['topic', 'draft', 'review', 'cancelled'] },
  ],
};

describe('cardMoves', () => {
  it('reads the entry of the card’s column and whether it has an account', () => {
    expect(cardMoves(director, { stage: 'topic', account_id: 3 })).toEqual(['topic', 'draft', 'cancelled']);
    expect(cardMoves(director, { stage: 'topic', account_id: null })).toEqual(['topic', 'cancelled']);
    expect(cardMoves(director, { stage: 'topic' })).toEqual(['topic', 'cancelled']);
  });

  it('gives a retro card no drop target but its own column', () => {
    expect(cardMoves(director, { stage: 'retro', account_id: 3 })).toEqual(['retro']);
  });

  it('gives a card whose account the operator does not own no drop target', () => {
    expect(cardMoves(operator, { stage: 'draft', account_id: 8 })).toEqual([]);
    expect(cardMoves(operator, { stage: 'draft', account_id: null })).toEqual([]);
    expect(cardMoves(operator, { stage: 'draft', account_id: 7 })).toEqual(['topic', 'draft', 'review', 'cancelled']);
  });

  it('gives a kind of card the board does not list no drop target', () => {
    expect(cardMoves(operator, { stage: 'review', account_id: 7 })).toEqual([]);
    expect(cardMoves({ create_stage: null, own_accounts: [], moves: [], drafts_from_topics: false }, { stage: 'draft', account_id: 7 })).toEqual([]);
  });
});

describe('dropMakesDrafts', () => {
  it('turns a topic without an account dropped on 稿件 into the drafts picker, for members who may make drafts', () => {
    expect(dropMakesDrafts(operator, { stage: 'topic', account_id: null }, 'draft')).toBe(true);
    expect(dropMakesDrafts(director, { stage: 'topic' }, 'draft')).toBe(true);
    expect(dropMakesDrafts(director, { stage: 'topic', account_id: 3 }, 'draft')).toBe(false);
    expect(dropMakesDrafts(director, { stage: 'topic', account_id: null }, 'cancelled')).toBe(false);
    expect(dropMakesDrafts({ ...operator, drafts_from_topics: false }, { stage: 'topic', account_id: null }, 'draft')).toBe(false);
  });
});

describe('offers', () => {
  it('offers exactly the steps the server listed', () => {
    const review: ItemAllowed = { actions: ['withdraw', 'approve', 'reject', 'comment'], moves: ['draft', 'review'], content_locked: true };
    expect(offers(review, 'approve')).toBe(true);
    expect(offers(review, 'override')).toBe(false);
    expect(offers({ actions: [], moves: [], content_locked: false }, 'comment')).toBe(false);
  });
});
