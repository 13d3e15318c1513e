import { describe, expect, it } from 'vitest';
import type { Import, ImportPreset, ImportPreview } from '../imports/api';
import type { MatchRow } from './api';
import {
  accountChoice,
  canUndo,
  choiceOf,
  choiceValue,
  dataImports,
  fieldRole,
  GENERIC,
  importKind,
  importName,
  importState,
  KIND_NEEDS,
  mappingMissing,
  mappingOf,
  mergeMatches,
  METRIC_KINDS,
  metricIssue,
  postMatching,
  previewStats,
  progressPercent,
  resolutionList,
  resolutionOf,
  resultCounts,
  setMapping,
  shownChoice,
  sourceAccount,
  sourceMissing,
  stepOf,
  unsettled,
  uploadQuery,
} from './wizard';

const preset = (id: string, platform: string, per_account: boolean): ImportPreset => ({
  id,
  platform,
  kind: 'post_metrics',
  name_zh: id,
  name_en: id,
  note_zh: '',
  note_en: '',
  per_account,
  columns: {},
});
const PRESETS = [preset('douyin_works', 'douyin', true), preset('weibo_posts', 'weibo', false)];

describe('the source step', () => {
  it('asks for the account of a per-account export, offers it for another file, never for an export whose rows name it', () => {
    expect(accountChoice(PRESETS[0])).toBe('required');
    expect(accountChoice(PRESETS[1])).toBe('none');
    expect(accountChoice(undefined)).toBe('optional');
  });

  it('holds the file back until a source (and the account a per-account export needs) is chosen', () => {
    expect(sourceMissing({}, PRESETS)).toBe('preset');
    expect(sourceMissing({ preset: 'unknown' }, PRESETS)).toBe('preset');
    expect(sourceMissing({ preset: 'douyin_works' }, PRESETS)).toBe('account');
    expect(sourceMissing({ preset: 'douyin_works', accountId: 3 }, PRESETS)).toBeNull();
    expect(sourceMissing({ preset: 'weibo_posts' }, PRESETS)).toBeNull();
    expect(sourceMissing({ preset: GENERIC }, PRESETS)).toBeNull();
  });

  it('sends only what was chosen, and the account only where the preset takes one', () => {
    expect(uploadQuery({ preset: 'douyin_works', accountId: 3, encoding: 'gbk', asOf: '2026-12-01' }, PRESETS)).toEqual({
      kind: 'post_metrics',
      preset: 'douyin_works',
      account_id: 3,
      encoding: 'gbk',
      as_of: '2026-12-01',
    });
    expect(uploadQuery({ preset: 'weibo_posts', accountId: 3 }, PRESETS)).toEqual({ kind: 'post_metrics', preset: 'weibo_posts' });
    expect(uploadQuery({ preset: GENERIC, accountId: 3, sheet: '作品' }, PRESETS)).toEqual({ kind: 'post_metrics', account_id: 3, sheet: '作品' });
  });

  it('sends a chosen saved mapping along with the preset, for any kind', () => {
    expect(uploadQuery({ preset: 'weibo_posts', mappingId: 4 }, PRESETS)).toEqual({ kind: 'post_metrics', preset: 'weibo_posts', mapping_id: 4 });
    expect(uploadQuery({ kind: 'spend', mappingId: 5 }, PRESETS)).toEqual({ kind: 'spend', mapping_id: 5 });
  });

  it('reads the choices an import was uploaded with back, to read its file again', () => {
    const imp = { options: { preset: 'douyin_works', account_id: 3, encoding: 'gbk', as_of: '2026-12-08', sheet: null, mapping_id: 4 } } as Pick<Import, 'options'>;
    expect(choiceOf(imp)).toEqual({
      kind: 'post_metrics',
      preset: 'douyin_works',
      accountId: 3,
      encoding: 'gbk',
      asOf: '2026-12-08',
      sheet: undefined,
      mappingId: 4,
    });
    expect(choiceOf({ options: { encoding: 'latin-1' } } as Pick<Import, 'options'>)).toEqual({
      kind: 'post_metrics',
      preset: GENERIC,
      accountId: undefined,
      encoding: undefined,
      asOf: undefined,
      sheet: undefined,
    });
    // Another kind has no preset, and no day of its own (its rows carry theirs).
    const followers = { kind: 'account_metrics', options: { preset: null, account_id: 7, encoding: 'utf-8', as_of: '2026-12-08', sheet: null } } as Pick<
      Import,
      'kind' | 'options'
    >;
    expect(choiceOf(followers)).toEqual({ kind: 'account_metrics', preset: undefined, accountId: 7, encoding: 'utf-8', asOf: undefined, sheet: undefined });
  });
});

