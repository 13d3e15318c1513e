import { describe, expect, it } from 'vitest';
import { dropRefusal, dropTime, sameMoment } from './drop';

const SH = 'Asia/Shanghai';

describe('dropTime', () => {
  it('takes a recurring slot’s exact time', () => {
    expect(dropTime({ kind: 'slot', at: '2025-12-09T12:00:00.000Z' }, { at: '2025-12-01T01:00:00Z' }, SH)).toBe('2025-12-09T12:00:00Z');
  });

  it('keeps the item’s time of day when dropped on a day, in the workspace’s zone', () => {
    // 14:30 in Shanghai on Dec 1 → 14:30 on Dec 8.
    expect(dropTime({ kind: 'day', date: '2025-12-08' }, { at: '2025-12-01T06:30:00Z' }, SH)).toBe('2025-12-08T06:30:00Z');
    // 00:30 in Shanghai (the previous day in UTC) stays 00:30 of the target day.
    expect(dropTime({ kind: 'day', date: '2025-12-08' }, { at: '2025-12-01T16:30:00Z' }, SH)).toBe('2025-12-07T16:30:00Z');
  });

  it('puts a backlog item at 10:00 of the day', () => {
    expect(dropTime({ kind: 'day', date: '2025-12-08' }, { at: null }, SH)).toBe('2025-12-08T02:00:00Z');
    expect(dropTime({ kind: 'day', date: '2026-07-01' }, { at: null }, 'America/New_York')).toBe('2026-07-01T14:00:00Z');
  });

  it('takes the hour row and keeps the item’s minutes (on the hour from the backlog)', () => {
    expect(dropTime({ kind: 'hour', date: '2025-12-08', hour: 20 }, { at: '2025-12-01T06:45:00Z' }, SH)).toBe('2025-12-08T12:45:00Z');
    expect(dropTime({ kind: 'hour', date: '2025-12-08', hour: 9 }, { at: null }, SH)).toBe('2025-12-08T01:00:00Z');
  });
});

describe('sameMoment', () => {
  it('compares moments, not strings', () => {
    expect(sameMoment('2025-12-08T02:00:00Z', '2025-12-08T02:00:00.000Z')).toBe(true);
    expect(sameMoment('2025-12-08T02:00:00Z', '2025-12-08T03:00:00Z')).toBe(false);
    expect(sameMoment(null, '2025-12-08T03:00:00Z')).toBe(false);
  });
});

describe('dropRefusal', () => {
  const item = { may_schedule: true, published_at: null, account_id: 3 };
  it('lets a schedulable item land anywhere but on another account’s timeline row', () => {
    expect(dropRefusal(item, { kind: 'day', date: '2025-12-08' })).toBeNull();
    expect(dropRefusal(item, { kind: 'day', date: '2025-12-08', accountId: 3 })).toBeNull();
    expect(dropRefusal(item, { kind: 'day', date: '2025-12-08', accountId: 4 })).toBe('other_account');
    expect(dropRefusal(item, { kind: 'slot', at: '2025-12-08T02:00:00Z' })).toBeNull();
  });

  it('refuses items the member may not move and published ones', () => {
    expect(dropRefusal({ ...item, may_schedule: false }, { kind: 'hour', date: '2025-12-08', hour: 1 })).toBe('not_allowed');
    expect(dropRefusal({ ...item, published_at: '2025-12-01T00:00:00Z' }, { kind: 'hour', date: '2025-12-08', hour: 1 })).toBe('published');
  });
});
