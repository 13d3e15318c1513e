import { describe, expect, it } from 'vitest';
import {
  afterIdForDrop,
  charCount,
  dropIndexAt,
  groupLanes,
  highlightSegments,
  moveOnBoard,
  mentionedIds,
  mentionSegments,
  placeAfter,
  wipState,
} from './board';

describe('highlightSegments', () => {
  it('slices by code points, not UTF-16 units', () => {
    // The emoji is two UTF-16 units but one character; the hit covers 全网最强 at offsets 3..7.
    const text = '😀新品全网最强！';
    const hit = { start: 3, end: 7, phrase: '全网最强' };
    const segs = highlightSegments(text, [hit]);
    expect(segs).toEqual([
      { text: '😀新品', hits: [] },
      { text: '全网最强', hits: [hit] },
      { text: '！', hits: [] },
    ]);
    expect(charCount(text)).toBe(8);
  });

  it('handles a hit at the very start and end and keeps plain text whole', () => {
    const a = { start: 0, end: 2 };
    const b = { start: 4, end: 6 };
    expect(highlightSegments('第一最佳选择', [a, b]).map((s) => [s.text, s.hits.length])).toEqual([
      ['第一', 1],
      ['最佳', 0],
      ['选择', 1],
    ]);
    expect(highlightSegments('无命中', [])).toEqual([{ text: '无命中', hits: [] }]);
    expect(highlightSegments('', [a])).toEqual([]);
  });

  it('splits overlapping hits and clips out-of-range offsets', () => {
    const a = { start: 0, end: 3 };
    const b = { start: 2, end: 10 };
    expect(highlightSegments('国家级最高', [a, b]).map((s) => [s.text, s.hits.length])).toEqual([
      ['国家', 1],
      ['级', 2],
      ['最高', 1],
    ]);
    expect(highlightSegments('abc', [{ start: 5, end: 9 }])).toEqual([{ text: 'abc', hits: [] }]);
  });
});

describe('afterIdForDrop', () => {
  it('names the card above the drop point in another column, null at the top', () => {
    expect(afterIdForDrop([10, 11, 12], 0, 99, false)).toBeNull();
    expect(afterIdForDrop([10, 11, 12], 2, 99, false)).toBe(11);
    expect(afterIdForDrop([10, 11, 12], 3, 99, false)).toBe(12);
    expect(afterIdForDrop([], 0, 99, false)).toBeNull();
    expect(afterIdForDrop([10], 7, 99, false)).toBe(10);
  });

  it('skips the moved card itself when reordering within a column', () => {
    // [10, 11, 12, 13]: drag 11 below 12 → after 12; drag 13 to the top → null; drag 10 below 13 → after 13.
    expect(afterIdForDrop([10, 11, 12, 13], 3, 11, true)).toBe(12);
    expect(afterIdForDrop([10, 11, 12, 13], 0, 13, true)).toBeNull();
    expect(afterIdForDrop([10, 11, 12, 13], 4, 10, true)).toBe(13);
    expect(afterIdForDrop([10, 11, 12, 13], 1, 12, true)).toBe(10);
  });

  it('reports a drop onto the card’s own place as no move', () => {
    expect(afterIdForDrop([10, 11, 12], 1, 11, true)).toBeUndefined();
    expect(afterIdForDrop([10, 11, 12], 2, 11, true)).toBeUndefined();
  });
});

describe('dropIndexAt', () => {
  it('finds the slot above the first card whose middle is below the pointer', () => {
    expect(dropIndexAt([50, 150, 250], 10)).toBe(0);
    expect(dropIndexAt([50, 150, 250], 100)).toBe(1);
    expect(dropIndexAt([50, 150, 250], 400)).toBe(3);
    expect(dropIndexAt([], 10)).toBe(0);
  });
});

