import type { RedLine, RedLineAllowed, RedLineInput, RedLinePatch, RedLineSeverity } from '../../api/types';

export const SEVERITIES: RedLineSeverity[] = ['block', 'warn'];

export interface RedLineValues {
  phrase: string;
  severity: RedLineSeverity;
  exceptions?: string[];
  note?: string;
}

/** Trimmed, non-empty, first occurrence kept. */
export function cleanList(values: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  for (const v of values ?? []) {
    const s = v.trim();
    if (s) seen.add(s);
  }
  return [...seen];
}

export function redLineInput(v: RedLineValues): RedLineInput {
  return { phrase: v.phrase.trim(), severity: v.severity, exceptions: cleanList(v.exceptions), note: (v.note ?? '').trim() };
}

/** Only what differs from the stored row, so an untouched field is not sent. */
export function redLinePatch(row: RedLine, v: RedLineValues): RedLinePatch {
  const next = redLineInput(v);
  const patch: RedLinePatch = {};
  if (next.phrase !== row.phrase) patch.phrase = next.phrase;
  if (next.severity !== row.severity) patch.severity = next.severity;
  if (JSON.stringify(next.exceptions) !== JSON.stringify(row.exceptions)) patch.exceptions = next.exceptions;
  if (next.note !== row.note) patch.note = next.note;
  return patch;
}

export function redLineValues(row?: RedLine): RedLineValues {
  return row
    ? { phrase: row.phrase, severity: row.severity, exceptions: row.exceptions, note: row.note }
    : { phrase: '', severity: 'block', exceptions: [], note: '' };
}

/** Client-side search over phrase, exceptions and note (case-insensitive). */
export function filterRedLines<T extends Pick<RedLine, 'phrase' | 'exceptions' | 'note'>>(rows: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return rows.slice();
  return rows.filter(
    (r) => r.phrase.toLowerCase().includes(q) || r.note.toLowerCase().includes(q) || r.exceptions.some((e) => e.toLowerCase().includes(q)),
  );
}

/** A new line: adding one never loosens the rules (it cannot be deleted before it exists). */
export const NEW_LINE: RedLineAllowed = { edit: true, remove: false, toggle: true, phrase: true, warn: true, add_exceptions: true, limited: false };

/**
 * Which controls the member may use on one line: what the server sent with it (from the one
 * loosening rule, `RedLine::with_allowed`), or those of a new line.
 */
export function lineControls(line: Pick<RedLine, 'allowed'> | undefined): RedLineAllowed {
  return line?.allowed ?? NEW_LINE;
}
