// Dates and times of the calendar in the workspace's time zone, whatever the browser's own zone.
// A day is a `YYYY-MM-DD` string (a calendar date, no zone); a moment is an RFC 3339 UTC string.
// Pure: no React, no clock (callers pass today), so every rule is unit-tested.

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(zone, f);
  }
  return f;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function fieldsAt(ms: number, zone: string): Fields {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  // Some engines still write midnight as 24 with h23.
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as RFC 3339 UTC without milliseconds, as the API writes it. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Where a moment falls in the zone: its day, hour and minute there. */
export function zonedParts(at: string | number, zone: string): { date: string; hour: number; minute: number } {
  const f = fieldsAt(typeof at === 'number' ? at : Date.parse(at), zone);
  return { date: `${f.year}-${pad(f.month)}-${pad(f.day)}`, hour: f.hour, minute: f.minute };
}

/** Minutes the zone is ahead of UTC at that moment (Asia/Shanghai: 480). */
export function offsetMinutes(zone: string, ms: number): number {
  const f = fieldsAt(ms, zone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * The moment a wall-clock time of a day has in the zone (`HH:mm`). A time skipped by a
 * daylight-saving change lands just after it; a repeated one takes its first occurrence.
 */
export function zonedToUtc(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const first = offsetMinutes(zone, wall);
  let ms = wall - first * 60_000;
  const second = offsetMinutes(zone, ms);
  if (second !== first) {
    const other = wall - second * 60_000;
    // Take the candidate that shows the asked wall time; else (a skipped hour) the later one.
    ms = zonedParts(other, zone).hour === h ? Math.min(ms, other) : Math.max(ms, other);
  }
  return toIso(ms);
}

/** `HH:mm` of a moment in the zone. */
export function timeOfDay(at: string, zone: string): string {
  const p = zonedParts(at, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `MM-DD` of a day. */
export const monthDay = (date: string) => date.slice(5, 10);

/** `MM-DD HH:mm` of a moment in the zone. */
export function shortMoment(at: string, zone: string): string {
  return `${monthDay(zonedParts(at, zone).date)} ${timeOfDay(at, zone)}`;
}

/** `YYYY-MM-DD HH:mm` of a moment in the zone. */
export function fullMoment(at: string | null | undefined, zone: string): string {
  return at ? `${zonedParts(at, zone).date} ${timeOfDay(at, zone)}` : '—';
}

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, n: number): string {
  return dateOf(dayMs(date) + n * 86_400_000);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(date: string): number {
  return (new Date(dayMs(date)).getUTCDay() + 6) % 7;
}

/** The Monday of the week holding the day. */
export function startOfWeek(date: string): string {
  return addDays(date, -weekday(date));
}

/** The first of the month holding the day. */
export const startOfMonth = (date: string) => `${date.slice(0, 7)}-01`;

/** The first of the month `n` months after the day's month. */
export function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/** Days from `start` up to but not including `end`. */
export function daysFrom(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) out.push(d);
  return out;
}

export const CALENDAR_VIEWS = ['month', 'week', 'day', 'timeline'] as const;
export type CalendarViewMode = (typeof CALENDAR_VIEWS)[number];

/**
 * The days a view shows around its anchor day: the month as whole weeks Monday to Sunday, the
 * week from Monday, one day, or the timeline's month (its days across).
 */
export function viewDays(view: CalendarViewMode, anchor: string): string[] {
  switch (view) {
    case 'month': {
      const first = startOfMonth(anchor);
      const next = addMonths(anchor, 1);
      const last = addDays(next, -1);
      return daysFrom(startOfWeek(first), addDays(startOfWeek(last), 7));
    }
    case 'week':
      return daysFrom(startOfWeek(anchor), addDays(startOfWeek(anchor), 7));
    case 'day':
      return [anchor];
    case 'timeline':
      return daysFrom(startOfMonth(anchor), addMonths(anchor, 1));
  }
}

/** The moments the view asks the API for: the first day's midnight to the midnight after the last. */
export function viewRange(view: CalendarViewMode, anchor: string, zone: string): { from: string; to: string } {
  const days = viewDays(view, anchor);
  return { from: zonedToUtc(days[0], '00:00', zone), to: zonedToUtc(addDays(days[days.length - 1], 1), '00:00', zone) };
}

/** The anchor one step back or forward: a month (month, timeline), a week or a day. */
export function stepAnchor(view: CalendarViewMode, anchor: string, dir: -1 | 1): string {
  switch (view) {
    case 'month':
    case 'timeline':
      return addMonths(anchor, dir);
    case 'week':
      return addDays(anchor, 7 * dir);
    case 'day':
      return addDays(anchor, dir);
  }
}

/** Groups things with a moment by their day in the zone, each day's list in time order. */
export function byDay<T>(things: readonly T[], at: (x: T) => string | null | undefined, zone: string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  const sorted = things.filter((x) => at(x)).sort((a, b) => Date.parse(at(a)!) - Date.parse(at(b)!));
  for (const x of sorted) {
    const key = zonedParts(at(x)!, zone).date;
    const list = out.get(key);
    if (list) list.push(x);
    else out.set(key, [x]);
  }
  return out;
}

/** Groups things by their day and hour in the zone (`YYYY-MM-DDTHH`), each in time order. */
export function byHour<T>(things: readonly T[], at: (x: T) => string | null | undefined, zone: string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  const sorted = things.filter((x) => at(x)).sort((a, b) => Date.parse(at(a)!) - Date.parse(at(b)!));
  for (const x of sorted) {
    const p = zonedParts(at(x)!, zone);
    const key = hourKey(p.date, p.hour);
    const list = out.get(key);
    if (list) list.push(x);
    else out.set(key, [x]);
  }
  return out;
}

/** `YYYY-MM-DDTHH`: one hour row of a day. */
export const hourKey = (date: string, hour: number) => `${date}T${pad(hour)}`;
