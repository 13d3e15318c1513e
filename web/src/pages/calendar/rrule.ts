// Recurring slots as the weekly RRULEs the form builds from weekday checkboxes. Pure.

/** RFC 5545 weekday codes, Monday first (the Chinese week). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `FREQ=WEEKLY;BYDAY=TU,TH` from checked weekdays (in week order, each once); '' for none. */
export function weeklyRule(days: readonly Weekday[]): string {
  const set = new Set(days);
  const ordered = WEEKDAYS.filter((d) => set.has(d));
  return ordered.length ? `FREQ=WEEKLY;BYDAY=${ordered.join(',')}` : '';
}

/**
 * The weekdays of a rule the checkboxes can show — a plain weekly rule (`FREQ=WEEKLY;BYDAY=…`,
 * parts in any order, `INTERVAL=1` allowed) — or null for anything else (edited as raw text).
 */
export function weekdaysOf(rrule: string): Weekday[] | null {
  const parts = rrule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter(Boolean)
    .map((p) => p.split('='));
  const map = new Map<string, string>();
  for (const [k, v] of parts) {
    if (!k || v === undefined || map.has(k.toUpperCase())) return null;
    map.set(k.toUpperCase(), v.toUpperCase());
  }
  if (map.get('FREQ') !== 'WEEKLY' || !map.has('BYDAY')) return null;
  for (const k of map.keys()) if (!['FREQ', 'BYDAY', 'INTERVAL'].includes(k)) return null;
  if (map.has('INTERVAL') && map.get('INTERVAL') !== '1') return null;
  const days = map.get('BYDAY')!.split(',');
  if (days.some((d) => !(WEEKDAYS as readonly string[]).includes(d))) return null;
  return WEEKDAYS.filter((d) => days.includes(d));
}

/** A quick check before sending: `FREQ=` present, `KEY=VALUE` parts. The server has the last word. */
export function looksLikeRrule(rrule: string): boolean {
  const body = rrule.trim().replace(/^RRULE:/i, '');
  if (!body) return false;
  const parts = body.split(';').filter(Boolean);
  return parts.every((p) => /^[A-Z]+=[A-Z0-9,+\-:TZ]+$/i.test(p)) && parts.some((p) => /^FREQ=/i.test(p));
}
