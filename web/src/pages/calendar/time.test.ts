import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  byDay,
  byHour,
  offsetMinutes,
  shortMoment,
  startOfWeek,
  stepAnchor,
  timeOfDay,
  viewDays,
  viewRange,
  weekday,
  zonedParts,
  zonedToUtc,
} from './time';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('moments in a time zone', () => {
  it('reads a UTC moment as the zone’s day and time', () => {
    // 16:30 UTC on Dec 7 is half past midnight on Dec 8 in Shanghai.
    expect(zonedParts('2025-12-07T16:30:00Z', SH)).toEqual({ date: '2025-12-08', hour: 0, minute: 30 });
    expect(timeOfDay('2025-12-07T16:30:00Z', SH)).toBe('00:30');
    expect(shortMoment('2025-12-10T12:00:00Z', SH)).toBe('12-10 20:00');
    expect(zonedParts('2025-12-07T16:30:00Z', NY)).toEqual({ date: '2025-12-07', hour: 11, minute: 30 });
  });

  it('turns a wall-clock time of a day into UTC', () => {
    expect(zonedToUtc('2025-12-08', '10:00', SH)).toBe('2025-12-08T02:00:00Z');
    expect(zonedToUtc('2025-12-08', '00:00', SH)).toBe('2025-12-07T16:00:00Z');
    expect(zonedToUtc('2026-07-01', '09:00', NY)).toBe('2026-07-01T13:00:00Z');
    expect(zonedToUtc('2026-01-15', '09:00', NY)).toBe('2026-01-15T14:00:00Z');
    expect(offsetMinutes(SH, Date.parse('2026-06-01T00:00:00Z'))).toBe(480);
  });

  it('handles the daylight-saving changes of a zone that has them', () => {
    // 02:30 does not exist on 2026-03-08 in New York: it lands after the jump (03:30 EDT).
    expect(zonedToUtc('2026-03-08', '02:30', NY)).toBe('2026-03-08T07:30:00Z');
    // 01:30 happens twice on 2026-11-01: the first (EDT) is taken.
    expect(zonedToUtc('2026-11-01', '01:30', NY)).toBe('2026-11-01T05:30:00Z');
    expect(zonedToUtc('2026-11-01', '00:00', NY)).toBe('2026-11-01T04:00:00Z');
    expect(zonedToUtc('2026-11-02', '00:00', NY)).toBe('2026-11-02T05:00:00Z');
  });
});

describe('calendar days', () => {
  it('counts days, weekdays and months', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(weekday('2025-12-08')).toBe(0); // a Monday
    expect(weekday('2025-12-14')).toBe(6);
    expect(startOfWeek('2025-12-14')).toBe('2025-12-08');
    expect(addMonths('2025-12-31', 1)).toBe('2026-01-01');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-01');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-01');
  });

  it('lays a month out as whole weeks from Monday', () => {
    const days = viewDays('month', '2025-12-17');
    expect(days[0]).toBe('2025-12-01'); // December 2025 starts on a Monday
    expect(days[days.length - 1]).toBe('2026-01-04');
    expect(days.length % 7).toBe(0);
    const feb = viewDays('month', '2026-02-10');
    expect(feb[0]).toBe('2026-01-26');
    expect(feb[feb.length - 1]).toBe('2026-03-01');
    expect(feb.length).toBe(35);
  });

  it('gives the week, the day and the timeline’s month', () => {
    expect(viewDays('week', '2025-12-10')).toEqual(['2025-12-08', '2025-12-09', '2025-12-10', '2025-12-11', '2025-12-12', '2025-12-13', '2025-12-14']);
    expect(viewDays('day', '2025-12-10')).toEqual(['2025-12-10']);
    const tl = viewDays('timeline', '2026-02-10');
    expect(tl.length).toBe(28);
    expect(tl[0]).toBe('2026-02-01');
  });

  it('asks the API for the view’s days from midnight to midnight in the zone', () => {
    expect(viewRange('day', '2025-12-08', SH)).toEqual({ from: '2025-12-07T16:00:00Z', to: '2025-12-08T16:00:00Z' });
    expect(viewRange('week', '2025-12-10', SH)).toEqual({ from: '2025-12-07T16:00:00Z', to: '2025-12-14T16:00:00Z' });
    expect(viewRange('timeline', '2026-02-10', 'UTC')).toEqual({ from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
  });

  it('steps by a month, a week or a day', () => {
    expect(stepAnchor('month', '2025-12-17', 1)).toBe('2026-01-01');
    expect(stepAnchor('timeline', '2025-12-17', -1)).toBe('2025-11-01');
    expect(stepAnchor('week', '2025-12-17', -1)).toBe('2025-12-10');
    expect(stepAnchor('day', '2025-12-31', 1)).toBe('2026-01-01');
  });

  it('groups by day and by hour in the zone, in time order', () => {
    const items = [
      { id: 1, at: '2025-12-08T04:00:00Z' },
      { id: 2, at: '2025-12-07T16:30:00Z' },
      { id: 3, at: null },
      { id: 4, at: '2025-12-08T02:10:00Z' },
    ];
    const days = byDay(items, (x) => x.at, SH);
    expect([...days.keys()]).toEqual(['2025-12-08']);
    expect(days.get('2025-12-08')!.map((x) => x.id)).toEqual([2, 4, 1]);
    const hours = byHour(items, (x) => x.at, SH);
    expect(hours.get('2025-12-08T00')!.map((x) => x.id)).toEqual([2]);
    expect(hours.get('2025-12-08T10')!.map((x) => x.id)).toEqual([4]);
    expect(hours.get('2025-12-08T12')!.map((x) => x.id)).toEqual([1]);
  });
});
