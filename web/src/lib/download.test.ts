import { describe, expect, it } from 'vitest';
import { fileNameOf, queryString } from './download';

describe('fileNameOf', () => {
  const cases: [string | null, string][] = [
    [`attachment; filename="accounts-2026-12-07.xlsx"; filename*=UTF-8''%E8%B4%A6%E5%8F%B7-2026-12-07.xlsx`, '账号-2026-12-07.xlsx'],
    ['attachment; filename="board.xlsx"', 'board.xlsx'],
    ['attachment; filename=plain.xlsx', 'plain.xlsx'],
    [`attachment; filename="ok.xlsx"; filename*=UTF-8''%E8%B4%A`, 'ok.xlsx'],
    [null, 'fallback.xlsx'],
  ];
  it.each(cases)('reads %s', (header, want) => {
    expect(fileNameOf(header, 'fallback.xlsx')).toBe(want);
  });
});

describe('queryString', () => {
  it('keeps set values and drops empty ones', () => {
    expect(queryString({ tier: 'KOL', owner: 7, q: '', status: undefined, mine: true, x: null })).toBe('?tier=KOL&owner=7&mine=true');
    expect(queryString({})).toBe('');
  });
});
