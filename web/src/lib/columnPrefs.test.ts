import { describe, expect, it } from 'vitest';
import {
  columnPrefsKey,
  moveColumn,
  parseColumnPrefs,
  resolveColumns,
  setColumnVisible,
  toColumnPrefs,
  visibleKeys,
  type ColumnDef,
} from './columnPrefs';

const defs: ColumnDef[] = [
  { key: 'name', defaultVisible: true, pinned: 'start' },
  { key: 'tier', defaultVisible: true },
  { key: 'followers', defaultVisible: true },
  { key: 'persona', defaultVisible: false },
  { key: 'custom.level', defaultVisible: false },
  { key: 'actions', defaultVisible: true, pinned: 'end' },
];

describe('resolveColumns', () => {
  it('uses the defaults without a preference', () => {
    const cols = resolveColumns(defs, null);
    expect(cols.map((c) => c.key)).toEqual(['name', 'tier', 'followers', 'persona', 'custom.level', 'actions']);
    expect(visibleKeys(cols)).toEqual(['name', 'tier', 'followers', 'actions']);
  });

  it('applies the stored order and visibility', () => {
    const prefs = { order: ['persona', 'followers', 'tier', 'custom.level'], visible: { persona: true, tier: false } };
    const cols = resolveColumns(defs, prefs);
    expect(cols.map((c) => c.key)).toEqual(['name', 'persona', 'followers', 'tier', 'custom.level', 'actions']);
    expect(visibleKeys(cols)).toEqual(['name', 'persona', 'followers', 'actions']);
  });

  it('ignores unknown keys and keeps pinned columns in place and visible', () => {
    const prefs = { order: ['gone', 'actions', 'followers', 'name', 'tier'], visible: { gone: true, name: false, actions: false } };
    const cols = resolveColumns(defs, prefs);
    expect(cols[0]).toEqual({ key: 'name', visible: true, pinned: 'start' });
    expect(cols.at(-1)).toEqual({ key: 'actions', visible: true, pinned: 'end' });
    expect(cols.map((c) => c.key)).not.toContain('gone');
  });

  it('places a column the preference does not know after its default neighbour, with its default visibility', () => {
    const prefs = { order: ['followers', 'tier', 'persona', 'custom.level'], visible: { tier: true, followers: true } };
    const withNew: ColumnDef[] = [...defs.slice(0, 2), { key: 'platform', defaultVisible: true }, ...defs.slice(2)];
    const cols = resolveColumns(withNew, prefs);
    expect(cols.map((c) => c.key)).toEqual(['name', 'followers', 'tier', 'platform', 'persona', 'custom.level', 'actions']);
    expect(cols.find((c) => c.key === 'platform')?.visible).toBe(true);
    expect(cols.find((c) => c.key === 'persona')?.visible).toBe(false);
  });

  it('puts a new first column first', () => {
    const cols = resolveColumns([{ key: 'a', defaultVisible: true }, { key: 'b', defaultVisible: true }], { order: ['b'], visible: {} });
    expect(cols.map((c) => c.key)).toEqual(['a', 'b']);
  });
});

describe('editing', () => {
  it('hides and shows movable columns only', () => {
    const cols = resolveColumns(defs, null);
    expect(visibleKeys(setColumnVisible(cols, 'tier', false))).toEqual(['name', 'followers', 'actions']);
    expect(visibleKeys(setColumnVisible(cols, 'persona', true))).toEqual(['name', 'tier', 'followers', 'persona', 'actions']);
    expect(visibleKeys(setColumnVisible(cols, 'name', false))).toEqual(visibleKeys(cols));
  });

  it('moves columns but never past or onto a pinned one', () => {
    const cols = resolveColumns(defs, null);
    expect(moveColumn(cols, 'followers', -1).map((c) => c.key)).toEqual(['name', 'followers', 'tier', 'persona', 'custom.level', 'actions']);
    expect(moveColumn(cols, 'tier', -1)).toEqual(cols);
    expect(moveColumn(cols, 'custom.level', 1)).toEqual(cols);
    expect(moveColumn(cols, 'name', 1)).toEqual(cols);
  });

  it('round-trips through storage', () => {
    const cols = moveColumn(setColumnVisible(resolveColumns(defs, null), 'persona', true), 'persona', -1);
    const stored = JSON.stringify(toColumnPrefs(cols));
    expect(resolveColumns(defs, parseColumnPrefs(stored))).toEqual(cols);
  });
});

describe('parseColumnPrefs', () => {
  it('treats anything malformed as no preference', () => {
    const cases: [string | null, ReturnType<typeof parseColumnPrefs>][] = [
      [null, null],
      ['', null],
      ['not json', null],
      ['42', null],
      ['null', null],
      ['{}', { order: [], visible: {} }],
      ['{"order":["a",1,"a"],"visible":{"a":true,"b":"yes"}}', { order: ['a'], visible: { a: true } }],
    ];
    for (const [raw, want] of cases) expect(parseColumnPrefs(raw), String(raw)).toEqual(want);
  });
});

it('keys preferences by user, workspace and table', () => {
  expect(columnPrefsKey(7, 3, 'accounts')).toBe('kox.columns.7.3.accounts');
});
