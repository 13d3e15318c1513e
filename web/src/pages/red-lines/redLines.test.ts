import { describe, expect, it } from 'vitest';
import type { RedLine } from '../../api/types';
import { cleanList, filterRedLines, lineControls, NEW_LINE, redLineInput, redLinePatch, redLineValues } from './redLines';

const row: RedLine = { id: 7, phrase: '第一', severity: 'block', exceptions: ['第一时间'], note: '广告法极限用语', builtin: true, enabled: true, allowed: NEW_LINE };

describe('red-line form mapping', () => {
  it('cleans the input for creation', () => {
    expect(redLineInput({ phrase: ' 秒杀全网 ', severity: 'warn', exceptions: [' 秒杀全网活动 ', '', '秒杀全网活动'], note: ' 促销 ' })).toEqual({
      phrase: '秒杀全网',
      severity: 'warn',
      exceptions: ['秒杀全网活动'],
      note: '促销',
    });
    expect(redLineInput({ phrase: '最', severity: 'block' })).toEqual({ phrase: '最', severity: 'block', exceptions: [], note: '' });
  });

  it('patches only what changed', () => {
    expect(redLinePatch(row, redLineValues(row))).toEqual({});
    expect(redLinePatch(row, { ...redLineValues(row), severity: 'warn', note: '广告法极限用语 ' })).toEqual({ severity: 'warn' });
    expect(redLinePatch(row, { ...redLineValues(row), exceptions: ['第一时间', '第一次'] })).toEqual({ exceptions: ['第一时间', '第一次'] });
    expect(redLinePatch(row, { ...redLineValues(row), exceptions: [] })).toEqual({ exceptions: [] });
  });

  it('starts a new red line as blocking', () => {
    expect(redLineValues()).toEqual({ phrase: '', severity: 'block', exceptions: [], note: '' });
  });

  it('cleanList keeps the first of duplicates', () => {
    expect(cleanList(['a', ' b', 'a ', ''])).toEqual(['a', 'b']);
    expect(cleanList(undefined)).toEqual([]);
  });
});

describe('filterRedLines', () => {
  const rows = [
    row,
    { ...row, id: 8, phrase: '国家级', exceptions: [], note: '' },
    { ...row, id: 9, phrase: 'Best', exceptions: [], note: '英文' },
  ];
  it('matches phrase, exception and note, ignoring case', () => {
    expect(filterRedLines(rows, '').map((r) => r.id)).toEqual([7, 8, 9]);
    expect(filterRedLines(rows, '国家').map((r) => r.id)).toEqual([8]);
    expect(filterRedLines(rows, '时间').map((r) => r.id)).toEqual([7]);
    expect(filterRedLines(rows, '极限').map((r) => r.id)).toEqual([7]);
    expect(filterRedLines(rows, ' best ').map((r) => r.id)).toEqual([9]);
    expect(filterRedLines(rows, '没有')).toEqual([]);
  });
});

describe('lineControls', () => {
  // The rule itself is the server's (its case table: RedLine::with_allowed); the UI only looks it up.
  it("shows the controls the server sent with the line", () => {
    const held = { edit: true, remove: false, toggle: false, phrase: false, warn: false, add_exceptions: false, limited: true };
    expect(lineControls({ ...row, allowed: held })).toEqual(held);
  });

  it('gives a new line the whole form, without delete', () => {
    expect(lineControls(undefined)).toEqual(NEW_LINE);
    expect(NEW_LINE.remove).toBe(false);
  });
});