describe('what the file holds', () => {
  it('offers the six data kinds, post numbers first; account imports are not among them', () => {
    expect(METRIC_KINDS[0]).toBe('post_metrics');
    expect(METRIC_KINDS).toHaveLength(6);
    expect(importKind({ kind: 'comments' })).toBe('comments');
    expect(importKind({ kind: 'accounts' })).toBe('post_metrics');
    expect(dataImports([{ kind: 'accounts' }, { kind: 'spend' }, { kind: 'post_metrics' }]).map((i) => i.kind)).toEqual(['spend', 'post_metrics']);
  });

  it('offers presets for post numbers only, an account of any platform for followers, none for the rest', () => {
    expect(sourceAccount({}, PRESETS)).toBe('none');
    expect(sourceAccount({ preset: 'douyin_works' }, PRESETS)).toBe('required');
    expect(sourceAccount({ kind: 'account_metrics' }, PRESETS)).toBe('optional');
    for (const kind of ['comments', 'spend', 'revenue', 'search_index'] as const) expect(sourceAccount({ kind }, PRESETS)).toBe('none');
    // The file goes at once: no preset, and the account of followers is optional.
    expect(sourceMissing({ kind: 'account_metrics' }, PRESETS)).toBeNull();
    expect(sourceMissing({ kind: 'revenue' }, PRESETS)).toBeNull();
  });

  it('uploads with the kind; a preset and a day for post numbers only, the account only for followers', () => {
    expect(uploadQuery({ kind: 'account_metrics', accountId: 3, encoding: 'gbk', asOf: '2026-12-01', preset: 'douyin_works' }, PRESETS)).toEqual({
      kind: 'account_metrics',
      account_id: 3,
      encoding: 'gbk',
    });
    expect(uploadQuery({ kind: 'account_metrics' }, PRESETS)).toEqual({ kind: 'account_metrics' });
    expect(uploadQuery({ kind: 'spend', accountId: 3, sheet: '投放' }, PRESETS)).toEqual({ kind: 'spend', sheet: '投放' });
    expect(uploadQuery({ kind: 'search_index', preset: 'weibo_posts' }, PRESETS)).toEqual({ kind: 'search_index' });
  });
});

