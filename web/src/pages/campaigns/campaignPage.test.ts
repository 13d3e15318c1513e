import { describe, expect, it } from 'vitest';
import type { BoardColumn, ContentCard, Stage } from '../../api/types';
import { readBoardState } from '../content/urlState';
import { accountRows, boardHref, budgetSplit, cardsOf, firstPassRow, isTruncated, periodDays, stageColumns } from './campaignPage';

let nextId = 1;
function card(stage: Stage, account?: { id: number; handle: string }): ContentCard {
  return {
    id: nextId++,
    stage,
    position: nextId,
    title: `t${nextId}`,
    review_state: 'none',
    closed: false,
    overdue: false,
    tags: [],
    custom: {},
    red_line_hits: 0,
    warnings: 0,
    comments: 0,
    version: 1,
    account_id: account?.id ?? null,
    account_handle: account?.handle ?? null,
    tier: account ? 'KOC' : null,
  } as ContentCard;
}
const column = (stage: Stage, items: ContentCard[], total = items.length): BoardColumn => ({ stage, name: stage, total, items });

describe('campaign page helpers', () => {
  const a = { id: 7, handle: 'alpha' };
  const b = { id: 9, handle: 'beta' };
  const columns = [
    column('topic', [card('topic'), card('topic')]),
    column('draft', [card('draft', a), card('draft', b), card('draft', a)]),
    column('review', [card('review', b)], 3),
    column('cancelled', [card('cancelled', a)]),
  ];

  it('leaves cancelled items out of the stages and the cards', () => {
    expect(stageColumns(columns).map((c) => c.stage)).toEqual(['topic', 'draft', 'review']);
    expect(cardsOf(columns)).toHaveLength(6);
  });

  it('notices a column that sent fewer cards than it holds', () => {
    expect(isTruncated(columns)).toBe(true);
    expect(isTruncated(columns.slice(0, 2))).toBe(false);
  });

  it('counts each account by stage, busiest first, items without an account last', () => {
    const rows = accountRows(columns);
    const cases: [string, number | null, Partial<Record<Stage, number>>, number][] = [
      ['7', 7, { draft: 2 }, 2],
      ['9', 9, { draft: 1, review: 1 }, 2],
      ['none', null, { topic: 2 }, 2],
    ];
    expect(rows.map((r) => [r.key, r.accountId, r.byStage, r.total])).toEqual(cases);
  });

  it('links to the board filtered by the campaign, as the board reads its address', () => {
    const cases: [Parameters<typeof boardHref>[1], ReturnType<typeof readBoardState>][] = [
      [{}, { filters: { campaign: 3 }, lanes: 'none' }],
      [{ item: 42 }, { filters: { campaign: 3 }, lanes: 'none', item: 42 }],
      [{ account: 7 }, { filters: { campaign: 3, account: 7 }, lanes: 'none' }],
    ];
    for (const [opts, state] of cases) {
      const href = boardHref(3, opts);
      expect(href.startsWith('/content?')).toBe(true);
      expect(readBoardState(new URLSearchParams(href.split('?')[1]))).toEqual(state);
    }
  });

  it("picks the campaign's first-pass row by its id", () => {
    const rows = [
      { key: 'none', label: '未指定', reviewed: 1, first_pass: 1, rate: 1 },
      { key: '12', label: 'X', reviewed: 4, first_pass: 3, rate: 0.75 },
    ];
    expect(firstPassRow(rows, 12)?.rate).toBe(0.75);
    expect(firstPassRow(rows, 1)).toBeUndefined();
    expect(firstPassRow(undefined, 12)).toBeUndefined();
  });

  it('splits the budget by tier with shares and what is left unassigned', () => {
    const cases: [Parameters<typeof budgetSplit>[0], ReturnType<typeof budgetSplit>][] = [
      [
        { budget_fen: 1000, budget_by_tier: { KOS: 100, KOL: 600, KOC: 0 } },
        {
          tiers: [
            { tier: 'KOL', fen: 600, share: 0.6 },
            { tier: 'KOS', fen: 100, share: 0.1 },
          ],
          unsplit: 300,
        },
      ],
      [{ budget_fen: 0, budget_by_tier: { KOE: 50 } }, { tiers: [{ tier: 'KOE', fen: 50, share: 0 }], unsplit: 0 }],
      [{ budget_fen: 500, budget_by_tier: {} }, { tiers: [], unsplit: 500 }],
    ];
    for (const [c, want] of cases) expect(budgetSplit(c)).toEqual(want);
  });

  it('counts the days of a period with both ends', () => {
    const cases: [string, string, number][] = [
      ['2026-11-20', '2026-12-31', 42],
      ['2026-03-01', '2026-03-01', 1],
      ['2026-03-28', '2026-03-30', 3],
    ];
    for (const [from, to, days] of cases) expect(periodDays(from, to), `${from}..${to}`).toBe(days);
  });
});
