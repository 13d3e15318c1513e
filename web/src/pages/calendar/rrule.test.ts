import { describe, expect, it } from 'vitest';
import { looksLikeRrule, weekdaysOf, weeklyRule } from './rrule';

describe('weekly rules from weekday checkboxes', () => {
  it('builds FREQ=WEEKLY;BYDAY in week order, each day once', () => {
    expect(weeklyRule(['TH', 'TU'])).toBe('FREQ=WEEKLY;BYDAY=TU,TH');
    expect(weeklyRule(['SU', 'MO', 'MO'])).toBe('FREQ=WEEKLY;BYDAY=MO,SU');
    expect(weeklyRule([])).toBe('');
  });

  it('reads a plain weekly rule back into weekdays', () => {
    expect(weekdaysOf('FREQ=WEEKLY;BYDAY=TU,TH')).toEqual(['TU', 'TH']);
    expect(weekdaysOf('RRULE:BYDAY=th,tu;FREQ=WEEKLY;INTERVAL=1')).toEqual(['TU', 'TH']);
  });

  it('leaves anything else to the raw editor', () => {
    expect(weekdaysOf('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO')).toBeNull();
    expect(weekdaysOf('FREQ=MONTHLY;BYMONTHDAY=1')).toBeNull();
    expect(weekdaysOf('FREQ=WEEKLY;BYDAY=1MO')).toBeNull();
    expect(weekdaysOf('FREQ=WEEKLY;BYDAY=MO;COUNT=3')).toBeNull();
    expect(weekdaysOf('FREQ=WEEKLY')).toBeNull();
    expect(weekdaysOf('')).toBeNull();
  });

  it('checks the shape of a raw rule', () => {
    expect(looksLikeRrule('FREQ=MONTHLY;BYMONTHDAY=1,15')).toBe(true);
    expect(looksLikeRrule('FREQ=WEEKLY;BYDAY=-1FR;UNTIL=20261231T000000Z')).toBe(true);
    expect(looksLikeRrule('BYDAY=MO')).toBe(false);
    expect(looksLikeRrule('every monday')).toBe(false);
    expect(looksLikeRrule('')).toBe(false);
  });
});