describe('the mapping step', () => {
  it('takes the columns the server suggested and nothing else', () => {
    expect(mappingOf({ mapping: { title: 0, reads: 3, bad: 'x', neg: -1 } } as unknown as Import)).toEqual({ title: 0, reads: 3 });
  });

  it('gives a column to one field only', () => {
    const m = { title: 0, reads: 3, likes: 5 };
    expect(setMapping(m, 'saves', 5)).toEqual({ title: 0, reads: 3, saves: 5 });
    expect(setMapping(m, 'reads', undefined)).toEqual({ title: 0, likes: 5 });
    expect(m).toEqual({ title: 0, reads: 3, likes: 5 });
  });

  it('needs a way to find the post and at least one count', () => {
    expect(mappingMissing({ reads: 1 })?.key).toBe('post');
    expect(mappingMissing({ title: 0, published_at: 1 })?.key).toBe('count');
    expect(mappingMissing({ post_url: 0, likes: 1 })).toBeNull();
  });

  it('needs each kind’s own fields: the day and the account of followers (unless chosen at upload)', () => {
    expect(mappingMissing({ followers: 1 }, 'account_metrics')).toEqual({ key: 'field', fields: ['day'] });
    expect(mappingMissing({ day: 0, followers: 1 }, 'account_metrics')).toEqual({ key: 'account', fields: ['account'] });
    expect(mappingMissing({ day: 0, followers: 1 }, 'account_metrics', true)).toBeNull();
    expect(mappingMissing({ account: 2, day: 0 }, 'account_metrics')).toBeNull();
  });

  it('needs a comment’s post, what spend is on, revenue’s campaign and every field of the search index', () => {
    expect(mappingMissing({ comment_id: 0, created_at: 1 }, 'comments')).toEqual({ key: 'oneOf', fields: ['post_id', 'post_url'] });
    expect(mappingMissing({ comment_id: 0, post_url: 2, created_at: 1 }, 'comments')).toBeNull();
    expect(mappingMissing({ day: 0, amount: 1 }, 'spend')?.fields).toEqual(['post_id', 'post_url', 'account', 'campaign']);
    expect(mappingMissing({ day: 0, amount: 1, campaign: 2 }, 'spend')).toBeNull();
    expect(mappingMissing({ day: 0, revenue: 1 }, 'revenue')).toEqual({ key: 'field', fields: ['campaign'] });
    expect(mappingMissing({ keyword: 0, platform: 1, day: 2 }, 'search_index')).toEqual({ key: 'field', fields: ['value'] });
    for (const kind of METRIC_KINDS) expect(KIND_NEEDS[kind].length).toBeGreaterThan(0);
  });

  it('marks the fields rows are matched by and the ones every row needs', () => {
    expect(fieldRole('post_metrics', 'title')).toBe('match');
    expect(fieldRole('post_metrics', 'likes')).toBeNull();
    expect(fieldRole('account_metrics', 'account')).toBe('match');
    expect(fieldRole('account_metrics', 'day')).toBe('required');
    expect(fieldRole('account_metrics', 'followers')).toBeNull();
    expect(fieldRole('comments', 'post_url')).toBe('match');
    expect(fieldRole('spend', 'campaign')).toBe('match');
    expect(fieldRole('revenue', 'campaign')).toBe('required');
  });
});

const weak: MatchRow = {
  row: 5,
  match: 'weak',
  item_id: 24,
  score: 0.9,
  title: '星河S7 首测',
  candidates: [{ item_id: 24, title: '星河S7 首测：电池针刺实验现场', at: '2026-12-07T23:35:00Z' }],
};
const ambiguous: MatchRow = {
  row: 7,
  match: 'ambiguous',
  item_id: null,
  title: '试驾日',
  candidates: [
    { item_id: 10, title: '门店试驾日', at: null },
    { item_id: 22, title: '门店试驾日：到店即送充电卡', at: null },
  ],
};

