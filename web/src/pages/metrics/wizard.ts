// The post-data import wizard's logic: what the upload asks for, the posts the user settles in
// the preview, the progress of a commit and what the list says of each import. Pure.
import type { Capability } from '../../api/types';
import type { Import, ImportPreset, ImportPreview, RowResolution, UploadQuery } from '../imports/api';
import type { MatchRow } from './api';

/** May import post data, undo an import and change the metric definitions. */
export const METRICS_MANAGE = 'metrics.manage' satisfies Capability;
/** May enter numbers by hand for the posts of the accounts one owns. */
export const METRICS_WRITE_OWN = 'metrics.write_own' satisfies Capability;

/** Encodings a text file can be read as instead of the detected one. */
export const ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'utf-16'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** What the user chose before uploading. */
export interface SourceChoice {
  /** a preset's id; `GENERIC` for a file of another shape (columns recognised by their headers) */
  preset?: string;
  accountId?: number;
  encoding?: Encoding;
  /** YYYY-MM-DD */
  asOf?: string;
  sheet?: string;
}

/** No preset: the columns are recognised by their headers, the rows say their account (or one is chosen). */
export const GENERIC = '';

/**
 * Whether the upload asks for an account: a per-account export (小红书, 抖音, B站, 视频号) names
 * none in its rows, so one must be chosen; a file of another shape may be about one account;
 * a preset whose rows name their account (微博) takes none.
 */
export function accountChoice(preset: ImportPreset | undefined): 'required' | 'optional' | 'none' {
  if (!preset) return 'optional';
  return preset.per_account ? 'required' : 'none';
}

/** Why the file cannot be sent yet: no preset chosen, or a per-account preset without its account. */
export function sourceMissing(choice: SourceChoice, presets: readonly ImportPreset[]): 'preset' | 'account' | null {
  if (choice.preset === undefined) return 'preset';
  const preset = presets.find((p) => p.id === choice.preset);
  if (choice.preset !== GENERIC && !preset) return 'preset';
  if (accountChoice(preset) === 'required' && choice.accountId === undefined) return 'account';
  return null;
}

/** The upload's query: only what was chosen, the account only where the preset takes one. */
export function uploadQuery(choice: SourceChoice, presets: readonly ImportPreset[]): UploadQuery {
  const preset = presets.find((p) => p.id === choice.preset);
  const q: UploadQuery = { kind: 'post_metrics' };
  if (preset) q.preset = preset.id;
  if (accountChoice(preset) !== 'none' && choice.accountId !== undefined) q.account_id = choice.accountId;
  if (choice.encoding) q.encoding = choice.encoding;
  if (choice.asOf) q.as_of = choice.asOf;
  if (choice.sheet) q.sheet = choice.sheet;
  return q;
}

/** The choices an import was uploaded with, to read its file again (another sheet or encoding). */
export function choiceOf(imp: Pick<Import, 'options'>): SourceChoice {
  const o = imp.options;
  return {
    preset: o.preset ?? GENERIC,
    accountId: o.account_id ?? undefined,
    encoding: (ENCODINGS as readonly string[]).includes(o.encoding ?? '') ? (o.encoding as Encoding) : undefined,
    asOf: o.as_of ?? undefined,
    sheet: o.sheet ?? undefined,
  };
}

/** A preset's name and note in the UI's language. */
export function presetText(p: ImportPreset, locale: string): { name: string; note: string } {
  return locale.startsWith('zh') ? { name: p.name_zh, note: p.note_zh } : { name: p.name_en, note: p.note_en };
}

/** The mapping as the server sent it (column indexes by field), without anything that is not a column. */
export function mappingOf(imp: Pick<Import, 'mapping'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, col] of Object.entries(imp.mapping as Record<string, unknown>)) {
    if (typeof col === 'number' && Number.isInteger(col) && col >= 0) out[field] = col;
  }
  return out;
}

/** The mapping with one field set to a column (or cleared); a column maps to one field only. */
export function setMapping(mapping: Record<string, number>, field: string, column: number | undefined): Record<string, number> {
  const next = { ...mapping };
  delete next[field];
  if (column !== undefined) {
    for (const [f, c] of Object.entries(next)) if (c === column) delete next[f];
    next[field] = column;
  }
  return next;
}

/** Fields a metric mapping needs: a way to find the post, and at least one count (as the server checks). */
export const POST_KEYS = ['post_id', 'post_url', 'title'] as const;
export const COUNT_FIELDS = ['impressions', 'reads', 'likes', 'saves', 'comments', 'shares', 'follows'] as const;

export function mappingMissing(mapping: Record<string, number>): 'post' | 'count' | null {
  if (!POST_KEYS.some((f) => f in mapping)) return 'post';
  if (!COUNT_FIELDS.some((f) => f in mapping)) return 'count';
  return null;
}

// ---- the posts the user settles in the preview ----

/** A choice as the row's select holds it: a post (`item:12`), a new post or skipping the row. */
export type ChoiceValue = `item:${number}` | 'new' | 'skip';

export function choiceValue(r: RowResolution | undefined): ChoiceValue | undefined {
  if (!r) return undefined;
  if (r.choice === 'match') return r.item_id != null ? `item:${r.item_id}` : undefined;
  return r.choice;
}

