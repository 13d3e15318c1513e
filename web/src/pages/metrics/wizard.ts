// The data import wizard's logic: what the file holds and what the upload asks for, what each
// kind's mapping needs, the posts the user settles in the preview, the progress of a commit and
// what the list says of each import. Pure.
import type { Capability } from '../../api/types';
import type { Import, ImportKind, ImportPreset, ImportPreview, ImportResult, RowResolution, UploadQuery } from '../imports/api';
import type { MatchRow, PostPreview } from './api';

/** May import post data, undo an import and change the metric definitions. */
export const METRICS_MANAGE = 'metrics.manage' satisfies Capability;
/** May enter numbers by hand for the posts of the accounts one owns. */
export const METRICS_WRITE_OWN = 'metrics.write_own' satisfies Capability;

/** Encodings a text file can be read as instead of the detected one. */
export const ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'utf-16'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * What a data file can hold, in the order the wizard offers them: posts' numbers (with the
 * platforms' presets), accounts' daily followers, comments, spend, revenue and conversions, the
 * search index. Accounts themselves are imported on the accounts page.
 */
export const METRIC_KINDS = ['post_metrics', 'account_metrics', 'comments', 'spend', 'revenue', 'search_index'] as const satisfies readonly ImportKind[];
export type MetricKind = (typeof METRIC_KINDS)[number];

export function isMetricKind(kind: string): kind is MetricKind {
  return (METRIC_KINDS as readonly string[]).includes(kind);
}

/** The imports of the 数据 page among all of the workspace's (account imports left out). */
export function dataImports<T extends Pick<Import, 'kind'>>(imports: readonly T[]): T[] {
  return imports.filter((i) => isMetricKind(i.kind));
}

