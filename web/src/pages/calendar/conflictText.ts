// A schedule conflict as a plain sentence in the UI's language, written from its `params`
// (the server's `message` is English and only the fallback). Pure: `t` is passed in.
import { monthDay, shortMoment, timeOfDay, zonedParts } from './time';
import type { Conflict } from './types';

type Translate = (key: string, opts?: Record<string, unknown>) => string;

export interface SentenceContext {
  t: Translate;
  /** The workspace's time zone: times are shown there. */
  zone: string;
  /** The item's (proposed) time: a time on another day than this one shows its date too. */
  at?: string | null;
  /** A platform code as its name (小红书 for xiaohongshu). */
  platformName?: (code: string) => string;
}

/** `1 小时 30 分钟`, `45 分钟`, `2 小时`. */
export function duration(minutes: number, t: Translate): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return t('calendar:duration.minutes', { count: m });
  if (m % 60 === 0) return t('calendar:duration.hours', { count: m / 60 });
  return t('calendar:duration.hoursMinutes', { hours: Math.floor(m / 60), minutes: m % 60 });
}

/** `HH:mm` when on the item's own day, else `MM-DD HH:mm`. */
function timeNear(other: string, cx: SentenceContext): string {
  const sameDay = cx.at && zonedParts(other, cx.zone).date === zonedParts(cx.at, cx.zone).date;
  return sameDay ? timeOfDay(other, cx.zone) : shortMoment(other, cx.zone);
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));
const isMoment = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const bare = (tag: string) => tag.replace(/^#+/, '').replace(/#+$/, '');

/** The sentence for one conflict; the server's own message when its params are not understood. */
export function conflictSentence(c: Conflict, cx: SentenceContext): string {
  const p = c.params ?? {};
  const { t } = cx;
  switch (c.rule) {
    case 'min_gap':
      if (!isMoment(p.other_at)) break;
      return t('calendar:conflict.min_gap', {
        time: timeNear(p.other_at, cx),
        title: str(p.other_title),
        gap: duration(num(p.gap_minutes), t),
        min: num(p.min_hours),
      });
    case 'account_daily':
      if (!isDay(p.day)) break;
      return t('calendar:conflict.account_daily', { day: monthDay(p.day), count: num(p.count), max: num(p.max) });
    case 'platform_daily':
      if (!isDay(p.day)) break;
      return t('calendar:conflict.platform_daily', {
        platform: cx.platformName ? cx.platformName(str(p.platform)) : str(p.platform),
        day: monthDay(p.day),
        count: num(p.count),
        max: num(p.max),
      });
    case 'quiet_hours':
      return t('calendar:conflict.quiet_hours', { time: str(p.local_time), start: str(p.start), end: str(p.end) });
    case 'embargo':
      if (!isMoment(p.embargo_at)) break;
      return t('calendar:conflict.embargo', { campaign: str(p.campaign_name), time: shortMoment(p.embargo_at, cx.zone) });
    case 'topic_spacing': {
      const key = p.key_kind === 'hashtag' ? 'calendar:conflict.topic_spacing_hashtag' : 'calendar:conflict.topic_spacing_topic';
      return t(key, { key: bare(str(p.key)), hours: num(p.hours), accounts: num(p.accounts), max: num(p.max_accounts) });
    }
    case 'after_due':
      if (!isDay(p.due_on)) break;
      return t('calendar:conflict.after_due', { day: monthDay(p.due_on) });
    case 'unapproved':
      return t('calendar:conflict.unapproved', { hours: num(p.hours) });
    case 'past_slot':
      return t('calendar:conflict.past_slot');
    case 'holiday':
      if (!isDay(p.day)) break;
      return t('calendar:conflict.holiday', { day: monthDay(p.day), name: str(p.name), tier: str(p.tier) });
  }
  return c.message;
}

/** Blocking conflicts first, then warnings, each kept in the server's order. */
export function bySeverity(conflicts: readonly Conflict[]): Conflict[] {
  return [...conflicts.filter((c) => c.severity === 'block'), ...conflicts.filter((c) => c.severity !== 'block')];
}

/** The worst severity among conflicts, or null when there are none. */
export function worstSeverity(conflicts: readonly Conflict[]): 'block' | 'warn' | null {
  if (conflicts.some((c) => c.severity === 'block')) return 'block';
  return conflicts.length ? 'warn' : null;
}

/** The conflicts a 409 `calendar.conflict` carries in `params.conflicts` (empty for anything else). */
export function conflictsOfError(err: unknown): Conflict[] {
  if (typeof err !== 'object' || err === null) return [];
  const e = err as { code?: unknown; params?: { conflicts?: unknown } };
  if (e.code !== 'calendar.conflict' || !Array.isArray(e.params?.conflicts)) return [];
  return e.params.conflicts.filter((c): c is Conflict => typeof c === 'object' && c !== null && typeof (c as Conflict).rule === 'string');
}
