import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { entryBody, entryHasNumbers, mayEnterMetrics } from './entry';

describe('hand entry', () => {
  it('is for data managers on every post, and for operators on their own accounts’ posts', () => {
    expect(mayEnterMetrics(['metrics.manage'], 1, null)).toBe(true);
    expect(mayEnterMetrics(['metrics.write_own'], 5, { owner_ids: [5] })).toBe(true);
    expect(mayEnterMetrics(['metrics.write_own'], 5, { owner_ids: [6] })).toBe(false);
    expect(mayEnterMetrics(['metrics.write_own'], 5, undefined)).toBe(false);
    expect(mayEnterMetrics(['content.comment'], 5, { owner_ids: [5] })).toBe(false);
  });

  it('sends the day and only the numbers typed, the completion rate as a ratio', () => {
    const body = entryBody({ as_of: dayjs('2026-12-08'), likes: 1520, reads: null, saves: 300.4, completion_rate: 32.5, avg_watch_seconds: 12.5 });
    expect(body).toEqual({ as_of: '2026-12-08', likes: 1520, saves: 300, completion_rate: 0.325, avg_watch_seconds: 12.5 });
    expect(entryHasNumbers({ as_of: dayjs() })).toBe(false);
    expect(entryHasNumbers({ as_of: dayjs(), follows: 0 })).toBe(true);
  });
});
