import { describe, expect, it } from 'vitest';
import { boardQueryParams, readBoardState, writeBoardState, type BoardState } from './urlState';

describe('content board state in the address bar', () => {
  it('round-trips filters, swimlanes and the open card', () => {
    const state: BoardState = {
      filters: {
        account: 3,
        tier: 'KOC',
        platform: 'xiaohongshu',
        campaign: 2,
        assignee: 5,
        tag: '新品',
        q: '星河',
        mine: true,
        overdue: true,
        cancelled: true,
        cf: { level: '核心' },
      },
      lanes: 'campaign',
      item: 42,
    };
    const params = writeBoardState(state);
    expect(params.get('mine')).toBe('true');
    expect(params.get('cf.level')).toBe('核心');
    expect(readBoardState(params)).toEqual(state);
  });

  it('falls back to defaults for missing or malformed values', () => {
    expect(readBoardState(new URLSearchParams('tier=XYZ&account=-1&mine=yes&lanes=rows&item=abc&cf.=x&q=%20'))).toEqual({
      filters: {},
      lanes: 'none',
    });
  });

  it('leaves defaults out of the address', () => {
    expect(writeBoardState({ filters: { mine: false, q: '' }, lanes: 'none' }).toString()).toBe('');
  });

  it('builds the board query without empty values', () => {
    expect(boardQueryParams({ tier: 'KOL', mine: true, overdue: false, q: '', cf: { level: '核心', empty: '' } }, 200)).toEqual({
      tier: 'KOL',
      mine: true,
      'cf.level': '核心',
      limit: 200,
    });
  });
});
