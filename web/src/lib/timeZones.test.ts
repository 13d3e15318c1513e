import { describe, expect, it } from 'vitest';
import { TIME_ZONES, dateIn, timeZoneLabel, timeZoneOptions, utcOffset } from './timeZones';

const JANUARY = new Date('2026-01-15T12:00:00Z');
const JULY = new Date('2026-07-15T12:00:00Z');

describe('time zones', () => {
  it('offers China first, no zone twice, and only names the runtime knows', () => {
    expect(TIME_ZONES[0]).toBe('Asia/Shanghai');
    expect(new Set(TIME_ZONES).size).toBe(TIME_ZONES.length);
    for (const zone of TIME_ZONES) expect(utcOffset(zone, JANUARY), zone).toMatch(/^UTC[+-]\d\d:\d\d$/);
  });

  it('labels a zone with its offset at that moment and keeps the IANA name searchable', () => {
    expect(utcOffset('Asia/Shanghai', JULY)).toBe('UTC+08:00');
    expect(utcOffset('UTC', JULY)).toBe('UTC+00:00');
    expect(utcOffset('Europe/London', JANUARY)).toBe('UTC+00:00');
    expect(utcOffset('Europe/London', JULY)).toBe('UTC+01:00');
    expect(timeZoneLabel('Asia/Hong_Kong', 'en-US', JULY)).toMatch(/^\(UTC\+08:00\) Asia\/Hong_Kong/);
    expect(timeZoneLabel('UTC', 'zh-CN', JULY)).toBe('(UTC+00:00) UTC');
  });

  it('falls back to the bare name for a zone the runtime does not know', () => {
    expect(utcOffset('Mars/Olympus_Mons')).toBeUndefined();
    expect(timeZoneLabel('Mars/Olympus_Mons', 'zh-CN')).toBe('Mars/Olympus_Mons');
  });

  it('keeps a current zone that is not in the list', () => {
    expect(timeZoneOptions('zh-CN', 'Asia/Shanghai').map((o) => o.value)).toEqual([...TIME_ZONES]);
    const options = timeZoneOptions('en-US', 'Africa/Nairobi');
    expect(options[0]?.value).toBe('Africa/Nairobi');
    expect(options).toHaveLength(TIME_ZONES.length + 1);
  });

  it("gives the workspace's date, not the browser's", () => {
    // 20:30 UTC on 15 January is already the 16th in Shanghai and still the 15th in New York.
    const evening = new Date('2026-01-15T20:30:00Z');
    expect(dateIn('Asia/Shanghai', evening)).toBe('2026-01-16');
    expect(dateIn('America/New_York', evening)).toBe('2026-01-15');
    expect(dateIn('Mars/Olympus_Mons', evening)).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
});
