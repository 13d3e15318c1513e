import dayjs, { type Dayjs } from 'dayjs';
import type { NotificationKind, NotificationPreferences } from '../../api/types';
import { KINDS } from './text';

/** The kinds a member hears of, per way of telling them. */
export interface KindChoice {
  in_app: NotificationKind[];
  email: NotificationKind[];
}

/** What the preferences form holds: the kinds per channel, the quiet period as times of day. */
export interface PreferenceValues {
  kinds: KindChoice;
  quiet_from: Dayjs | null;
  quiet_until: Dayjs | null;
  mobile?: string;
  feishu_open_id?: string;
}

/** Which end of the quiet period is wrong: a missing half, or both the same time. */
export type QuietPeriodError = { field: 'quiet_from' | 'quiet_until'; reason: 'missing' | 'same' } | null;

/** A quiet period is both times or neither, and not empty (from = until). Times are "HH:mm". */
export function quietPeriodError(from: string | null | undefined, until: string | null | undefined): QuietPeriodError {
  if (!from && !until) return null;
  if (!from) return { field: 'quiet_from', reason: 'missing' };
  if (!until) return { field: 'quiet_until', reason: 'missing' };
  if (from === until) return { field: 'quiet_until', reason: 'same' };
  return null;
}

/** A stored "22:00" as a time of day for the picker. */
export function parseClock(v: string | null | undefined): Dayjs | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v?.trim() ?? '');
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? dayjs().hour(h).minute(min).second(0).millisecond(0) : null;
}

export const formatClock = (v: Dayjs | null | undefined): string | null => (v ? v.format('HH:mm') : null);

/** A mobile number as the server keeps it: spaces and dashes dropped, 5–20 digits after an optional +. */
export function normalMobile(v: string | undefined): string {
  return (v ?? '').trim().replace(/[\s-]/g, '');
}

export function mobileValid(v: string | undefined): boolean {
  const m = normalMobile(v);
  return m === '' || /^\+?\d{5,20}$/.test(m);
}

/** A Feishu/Lark open_id (ou_…): letters, digits and underscores, at most 64. */
export function openIdValid(v: string | undefined): boolean {
  const o = (v ?? '').trim();
  return o === '' || /^\w{1,64}$/.test(o);
}

const inOrder = (kinds: readonly NotificationKind[]): NotificationKind[] => KINDS.filter((k) => kinds.includes(k));

export function preferenceValues(p: NotificationPreferences): PreferenceValues {
  return {
    kinds: { in_app: inOrder(p.in_app), email: inOrder(p.email) },
    quiet_from: parseClock(p.quiet_from),
    quiet_until: parseClock(p.quiet_until),
    mobile: p.mobile ?? '',
    feishu_open_id: p.feishu_open_id ?? '',
  };
}

/** The body of the PUT: every field, empty ones as null. */
export function preferencesBody(v: PreferenceValues): NotificationPreferences {
  return {
    in_app: inOrder(v.kinds.in_app),
    email: inOrder(v.kinds.email),
    quiet_from: formatClock(v.quiet_from),
    quiet_until: formatClock(v.quiet_until),
    mobile: normalMobile(v.mobile) || null,
    feishu_open_id: (v.feishu_open_id ?? '').trim() || null,
  };
}

/** Turns one kind on or off for one way of telling (kept in the order of KINDS). */
export function toggleKind(choice: KindChoice, way: keyof KindChoice, kind: NotificationKind, on: boolean): KindChoice {
  const rest = choice[way].filter((k) => k !== kind);
  return { ...choice, [way]: inOrder(on ? [...rest, kind] : rest) };
}
