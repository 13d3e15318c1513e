import { describe, expect, it } from 'vitest';
import type { Import, ImportPreset, ImportPreview } from '../imports/api';
import type { MatchRow } from './api';
import {
  accountChoice,
  canUndo,
  choiceOf,
  choiceValue,
  GENERIC,
  importName,
  importState,
  mappingMissing,
  mappingOf,
  mergeMatches,
  metricIssue,
  previewStats,
  progressPercent,
  resolutionList,
  resolutionOf,
  setMapping,
  shownChoice,
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

  it('reads the choices an import was uploaded with back, to read its file again', () => {
    const imp = { options: { preset: 'douyin_works', account_id: 3, encoding: 'gbk', as_of: '2026-12-08', sheet: null } } as Pick<Import, 'options'>;
    expect(choiceOf(imp)).toEqual({ preset: 'douyin_works', accountId: 3, encoding: 'gbk', asOf: '2026-12-08', sheet: undefined });
    expect(choiceOf({ options: { encoding: 'latin-1' } } as Pick<Import, 'options'>)).toEqual({
      preset: GENERIC,
      accountId: undefined,
      encoding: undefined,
      asOf: undefined,
      sheet: undefined,
    });
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
    expect(mappingMissing({ reads: 1 })).toBe('post');
    expect(mappingMissing({ title: 0, published_at: 1 })).toBe('count');
    expect(mappingMissing({ post_url: 0, likes: 1 })).toBeNull();
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

  it('names hand entries and pushes in the UI language, files by their name', () => {
    const t = (k: string) => k;
    expect(importName('手动录入', t)).toBe('metrics:list.sources.handEntry');
    expect(importName('API', t)).toBe('metrics:list.sources.push');
    expect(importName('抖音作品.csv', t)).toBe('抖音作品.csv');
  });
});