describe('settling posts in the preview', () => {
  it('turns a select value into a resolution and back', () => {
    expect(resolutionOf(7, 'item:22')).toEqual({ row: 7, choice: 'match', item_id: 22 });
    expect(resolutionOf(7, 'new')).toEqual({ row: 7, choice: 'new' });
    expect(choiceValue(resolutionOf(7, 'item:22'))).toBe('item:22');
    expect(choiceValue({ row: 7, choice: 'skip' })).toBe('skip');
    expect(choiceValue(undefined)).toBeUndefined();
  });

  it('shows a weak row as the post it was taken as, an ambiguous one as unsettled until chosen', () => {
    expect(shownChoice(weak, {})).toBe('item:24');
    expect(shownChoice(ambiguous, {})).toBeUndefined();
    expect(shownChoice(ambiguous, { 7: { row: 7, choice: 'skip' } })).toBe('skip');
    expect(unsettled([weak, ambiguous], {})).toEqual([7]);
    expect(unsettled([weak, ambiguous], { 7: { row: 7, choice: 'new' } })).toEqual([]);
  });

  it('keeps rows and their candidates across previews: a chosen row comes back bare, a skipped one not at all', () => {
    const first = mergeMatches(new Map(), [weak, ambiguous]);
    const chosen: MatchRow = { row: 7, match: 'chosen', item_id: 22, title: '试驾日', candidates: [] };
    const second = mergeMatches(first, [chosen]);
    expect([...second.keys()]).toEqual([5, 7]);
    expect(second.get(7)?.match).toBe('ambiguous');
    expect(second.get(7)?.item_id).toBe(22);
    expect(second.get(7)?.candidates.map((c) => c.item_id)).toEqual([10, 22]);
    expect(second.get(5)).toEqual(weak);
  });

  it('sends the resolutions in row order', () => {
    expect(resolutionList({ 9: { row: 9, choice: 'skip' }, 2: { row: 2, choice: 'new' } }).map((r) => r.row)).toEqual([2, 9]);
  });

  it('counts snapshots and posts for the statistics', () => {
    const p = {
      total_rows: 4,
      creates: 2,
      updates: 1,
      unchanged: 0,
      invalid: 1,
      issue_count: 1,
      issues: [],
      rows: [],
      posts: { accounts: 1, by_id: 0, by_title: 1, weak: 1, ambiguous: 0, chosen: 0, new_posts: 1, skipped: 0, matches: [] },
    } as ImportPreview;
    expect(previewStats(p)).toMatchObject({ rows: 4, creates: 2, updates: 1, invalid: 1, byTitle: 1, weak: 1, newPosts: 1, valid: 3 });
  });

  it('matches posts for post numbers only, whatever the other kinds’ previews carry', () => {
    const posts = { accounts: 0, by_id: 0, by_title: 0, weak: 0, ambiguous: 0, chosen: 0, new_posts: 0, skipped: 0, matches: [] };
    expect(postMatching('post_metrics', { posts })).toBe(posts);
    expect(postMatching('post_metrics', { posts: null })).toBeNull();
    expect(postMatching('account_metrics', { posts })).toBeNull();
    expect(postMatching('comments', { posts: null })).toBeNull();
  });
});

describe('issues of a metric import', () => {
  it('word a duplicate as the same post and day, naming the first row when the server does', () => {
    expect(metricIssue('imports.duplicate_row', 'title', "row 2 already has this post's numbers for 2026-12-08")).toEqual({
      key: 'metrics:issues.duplicateRowAt',
      params: { row: '2', day: '2026-12-08' },
    });
    expect(metricIssue('imports.duplicate_row', 'title', 'something else')?.key).toBe('metrics:issues.duplicateRow');
  });

  it('word a missing mapping as a missing post key or count; leave the others to the shared texts', () => {
    expect(metricIssue('imports.field_required', 'mapping.post_id', '')?.key).toBe('metrics:issues.needPost');
    expect(metricIssue('imports.field_required', 'mapping.likes', '')?.key).toBe('metrics:issues.needCount');
    expect(metricIssue('imports.not_a_count', 'reads', '')).toBeNull();
  });

  it('word the other kinds’ duplicates as their own, naming the first row', () => {
    expect(metricIssue('imports.duplicate_row', 'day', "row 2 already has this row's account_id + day", 'account_metrics')).toEqual({
      key: 'metrics:issues.duplicateOf.account_metrics',
      params: { row: '2' },
    });
    expect(metricIssue('imports.duplicate_row', 'comment_id', "row 4 already has this row's item_id + comment_id", 'comments')?.key).toBe(
      'metrics:issues.duplicateOf.comments',
    );
    expect(metricIssue('imports.duplicate_row', 'day', 'twice', 'revenue')?.key).toBe('metrics:issues.duplicateEarlier');
  });

  it('word what the other kinds’ rows lack, and the field a mapping lacks by its name', () => {
    expect(metricIssue('imports.field_required', 'mapping.day', 'map a column to day', 'account_metrics')).toEqual({
      key: 'metrics:issues.needField',
      params: { field: 'day' },
    });
    expect(metricIssue('imports.field_required', 'campaign', 'spend needs a post, an account or a campaign', 'spend')?.key).toBe('metrics:issues.spendScope');
    expect(metricIssue('imports.field_required', 'campaign', 'revenue needs its campaign', 'revenue')?.key).toBe('metrics:issues.revenueCampaign');
    expect(metricIssue('imports.account_required', 'account', '', 'account_metrics')?.key).toBe('metrics:issues.followersAccount');
    expect(metricIssue('metrics.unknown_post', 'post_id', "a comment needs its post's ID or link", 'comments')?.key).toBe('metrics:issues.commentPost');
    expect(metricIssue('metrics.unknown_post', 'post_id', 'KOX has no post nope', 'comments')?.key).toBe('metrics:issues.unknownPost');
    expect(metricIssue('imports.not_a_count', 'value', '"x" is not a number', 'search_index')?.key).toBe('metrics:issues.notANumber');
    expect(metricIssue('validation.format', 'paid_boost', '"x" is not yes or no', 'spend')?.key).toBe('metrics:issues.notYesNo');
    // A count that is not one reads as the shared text, as for post numbers.
    expect(metricIssue('imports.not_a_count', 'followers', '"很多" is not a count', 'account_metrics')).toBeNull();
  });
});