/** What the user chose before uploading. */
export interface SourceChoice {
  /** what the file holds; post numbers when not chosen */
  kind?: MetricKind;
  /** a preset's id; `GENERIC` for a file of another shape (columns recognised by their headers) */
  preset?: string;
  accountId?: number;
  encoding?: Encoding;
  /** YYYY-MM-DD */
  asOf?: string;
  sheet?: string;
  /** a saved mapping of the kind (`import-mappings`) the mapping starts from instead */
  mappingId?: number;
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

export function kindOf(choice: Pick<SourceChoice, 'kind'>): MetricKind {
  return choice.kind ?? 'post_metrics';
}

/**
 * Whether the source step offers an account: post numbers as their preset says (once one is
 * chosen); accounts' followers may be about one account of any platform; the other kinds name
 * what they are about in their rows.
 */
export function sourceAccount(choice: SourceChoice, presets: readonly ImportPreset[]): 'required' | 'optional' | 'none' {
  switch (kindOf(choice)) {
    case 'post_metrics':
      return choice.preset === undefined ? 'none' : accountChoice(presets.find((p) => p.id === choice.preset));
    case 'account_metrics':
      return 'optional';
    default:
      return 'none';
  }
}

/**
 * Why the file cannot be sent yet: post numbers without a preset, or a per-account preset
 * without its account. The other kinds need nothing more than the file.
 */
export function sourceMissing(choice: SourceChoice, presets: readonly ImportPreset[]): 'preset' | 'account' | null {
  if (kindOf(choice) !== 'post_metrics') return null;
  if (choice.preset === undefined) return 'preset';
  const preset = presets.find((p) => p.id === choice.preset);
  if (choice.preset !== GENERIC && !preset) return 'preset';
  if (accountChoice(preset) === 'required' && choice.accountId === undefined) return 'account';
  return null;
}

/**
 * The upload's query: the kind and only what was chosen; a preset and the day of the numbers for
 * post numbers only, the account only where the source step offers one. A saved mapping goes
 * along with a preset: the mapping starts from it, the preset still names the rows' platform.
 */
export function uploadQuery(choice: SourceChoice, presets: readonly ImportPreset[]): UploadQuery {
  const kind = kindOf(choice);
  const q: UploadQuery = { kind };
  if (kind === 'post_metrics') {
    const preset = presets.find((p) => p.id === choice.preset);
    if (preset) q.preset = preset.id;
    if (choice.asOf) q.as_of = choice.asOf;
  }
  if (sourceAccount(choice, presets) !== 'none' && choice.accountId !== undefined) q.account_id = choice.accountId;
  if (choice.encoding) q.encoding = choice.encoding;
  if (choice.sheet) q.sheet = choice.sheet;
  if (choice.mappingId !== undefined) q.mapping_id = choice.mappingId;
  return q;
}

/** The kind of an import as the 数据 page knows it (post numbers for anything else). */
export function importKind(imp: Pick<Import, 'kind'>): MetricKind {
  return isMetricKind(imp.kind) ? imp.kind : 'post_metrics';
}

/** The choices an import was uploaded with, to read its file again (another sheet or encoding). */
export function choiceOf(imp: Pick<Import, 'options'> & Partial<Pick<Import, 'kind'>>): SourceChoice {
  const o = imp.options;
  const kind = imp.kind ? importKind({ kind: imp.kind }) : 'post_metrics';
  const posts = kind === 'post_metrics';
  return {
    kind,
    preset: posts ? (o.preset ?? GENERIC) : undefined,
    accountId: o.account_id ?? undefined,
    encoding: (ENCODINGS as readonly string[]).includes(o.encoding ?? '') ? (o.encoding as Encoding) : undefined,
    asOf: posts ? (o.as_of ?? undefined) : undefined,
    sheet: o.sheet ?? undefined,
    mappingId: o.mapping_id ?? undefined,
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

/** Fields a post-number mapping needs: a way to find the post, and at least one count (as the server checks). */
export const POST_KEYS = ['post_id', 'post_url', 'title'] as const;
export const COUNT_FIELDS = ['impressions', 'reads', 'likes', 'saves', 'comments', 'shares', 'follows'] as const;

/**
 * What each kind's mapping needs, in order: each entry is fields of which one must be mapped.
 * The server refuses a mapping without a kind's required fields, and every row of a file
 * without what the rows are about (a comment's post; the post, account or campaign of spend;
 * revenue's campaign; the account of followers unless it was chosen at upload).
 */
export const KIND_NEEDS: Record<MetricKind, readonly (readonly string[])[]> = {
  post_metrics: [POST_KEYS, COUNT_FIELDS],
  account_metrics: [['day'], ['account']],
  comments: [['comment_id'], ['post_id', 'post_url'], ['created_at']],
  spend: [['day'], ['amount'], ['post_id', 'post_url', 'account', 'campaign']],
  revenue: [['campaign'], ['day']],
  search_index: [['keyword'], ['platform'], ['day'], ['value']],
};

/**
 * Why the mapping cannot be previewed yet: no way to find the post or no count (post numbers),
 * no account (followers, with none chosen at upload), or a field (one of `fields`) not mapped.
 */
export interface MappingGap {
  key: 'post' | 'count' | 'account' | 'field' | 'oneOf';
  fields: readonly string[];
}

export function mappingMissing(mapping: Record<string, number>, kind: MetricKind = 'post_metrics', accountChosen = false): MappingGap | null {
  for (const need of KIND_NEEDS[kind]) {
    if (need.some((f) => f in mapping)) continue;
    if (need === POST_KEYS) return { key: 'post', fields: need };
    if (need === COUNT_FIELDS) return { key: 'count', fields: need };
    if (kind === 'account_metrics' && need[0] === 'account') {
      if (accountChosen) continue;
      return { key: 'account', fields: need };
    }
    return { key: need.length > 1 ? 'oneOf' : 'field', fields: need };
  }
  return null;
}

/**
 * How the mapping step marks a field: a way to find what the row is about (the post, the
 * account, the campaign), or a field every row needs.
 */
export function fieldRole(kind: MetricKind, field: string): 'match' | 'required' | null {
  const need = KIND_NEEDS[kind].find((n) => n.includes(field));
  if (!need || need === COUNT_FIELDS) return null;
  if (need === POST_KEYS || need.length > 1 || field === 'account') return 'match';
  return 'required';
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

/**
 * How a post-number preview's rows found their posts; `null` for the other kinds (whose
 * previews may still carry an empty one), so the preview leaves the post matching out.
 */
export function postMatching(kind: MetricKind, p: Pick<ImportPreview, 'posts'>): PostPreview | null {
  return kind === 'post_metrics' ? (p.posts ?? null) : null;
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

/**
 * What a commit wrote, as the result and the list word it: post numbers count the posts they
 * created too (`counts`), the other kinds their rows only (`rowCounts`).
 */
export function resultCounts(
  kind: MetricKind,
  r: Pick<ImportResult, 'created' | 'updated' | 'unchanged' | 'skipped' | 'new_posts'> | null | undefined,
): { key: 'counts' | 'rowCounts'; params: Record<string, number> } {
  const params = { created: r?.created ?? 0, updated: r?.updated ?? 0, unchanged: r?.unchanged ?? 0, skipped: r?.skipped ?? 0 };
  return kind === 'post_metrics' ? { key: 'counts', params: { ...params, posts: r?.new_posts ?? 0 } } : { key: 'rowCounts', params };
}

/** Names the server gives imports that are not files: hand entry and a collector's push. */
export const SOURCE_NAMES: Record<string, string> = { 手动录入: 'handEntry', API: 'push' };

/** An import's name as the UI shows it: its file's, or what made it (hand entry, a push) in the UI's language. */
export function importName(fileName: string, t: (key: string) => string): string {
  const own = SOURCE_NAMES[fileName];
  return own ? t(`metrics:list.sources.${own}`) : fileName;
}

/**
 * How an issue of a data import is worded: the codes shared with account imports that mean
 * something else here (a duplicate row is the same post and day twice, the same comment, the
 * same account and day …; a required mapping is a way to find the post, a count, or the kind's
 * own field), the first row (and day) a duplicate names, and what the other kinds' rows lack.
 * `field` comes back as a field name for the caller to put into words (`fieldLabel`). Anything
 * else is the shared error text (`errorKey`), or the server's message.
 */
export function metricIssue(
  code: string,
  field: string,
  message: string,
  kind: MetricKind = 'post_metrics',
): { key: string; params: Record<string, string> } | null {
  if (kind === 'post_metrics') {
    if (code === 'imports.duplicate_row') {
      const m = /row (\d+) .* for (\d{4}-\d{2}-\d{2})/.exec(message);
      return m ? { key: 'metrics:issues.duplicateRowAt', params: { row: m[1], day: m[2] } } : { key: 'metrics:issues.duplicateRow', params: {} };
    }
    if (code === 'imports.field_required') {
      return { key: (COUNT_FIELDS as readonly string[]).some((c) => field.endsWith(c)) ? 'metrics:issues.needCount' : 'metrics:issues.needPost', params: {} };
    }
    return null;
  }
  switch (code) {
    case 'imports.duplicate_row': {
      const m = /^row (\d+) /.exec(message);
      return m ? { key: `metrics:issues.duplicateOf.${kind}`, params: { row: m[1] } } : { key: 'metrics:issues.duplicateEarlier', params: {} };
    }
    case 'imports.field_required':
      // The whole mapping (`mapping.day`), or a row with nothing to be about.
      if (field.startsWith('mapping.')) return { key: 'metrics:issues.needField', params: { field: field.slice('mapping.'.length) } };
      if (kind === 'spend') return { key: 'metrics:issues.spendScope', params: {} };
      if (kind === 'revenue') return { key: 'metrics:issues.revenueCampaign', params: {} };
      return { key: 'metrics:issues.needField', params: { field } };
    case 'imports.account_required':
      return { key: 'metrics:issues.followersAccount', params: {} };
    case 'imports.unknown_account':
      return { key: 'metrics:issues.unknownAccount', params: {} };
    case 'metrics.unknown_post':
      return { key: /needs/.test(message) ? 'metrics:issues.commentPost' : 'metrics:issues.unknownPost', params: {} };
    case 'imports.not_a_count':
      return kind === 'search_index' && field === 'value' ? { key: 'metrics:issues.notANumber', params: {} } : null;
    case 'validation.format':
      return field === 'paid_boost' ? { key: 'metrics:issues.notYesNo', params: {} } : null;
    default:
      return null;
  }
}
