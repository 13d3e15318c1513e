/** A marked stretch of text; `start`/`end` are character (code point) offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface Segment<H extends Span> {
  text: string;
  /** The hit covering this segment, if any. */
  hit?: H;
}

/**
 * Cuts `text` into plain and marked segments. Offsets count Unicode code points
 * (what the API reports), not UTF-16 units, so an emoji before a hit does not shift it.
 * Hits are taken in order of their start; a hit overlapping an earlier one is clipped,
 * offsets outside the text are clamped, empty hits are dropped.
 */
export function highlightSegments<H extends Span>(text: string, hits: readonly H[]): Segment<H>[] {
  const chars = Array.from(text);
  const sorted = hits
    .map((h) => ({ h, start: Math.max(0, Math.min(h.start, chars.length)), end: Math.max(0, Math.min(h.end, chars.length)) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment<H>[] = [];
  let pos = 0;
  for (const { h, start, end } of sorted) {
    const from = Math.max(start, pos);
    if (end <= from) continue;
    if (from > pos) out.push({ text: chars.slice(pos, from).join('') });
    out.push({ text: chars.slice(from, end).join(''), hit: h });
    pos = end;
  }
  if (pos < chars.length) out.push({ text: chars.slice(pos).join('') });
  return out;
}

/** Number of characters as the API counts them (code points). */
export function charCount(text: string): number {
  return Array.from(text).length;
}
