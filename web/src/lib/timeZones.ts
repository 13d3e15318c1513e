/**
 * IANA time zones offered for a workspace: the home market first, then the
 * rest of Asia-Pacific, Europe and the Americas. The API accepts any IANA
 * name, so a zone set elsewhere is still shown (see `timeZoneOptions`).
 */
export const TIME_ZONES: readonly string[] = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Ho_Chi_Minh',
  'Asia/Jakarta',
  'Asia/Manila',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Perth',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Stockholm',
  'Europe/Istanbul',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Toronto',
  'America/Vancouver',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'UTC',
];

function zoneName(zone: string, locale: string, style: 'longOffset' | 'longGeneric', at: Date): string | undefined {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return undefined; // a zone this browser does not know
  }
}

/** `UTC+08:00` for a zone at the given moment, or undefined for an unknown zone. */
export function utcOffset(zone: string, at: Date = new Date()): string | undefined {
  const gmt = zoneName(zone, 'en-US', 'longOffset', at);
  if (gmt === undefined) return undefined;
  return gmt === 'GMT' ? 'UTC+00:00' : gmt.replace(/^GMT/, 'UTC');
}

/**
 * `(UTC+08:00) Asia/Shanghai · 中国标准时间`: the IANA name stays in the label so
 * it can be searched for, next to the zone's name in the UI language.
 */
export function timeZoneLabel(zone: string, locale: string, at: Date = new Date()): string {
  const offset = utcOffset(zone, at);
  if (offset === undefined) return zone;
  const generic = zoneName(zone, locale, 'longGeneric', at);
  const named = generic && !/^(GMT|UTC)/.test(generic) ? ` · ${generic}` : '';
  return `(${offset}) ${zone}${named}`;
}

/** Select options for the zones above, plus `current` when it is not one of them. */
export function timeZoneOptions(locale: string, current?: string | null, at: Date = new Date()): { value: string; label: string }[] {
  const zones = current && !TIME_ZONES.includes(current) ? [current, ...TIME_ZONES] : TIME_ZONES;
  return zones.map((zone) => ({ value: zone, label: timeZoneLabel(zone, locale, at) }));
}

/**
 * The calendar date (`YYYY-MM-DD`) at `at` in `zone` — the workspace's "today", whatever the
 * browser's own zone is. An unknown zone falls back to the browser's date.
 */
export function dateIn(zone: string | undefined, at: Date = new Date()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
}
