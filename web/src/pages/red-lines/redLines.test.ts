import { describe, expect, it } from 'vitest';
import type { RedLine } from '../../api/types';
import { cleanList, filterRedLines, lineControls, redLineInput, redLinePatch, redLineValues } from './redLines';

const row: RedLine = { id: 7, phrase: '第一', severity: 'block', exceptions: ['第一时间'], note: '广告法极限用语', builtin: true, enabled: true };

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
  const all = { remove: true, toggle: true, phrase: true, warn: true, addExceptions: true, limited: false };

  it('leaves everything to a holder of red_lines.loosen', () => {
    expect(lineControls(row, true)).toEqual(all);
    expect(lineControls({ ...row, enabled: false, severity: 'warn' }, true)).toEqual(all);
    expect(lineControls(undefined, true)).toEqual(all);
  });

  it('lets the content hub only tighten an enabled blocking line', () => {
    expect(lineControls(row, false)).toEqual({
      remove: false,
      toggle: false,
      phrase: false,
      warn: false,
      addExceptions: false,
      limited: true,
    });
  });

  it('lets the content hub edit and switch on a disabled line, but not delete it', () => {
    expect(lineControls({ ...row, enabled: false }, false)).toEqual({ ...all, remove: false });
    expect(lineControls({ ...row, enabled: false, severity: 'warn' }, false)).toEqual({ ...all, remove: false });
  });

  it('keeps warn selectable on an enabled warning line (raising it to block is tightening)', () => {
    expect(lineControls({ ...row, severity: 'warn' }, false)).toEqual({
      remove: false,
      toggle: false,
      phrase: false,
      warn: true,
      addExceptions: false,
      limited: true,
    });
  });

  it('gives the content hub the whole form for a new line', () => {
    expect(lineControls(undefined, false)).toEqual({ ...all, remove: false });
  });
});
