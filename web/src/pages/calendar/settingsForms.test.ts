import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES,
  holidayDays,
  holidayProblems,
  holidayRows,
  rulesBody,
  rulesFormValues,
  slotBody,
  slotFormValues,
} from './settingsForms';
import type { RecurringSlot } from './types';

describe('the rules form', () => {
  it('round-trips the rules, quiet windows as times of day', () => {
    const rules = { ...DEFAULT_RULES, quiet_hours: { mode: 'block' as const, windows: [{ platform: 'douyin', start: '23:30', end: '06:00' }] } };
    const v = rulesFormValues(rules);
    expect(v.quiet_hours.windows[0].start.format('HH:mm')).toBe('23:30');
    expect(rulesBody(v)).toEqual(rules);
  });

  it('sends an emptied platform as every platform', () => {
    const v = rulesFormValues(DEFAULT_RULES);
    v.quiet_hours.windows[0].platform = undefined;
    expect(rulesBody(v).quiet_hours.windows[0].platform).toBeNull();
  });
});

describe('the recurring slot form', () => {
  const slot: RecurringSlot = {
    id: 1,
    name: 'KOE 晚间档',
    rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
    time: '20:00',
    starts_on: '2025-12-01',
    time_zone: null,
    account_id: null,
    tier: 'KOE',
    platform: 'xiaohongshu',
    enabled: true,
    created_at: '2025-12-01T00:00:00Z',
    updated_at: '2025-12-01T00:00:00Z',
  };

  it('round-trips a weekly slot through the weekday checkboxes', () => {
    const v = slotFormValues(slot, '2025-12-08');
    expect(v.advanced).toBe(false);
    expect(v.weekdays).toEqual(['TU', 'TH']);
    v.weekdays = ['FR', 'MO'];
    expect(slotBody(v)).toEqual({ ...slotBody(slotFormValues(slot, '2025-12-08')), rrule: 'FREQ=WEEKLY;BYDAY=MO,FR' });
    const { id: _i, created_at: _c, updated_at: _u, ...draft } = slot;
    expect(slotBody(slotFormValues(slot, '2025-12-08'))).toEqual(draft);
  });

  it('keeps any other rule as raw text', () => {
    const v = slotFormValues({ ...slot, rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' }, '2025-12-08');
    expect(v.advanced).toBe(true);
    expect(slotBody(v).rrule).toBe('FREQ=MONTHLY;BYMONTHDAY=1');
  });

  it('sends one account, or a tier and platform, never both', () => {
    const v = slotFormValues(slot, '2025-12-08');
    v.target = 'account';
    v.account_id = 9;
    expect(slotBody(v)).toMatchObject({ account_id: 9, tier: null, platform: null });
    v.target = 'group';
    expect(slotBody(v)).toMatchObject({ account_id: null, tier: 'KOE', platform: 'xiaohongshu' });
  });

  it('starts a new slot on today', () => {
    expect(slotBody(slotFormValues(undefined, '2025-12-08'))).toMatchObject({ starts_on: '2025-12-08', time: '20:00', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH' });
  });
});

describe('holidays', () => {
  it('sends named, dated rows in date order', () => {
    const rows = holidayRows([
      { date: '2026-10-01', name: '国庆节', kind: 'holiday' },
      { date: '2026-01-01', name: '元旦', kind: 'holiday' },
    ]);
    rows.push({ date: null, name: 'x', kind: 'holiday' }, { ...rows[0], name: ' ' });
    expect(holidayDays(rows)).toEqual([
      { date: '2026-01-01', name: '元旦', kind: 'holiday' },
      { date: '2026-10-01', name: '国庆节', kind: 'holiday' },
    ]);
  });

  it('finds days outside the year and days twice', () => {
    const days = [
      { date: '2026-01-01', name: '元旦', kind: 'holiday' as const },
      { date: '2026-01-01', name: '元旦', kind: 'workday' as const },
      { date: '2027-01-01', name: '元旦', kind: 'holiday' as const },
    ];
    expect(holidayProblems(2026, days)).toEqual({ outside: ['2027-01-01'], twice: ['2026-01-01'] });
  });
});