describe('placeAfter', () => {
  const c = (id: number) => ({ id });
  it('reorders like the server', () => {
    expect(placeAfter([c(1), c(2), c(3)], c(3), null).map((x) => x.id)).toEqual([3, 1, 2]);
    expect(placeAfter([c(1), c(2), c(3)], c(1), 3).map((x) => x.id)).toEqual([2, 3, 1]);
    expect(placeAfter([c(1), c(2)], c(9), 1).map((x) => x.id)).toEqual([1, 9, 2]);
    expect(placeAfter([c(1)], c(9), 42).map((x) => x.id)).toEqual([1, 9]);
  });
});

describe('groupLanes', () => {
  const cards = [
    { id: 1, tier: 'KOC' as const, campaign_id: 7 },
    { id: 2, tier: null, campaign_id: null },
    { id: 3, tier: 'KOL' as const, campaign_id: 5 },
    { id: 4, tier: 'KOC' as const, campaign_id: 5 },
  ];

  it('keeps one lane without swimlanes', () => {
    expect(groupLanes(cards, 'none')).toEqual([{ key: 'all', cards }]);
  });

  it('orders tier lanes KOL, KOC, KOE, KOS and puts cards without a tier last', () => {
    expect(groupLanes(cards, 'tier').map((l) => [l.key, l.cards.map((c) => c.id)])).toEqual([
      ['KOL', [3]],
      ['KOC', [1, 4]],
      ['none', [2]],
    ]);
  });

  it('orders campaign lanes by the given order, then by id, with no campaign last', () => {
    expect(groupLanes(cards, 'campaign', [7]).map((l) => [l.key, l.cards.map((c) => c.id)])).toEqual([
      ['7', [1]],
      ['5', [3, 4]],
      ['none', [2]],
    ]);
  });
});

describe('wipState', () => {
  it('shows total/limit and flags an exceeded limit', () => {
    expect(wipState(12, 10)).toEqual({ text: '12/10', over: true });
    expect(wipState(10, 10)).toEqual({ text: '10/10', over: false });
    expect(wipState(3, null)).toEqual({ text: '3', over: false });
  });
});

describe('mentions', () => {
  const members = [
    { user_id: 1, name: '王编辑' },
    { user_id: 2, name: '王编' },
    { user_id: 3, name: 'Li Lei' },
  ];
  it('highlights the longest matching member name', () => {
    expect(mentionSegments('请 @王编辑 看下，@Li Lei 跟进 @路人', members.map((m) => m.name))).toEqual([
      { text: '请 ', mention: false },
      { text: '@王编辑', mention: true },
      { text: ' 看下，', mention: false },
      { text: '@Li Lei', mention: true },
      { text: ' 跟进 @路人', mention: false },
    ]);
  });
  it('collects the mentioned member ids', () => {
    expect(mentionedIds('@王编辑 @Li Lei', members)).toEqual([1, 3]);
    expect(mentionedIds('没有提及', members)).toEqual([]);
  });
});

describe('moveOnBoard', () => {
  const cols = [
    { stage: 'topic', total: 2, items: [{ id: 1, stage: 'topic' }, { id: 2, stage: 'topic' }] },
    { stage: 'draft', total: 5, items: [{ id: 3, stage: 'draft' }] },
  ];
  it('takes the card out of its column and puts it after the given card', () => {
    const next = moveOnBoard(cols, cols[0].items[0], 'draft', 3);
    expect(next.map((c) => [c.stage, c.total, c.items.map((x) => `${x.id}:${x.stage}`)])).toEqual([
      ['topic', 1, ['2:topic']],
      ['draft', 6, ['3:draft', '1:draft']],
    ]);
  });
  it('reorders within a column without changing its total', () => {
    const next = moveOnBoard(cols, cols[0].items[1], 'topic', null);
    expect(next[0]).toEqual({ stage: 'topic', total: 2, items: [{ id: 2, stage: 'topic' }, { id: 1, stage: 'topic' }] });
    expect(next[1]).toBe(cols[1]);
  });
});
