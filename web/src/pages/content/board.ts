// Pure helpers of the content board: no React, no API calls, so they are unit-tested directly.

/** Board stages in SOP order; `cancelled` only shows when asked for. */
export const OPEN_STAGES = ['topic', 'draft', 'review', 'publish', 'retro'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];

/** A slice of a text: plain, or covered by one (or several overlapping) red-line hits. */
export interface Segment<H> {
  text: string;
  hits: H[];
}

/**
 * Cuts `text` into plain and highlighted slices. `start`/`end` are character offsets
 * (Unicode code points, end exclusive), so the text is sliced as `Array.from(text)`, never by
 * UTF-16 units. Overlapping hits share the covered characters; out-of-range hits are clipped.
 */
export function highlightSegments<H extends { start: number; end: number }>(text: string, hits: readonly H[]): Segment<H>[] {
  const chars = Array.from(text);
  const n = chars.length;
  const valid = hits
    .map((h) => ({ h, start: Math.max(0, Math.min(n, h.start)), end: Math.max(0, Math.min(n, h.end)) }))
    .filter((x) => x.end > x.start);
  if (valid.length === 0) return n ? [{ text, hits: [] }] : [];
  const cuts = new Set<number>([0, n]);
  for (const v of valid) {
    cuts.add(v.start);
    cuts.add(v.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment<H>[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = valid.filter((v) => v.start <= from && v.end >= to).map((v) => v.h);
    const slice = chars.slice(from, to).join('');
    const last = out[out.length - 1];
    // Adjacent slices with the same hits (e.g. plain text split by an unrelated cut) are joined.
    if (last && sameHits(last.hits, covering)) last.text += slice;
    else out.push({ text: slice, hits: covering });
  }
  return out;
}

function sameHits<H>(a: H[], b: H[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Number of characters as the API counts them (code points). */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/**
 * What to send to `POST …/move` for a card dropped into a column.
 * `columnIds` is the target column's order as displayed (it may still contain the moved card when
 * it is dragged within its own column); `dropIndex` is the slot in that list the card was dropped
 * at (0 = above the first card, `columnIds.length` = below the last).
 * Returns `after_id` (the card above the drop point once the moved card is taken out, `null` = top),
 * or `undefined` when the drop leaves the card where it was.
 */
export function afterIdForDrop(
  columnIds: readonly number[],
  dropIndex: number,
  movedId: number,
  sameColumn: boolean,
): number | null | undefined {
  const index = Math.max(0, Math.min(columnIds.length, dropIndex));
  const from = columnIds.indexOf(movedId);
  if (sameColumn && from >= 0 && (index === from || index === from + 1)) return undefined;
  const above = columnIds.slice(0, index).filter((id) => id !== movedId);
  return above.length ? above[above.length - 1] : null;
}

/** Slot index for a pointer at `y` over cards whose vertical middles are `middles` (top to bottom). */
export function dropIndexAt(middles: readonly number[], y: number): number {
  const i = middles.findIndex((m) => y < m);
  return i < 0 ? middles.length : i;
}

/**
 * Reorders a column list the way the server will after a move: the card leaves its old place and
 * is put right after `afterId` (or at the top for `null`). Used for the optimistic board update.
 */
export function placeAfter<T extends { id: number }>(items: readonly T[], moved: T, afterId: number | null): T[] {
  const rest = items.filter((x) => x.id !== moved.id);
  if (afterId === null) return [moved, ...rest];
  const i = rest.findIndex((x) => x.id === afterId);
  if (i < 0) return [...rest, moved];
  return [...rest.slice(0, i + 1), moved, ...rest.slice(i + 1)];
}

export type LaneMode = 'none' | 'tier' | 'campaign';
export const LANE_MODES: readonly LaneMode[] = ['none', 'tier', 'campaign'];

export interface Lane<C> {
  /** `all` without swimlanes; the tier or campaign id as text; `none` for cards without one. */
  key: string;
  cards: C[];
}

const TIER_ORDER = ['KOL', 'KOC', 'KOE', 'KOS'];

/**
 * Groups board cards into horizontal lanes. Tier lanes follow KOL, KOC, KOE, KOS; campaign lanes
 * follow `campaignOrder` (unknown campaigns after it, by id); cards without a tier or campaign go
 * into a last `none` lane. Empty lanes are left out, card order is kept.
 */
export function groupLanes<C extends { tier?: string | null; campaign_id?: number | null }>(
  cards: readonly C[],
  mode: LaneMode,
  campaignOrder: readonly number[] = [],
): Lane<C>[] {
  if (mode === 'none') return [{ key: 'all', cards: [...cards] }];
  const keyOf = (c: C): string => {
    if (mode === 'tier') return c.tier ?? 'none';
    return c.campaign_id === null || c.campaign_id === undefined ? 'none' : String(c.campaign_id);
  };
  const lanes = new Map<string, C[]>();
  for (const c of cards) {
    const k = keyOf(c);
    const lane = lanes.get(k);
    if (lane) lane.push(c);
    else lanes.set(k, [c]);
  }
  const rank = (k: string): [number, number] => {
    if (k === 'none') return [3, 0];
    if (mode === 'tier') {
      const i = TIER_ORDER.indexOf(k);
      return i >= 0 ? [0, i] : [1, 0];
    }
    const i = campaignOrder.indexOf(Number(k));
    return i >= 0 ? [0, i] : [1, Number(k)];
  };
  return [...lanes.entries()]
    .sort(([a], [b]) => {
      const [ra, rb] = [rank(a), rank(b)];
      return ra[0] - rb[0] || ra[1] - rb[1] || a.localeCompare(b);
    })
    .map(([key, list]) => ({ key, cards: list }));
}

/** "12/10" style header count; `over` when a WIP limit is set and exceeded. */
export function wipState(total: number, limit: number | null | undefined): { text: string; over: boolean } {
  if (limit === null || limit === undefined) return { text: String(total), over: false };
  return { text: `${total}/${limit}`, over: total > limit };
}

/** Splits a comment into plain text and `@name` mentions of known members (longest names first). */
export function mentionSegments(body: string, names: readonly string[]): { text: string; mention: boolean }[] {
  const sorted = [...new Set(names.filter(Boolean))].sort((a, b) => b.length - a.length);
  const out: { text: string; mention: boolean }[] = [];
  let plain = '';
  let i = 0;
  while (i < body.length) {
    if (body[i] === '@') {
      const name = sorted.find((n) => body.startsWith(n, i + 1));
      if (name) {
        if (plain) out.push({ text: plain, mention: false });
        plain = '';
        out.push({ text: `@${name}`, mention: true });
        i += name.length + 1;
        continue;
      }
    }
    plain += body[i];
    i += 1;
  }
  if (plain) out.push({ text: plain, mention: false });
  return out;
}

/** Ids of the members whose `@name` appears in the text (what the comment's `mentions` carries). */
export function mentionedIds(body: string, members: readonly { user_id: number; name: string }[]): number[] {
  const names = members.map((m) => m.name);
  const found = new Set(mentionSegments(body, names).filter((s) => s.mention).map((s) => s.text.slice(1)));
  return members.filter((m) => found.has(m.name)).map((m) => m.user_id);
}

/**
 * The board after moving `card` to `stage` right after `afterId` (null = top), as the server will
 * order it: the optimistic state shown while the move request is on its way.
 */
export function moveOnBoard<C extends { id: number; stage: string }, Col extends { stage: string; total: number; items: C[] }>(
  columns: readonly Col[],
  card: C,
  stage: C['stage'],
  afterId: number | null,
): Col[] {
  const moved = { ...card, stage };
  return columns.map((col) => {
    const had = col.items.some((x) => x.id === card.id);
    if (col.stage === stage) {
      return { ...col, total: col.total + (had ? 0 : 1), items: placeAfter(col.items, moved, afterId) };
    }
    if (had) return { ...col, total: Math.max(0, col.total - 1), items: col.items.filter((x) => x.id !== card.id) };
    return col;
  });
}
