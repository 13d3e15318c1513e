import { describe, expect, it } from 'vitest';
import { calendarQuery, readCalendarState, writeCalendarState, type CalendarState } from './urlState';

describe('calendar state in the address bar', () => {
  it('round-trips the view, the day, the filters, the conflicts panel and the open item', () => {
    const state: CalendarState = {
      view: 'timeline',
      date: '2025-12-08',
      filters: { account: 3, tier: 'KOE', platform: 'xiaohongshu', campaign: 2, operator: 5, stage: 'review' },
      conflicts: true,
      item: 42,
    };
    const params = writeCalendarState(state);
    expect(params.get('view')).toBe('timeline');
    expect(readCalendarState(params)).toEqual(state);
  });

  it('falls back to the month of today for missing or malformed values', () => {
    expect(readCalendarState(new URLSearchParams('view=year&date=2025-02-30&tier=XYZ&stage=done&account=-1&item=x&conflicts=1'))).toEqual({
      view: 'month',
      filters: {},
    });
  });

  it('leaves defaults out of the address', () => {
    expect(writeCalendarState({ view: 'month', filters: {} }).toString()).toBe('');
  });

  it('names the filters as the endpoints do', () => {
    const f = { account: 3, tier: 'KOL' as const, campaign: 2, operator: 5, stage: 'draft' as const, platform: 'douyin' };
    expect(calendarQuery(f)).toEqual({ account_id: 3, tier: 'KOL', campaign_id: 2, operator: 5, stage: 'draft', platform: 'douyin' });
  });
});
