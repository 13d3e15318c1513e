import { describe, expect, it } from 'vitest';
import type { Board, ContentCard, Role, Stage } from '../../api/types';
import { readBoardState } from '../content/urlState';
import {
  boardHref,
  columnCounts,
  dueThisWeek,
  homeBlocks,
  myItems,
  openTotal,
  overdueItems,
  truncated,
  waitingForReview,
  weekOf,
} from './landing';

let nextId = 1;
function card(stage: Stage, over: Partial<ContentCard> = {}): ContentCard {
  return {
    id: nextId++,
    stage,
    position: 1,
    title: `card ${nextId}`,
    review_state: stage === 'review' ? 'pending' : 'none',
    closed: false,
    overdue: false,
    tags: [],
    custom: {},
    red_line_hits: 0,
    warnings: 0,
    comments: 0,
    version: 1,
    ...over,
  };
}

function board(columns: Partial<Record<Stage, { items: ContentCard[]; total?: number }>>): Board {
  const names: Record<Stage, string> = { topic: '选题', draft: '稿件', review: '审核', publish: '发布', retro: '复盘', cancelled: '已取消' };
  return {
    allowed: { own_accounts: [], moves: [], drafts_from_topics: false },
    columns: (Object.keys(columns) as Stage[]).map((stage) => ({
      stage,
      name: names[stage],
      items: columns[stage]!.items,
      total: columns[stage]!.total ?? columns[stage]!.items.length,
    })),
  };
}

describe('homeBlocks', () => {
  it('gives each role its own landing page', () => {
    const cases: [Role, string[]][] = [
      ['admin', ['board', 'decide', 'overdue', 'matrix']],
      ['director', ['board', 'decide', 'overdue', 'matrix']],
      ['editor', ['reviewQueue', 'board']],
      ['planner', ['reviewQueue', 'board']],
      ['operator', ['myItems', 'myAccounts']],
      ['analyst', ['matrix', 'board']],
      ['media', ['matrix', 'board']],
      ['viewer', ['matrix', 'board']],
    ];
    for (const [role, blocks] of cases) expect(homeBlocks(role), role).toEqual(blocks);
  });

  it('shows nobody but operators the accounts table, and only deciders the decisions', () => {
    const roles: Role[] = ['admin', 'director', 'editor', 'planner', 'operator', 'analyst', 'media', 'viewer'];
    expect(roles.filter((r) => homeBlocks(r).includes('myAccounts'))).toEqual(['operator']);
    expect(roles.filter((r) => homeBlocks(r).includes('decide'))).toEqual(['admin', 'director']);
  });
});

describe('column counts', () => {
  it('lists the open columns in SOP order with their totals, never the cancelled one', () => {
    const b = board({
      review: { items: [card('review')], total: 4 },
      topic: { items: [], total: 2 },
      cancelled: { items: [card('cancelled')], total: 9 },
      draft: { items: [card('draft')], total: 1 },
    });
    expect(columnCounts(b)).toEqual([
      { stage: 'topic', name: '选题', total: 2 },
      { stage: 'draft', name: '稿件', total: 1 },
      { stage: 'review', name: '审核', total: 4 },
    ]);
    expect(openTotal(b)).toBe(7);
  });

  it('knows when a column was cut short', () => {
    expect(truncated(board({ topic: { items: [card('topic')], total: 1 } }))).toBe(false);
    expect(truncated(board({ topic: { items: [card('topic')], total: 3 } }))).toBe(true);
    expect(truncated(board({ cancelled: { items: [], total: 3 } }))).toBe(false);
  });
});

describe('weekOf', () => {
  it('runs Monday to Sunday in the workspace zone, not the browser', () => {
    // Sunday 2026-03-01 20:00 UTC is already Monday 2 March in Shanghai.
    const at = new Date('2026-03-01T20:00:00Z');
    expect(weekOf('Asia/Shanghai', at)).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(weekOf('UTC', at)).toEqual({ start: '2026-02-23', end: '2026-03-01' });
    expect(weekOf('America/Los_Angeles', new Date('2026-03-02T07:00:00Z'))).toEqual({ start: '2026-02-23', end: '2026-03-01' });
  });

  it('crosses month and year ends', () => {
    expect(weekOf('UTC', new Date('2026-12-31T12:00:00Z'))).toEqual({ start: '2026-12-28', end: '2027-01-03' });
  });
});

describe('dueThisWeek', () => {
  const week = { start: '2026-03-02', end: '2026-03-08' };

  it('counts open cards due within the week, both ends included', () => {
    const b = board({
      topic: { items: [card('topic', { due_on: '2026-03-02' }), card('topic', { due_on: '2026-03-01' })] },
      publish: { items: [card('publish', { due_on: '2026-03-08' }), card('publish', { due_on: '2026-03-09' }), card('publish')] },
      cancelled: { items: [card('cancelled', { due_on: '2026-03-04' })] },
    });
    expect(dueThisWeek(b, week)).toEqual({ count: 2, partial: false });
  });

  it('says the count is a lower bound when a column was not loaded in full', () => {
    const b = board({ draft: { items: [card('draft', { due_on: '2026-03-03' })], total: 201 } });
    expect(dueThisWeek(b, week)).toEqual({ count: 1, partial: true });
  });
});

describe('waitingForReview', () => {
  it('lists pending review cards oldest first, without the ones assigned to me', () => {
    const [a, b, c, d] = [card('review'), card('review', { assignee_id: 7 }), card('review', { review_state: 'approved' }), card('review')];
    const bd = board({ review: { items: [d, c, b, a] }, draft: { items: [card('draft')] } });
    expect(waitingForReview(bd, 7).map((x) => x.id)).toEqual([a.id, d.id]);
    expect(waitingForReview(bd).map((x) => x.id)).toEqual([a.id, b.id, d.id]);
  });

  it('is empty without a review column', () => {
    expect(waitingForReview(board({ topic: { items: [card('topic')] } }))).toEqual([]);
  });
});

describe('myItems and overdueItems', () => {
  it('puts overdue cards first, then by stage, then by due date', () => {
    const late = card('publish', { overdue: true, due_on: '2026-03-01' });
    const lateTopic = card('topic', { overdue: true, due_on: '2026-03-03' });
    const topicSoon = card('topic', { due_on: '2026-03-10' });
    const topicUndated = card('topic');
    const topicFirst = card('topic', { due_on: '2026-03-05' });
    const review = card('review');
    const b = board({ publish: { items: [late] }, review: { items: [review] }, topic: { items: [topicUndated, topicSoon, lateTopic, topicFirst] } });
    expect(myItems(b).map((c) => c.id)).toEqual([lateTopic.id, late.id, topicFirst.id, topicSoon.id, topicUndated.id, review.id]);
    expect(overdueItems(b).map((c) => c.id)).toEqual([late.id, lateTopic.id]);
  });

  it('leaves cancelled cards out', () => {
    expect(myItems(board({ cancelled: { items: [card('cancelled', { overdue: true })] } }))).toEqual([]);
  });
});

describe('boardHref', () => {
  it('opens the item on the board, the way the board reads it back', () => {
    expect(boardHref({}, 42)).toBe('/content?item=42');
    expect(boardHref()).toBe('/content');
    const href = boardHref({ mine: true }, 5);
    expect(readBoardState(new URLSearchParams(href.split('?')[1]))).toEqual({ filters: { mine: true }, lanes: 'none', item: 5 });
  });
});