describe('a commit and the list', () => {
  it('shows progress rounded down, never past 100', () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(999, 1000)).toBe(99);
    expect(progressPercent(1000, 1000)).toBe(100);
    expect(progressPercent(1200, 1000)).toBe(100);
  });

  it('says what became of an import: undone and cancelled before its status', () => {
    const base = { status: 'done', undone_at: null, result: null } as Pick<Import, 'status' | 'undone_at' | 'result'>;
    expect(importState(base)).toBe('done');
    expect(importState({ ...base, undone_at: '2026-12-08T00:00:00Z' })).toBe('undone');
    expect(importState({ ...base, result: { cancelled: true, created: 0, updated: 0, unchanged: 0, skipped: 0, issues: [] } })).toBe('cancelled');
    expect(importState({ ...base, status: 'committing' })).toBe('committing');
  });

  it('offers undo for a written import not undone yet, as the server allows', () => {
    expect(canUndo({ status: 'done', undone_at: null })).toBe(true);
    expect(canUndo({ status: 'failed', undone_at: null })).toBe(true);
    expect(canUndo({ status: 'uploaded', undone_at: null })).toBe(false);
    expect(canUndo({ status: 'committing', undone_at: null })).toBe(false);
    expect(canUndo({ status: 'done', undone_at: '2026-12-08T00:00:00Z' })).toBe(false);
  });

  it('opens an import at its mapping until it is committed, else at its commit', () => {
    expect(stepOf({ status: 'uploaded' })).toBe(1);
    expect(stepOf({ status: 'committing' })).toBe(3);
    expect(stepOf({ status: 'done' })).toBe(3);
  });

  it('counts new posts for post numbers only', () => {
    const r = { created: 2, updated: 1, unchanged: 0, skipped: 1, new_posts: 1 };
    expect(resultCounts('post_metrics', r)).toEqual({ key: 'counts', params: { created: 2, updated: 1, unchanged: 0, skipped: 1, posts: 1 } });
    expect(resultCounts('account_metrics', r)).toEqual({ key: 'rowCounts', params: { created: 2, updated: 1, unchanged: 0, skipped: 1 } });
    expect(resultCounts('spend', null).params).toEqual({ created: 0, updated: 0, unchanged: 0, skipped: 0 });
  });

  it('names hand entries and pushes in the UI language, files by their name', () => {
    const t = (k: string) => k;
    expect(importName('手动录入', t)).toBe('metrics:list.sources.handEntry');
    expect(importName('API', t)).toBe('metrics:list.sources.push');
    expect(importName('抖音作品.csv', t)).toBe('抖音作品.csv');
  });
});