export function resolutionOf(row: number, value: ChoiceValue): RowResolution {
  if (value === 'new' || value === 'skip') return { row, choice: value };
  return { row, choice: 'match', item_id: Number(value.slice('item:'.length)) };
}

/**
 * The rows the user looks at, by row: each preview's weak, ambiguous and chosen rows merged into
 * what earlier previews showed. A row keeps how it first matched and its candidates (a chosen
 * row comes back without them, a skipped or new one not at all), so it can still be changed.
 */
export function mergeMatches(known: ReadonlyMap<number, MatchRow>, matches: readonly MatchRow[]): Map<number, MatchRow> {
  const out = new Map(known);
  for (const m of matches) {
    const before = out.get(m.row);
    if (!before) {
      out.set(m.row, m);
      continue;
    }
    const candidates = [...before.candidates];
    for (const c of m.candidates) if (!candidates.some((x) => x.item_id === c.item_id)) candidates.push(c);
    out.set(m.row, { ...m, match: before.match === 'chosen' ? m.match : before.match, candidates, score: m.score ?? before.score });
  }
  return out;
}

/** The choice a row's select shows: the user's, else the post a weak row was taken as; an ambiguous row has none. */
export function shownChoice(m: MatchRow, choices: Readonly<Record<number, RowResolution>>): ChoiceValue | undefined {
  const own = choiceValue(choices[m.row]);
  if (own) return own;
  return m.item_id != null ? `item:${m.item_id}` : undefined;
}

/** The resolutions to send, in row order. */
export function resolutionList(choices: Readonly<Record<number, RowResolution>>): RowResolution[] {
  return Object.values(choices).sort((a, b) => a.row - b.row);
}

/** Ambiguous rows the user has not settled yet (the preview counts them as errors until then). */
export function unsettled(rows: Iterable<MatchRow>, choices: Readonly<Record<number, RowResolution>>): number[] {
  const out: number[] = [];
  for (const m of rows) if (m.match === 'ambiguous' && !choices[m.row]) out.push(m.row);
  return out.sort((a, b) => a - b);
}

/** The preview's numbers as the statistics show them. */
export function previewStats(p: ImportPreview) {
  const posts = p.posts;
  return {
    rows: p.total_rows,
    creates: p.creates,
    updates: p.updates,
    unchanged: p.unchanged,
    invalid: p.invalid,
    byId: posts?.by_id ?? 0,
    byTitle: posts?.by_title ?? 0,
    weak: posts?.weak ?? 0,
    ambiguous: posts?.ambiguous ?? 0,
    chosen: posts?.chosen ?? 0,
    newPosts: posts?.new_posts ?? 0,
    skipped: posts?.skipped ?? 0,
    valid: p.creates + p.updates + p.unchanged,
  };
}

// ---- a commit and the list ----

/** 0–100, rounded down so 100 means every row is written. */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done * 100) / total));
}

export type ImportState = 'uploaded' | 'committing' | 'done' | 'cancelled' | 'failed' | 'undone';

/** Where an import is, as the list shows it: an undone or cancelled import says so. */
export function importState(imp: Pick<Import, 'status' | 'undone_at' | 'result'>): ImportState {
  if (imp.undone_at) return 'undone';
  if (imp.status === 'done' && imp.result?.cancelled) return 'cancelled';
  return imp.status;
}

/** A committed import that is not undone yet can be undone (as the server allows). */
export function canUndo(imp: Pick<Import, 'status' | 'undone_at'>): boolean {
  return !imp.undone_at && (imp.status === 'done' || imp.status === 'failed');
}

/** The wizard step an import opens at: mapping until committed, progress while writing, the result after. */
export function stepOf(imp: Pick<Import, 'status'>): 1 | 3 {
  return imp.status === 'uploaded' ? 1 : 3;
}

/** Names the server gives imports that are not files: hand entry and a collector's push. */
export const SOURCE_NAMES: Record<string, string> = { 手动录入: 'handEntry', API: 'push' };

/** An import's name as the UI shows it: its file's, or what made it (hand entry, a push) in the UI's language. */
export function importName(fileName: string, t: (key: string) => string): string {
  const own = SOURCE_NAMES[fileName];
  return own ? t(`metrics:list.sources.${own}`) : fileName;
}

/**
 * How an issue of a metric import is worded: the codes shared with account imports that mean
 * something else here (a duplicate row is the same post and day twice; a required mapping is a
 * way to find the post or a count), and the day and first row a duplicate names. Anything else
 * is the shared error text (`errorKey`), or the server's message.
 */
export function metricIssue(code: string, field: string, message: string): { key: string; params: Record<string, string> } | null {
  if (code === 'imports.duplicate_row') {
    const m = /row (\d+) .* for (\d{4}-\d{2}-\d{2})/.exec(message);
    return m ? { key: 'metrics:issues.duplicateRowAt', params: { row: m[1], day: m[2] } } : { key: 'metrics:issues.duplicateRow', params: {} };
  }
  if (code === 'imports.field_required') {
    return { key: (COUNT_FIELDS as readonly string[]).some((c) => field.endsWith(c)) ? 'metrics:issues.needCount' : 'metrics:issues.needPost', params: {} };
  }
  return null;
}
