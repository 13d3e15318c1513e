import type { RedLine, RedLineInput, RedLinePatch, RedLineSeverity } from '../../api/types';

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

/** Which controls a member may use on one line (or on a new one, `line` undefined). */
export interface LineControls {
  /** Delete the line. */
  remove: boolean;
  /** Flip the enabled switch (switching a disabled line on is tightening). */
  toggle: boolean;
  /** Change the phrase. */
  phrase: boolean;
  /** Choose `warn` in the form (block → warn loosens an enabled line). */
  warn: boolean;
  /** Add exceptions; removing one is always allowed. */
  addExceptions: boolean;
  /** Something above is held back for want of `red_lines.loosen`: show why. */
  limited: boolean;
}

/**
 * Loosening an enabled line — disabling or deleting it, block → warn, a new phrase or a new
 * exception — needs `red_lines.loosen`; the server refuses it otherwise (`auth.forbidden`).
 * Editing a disabled line loosens nothing, and deleting always does.
 */
export function lineControls(line: Pick<RedLine, 'enabled' | 'severity'> | undefined, canLoosen: boolean): LineControls {
  if (canLoosen || !line) return { remove: canLoosen, toggle: true, phrase: true, warn: true, addExceptions: true, limited: false };
  const live = line.enabled;
  return {
    remove: false,
    toggle: !live,
    phrase: !live,
    warn: !live || line.severity === 'warn',
    addExceptions: !live,
    limited: live,
  };
}
