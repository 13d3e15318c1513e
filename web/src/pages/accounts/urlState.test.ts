import { describe, expect, it } from 'vitest';
import { readListState, writeListState } from './urlState';

describe('accounts list state in the address bar', () => {
  it('round-trips filters, custom-field filters and paging', () => {
    const state = {
      filters: { tier: 'KOL' as const, platform: 'xiaohongshu', owner: 5, q: '护肤', sort: 'created_desc' as const, cf: { level: '核心' } },
      page: 3,
      pageSize: 20,
    };
    const params = writeListState(state);
    expect(params.toString()).toBe('tier=KOL&platform=xiaohongshu&owner=5&q=%E6%8A%A4%E8%82%A4&sort=created_desc&cf.level=%E6%A0%B8%E5%BF%83&page=3&size=20');
    expect(readListState(params)).toEqual(state);
  });

  it('falls back to defaults for missing or malformed values', () => {
    expect(readListState(new URLSearchParams('tier=XYZ&status=gone&owner=-1&page=0&size=7&sort=random&cf.=x'))).toEqual({
      filters: {},
      page: 1,
      pageSize: 50,
    });
  });

  it('leaves defaults out of the address', () => {
    expect(writeListState({ filters: {}, page: 1, pageSize: 50 }).toString()).toBe('');
  });
});
