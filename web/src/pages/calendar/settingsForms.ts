// What the schedule settings forms edit, and the API bodies they make. Pure.
import dayjs, { type Dayjs } from 'dayjs';
import { weekdaysOf, weeklyRule, type Weekday } from './rrule';
import type { Holiday, HolidayKind, RecurringSlot, RecurringSlotDraft, RuleMode, ScheduleRules, Tier } from './types';

/** The rules a new workspace has (the server's `ScheduleRules::default`). */
export const DEFAULT_RULES: ScheduleRules = {
  min_gap: { mode: 'warn', hours: 4 },
  account_daily: { mode: 'warn', max: 3 },
  platform_daily: { mode: 'off', max: 100 },
  quiet_hours: { mode: 'warn', windows: [{ platform: null, start: '01:00', end: '07:00' }] },
  embargo: { mode: 'block' },
  topic_spacing: { mode: 'warn', accounts: 5, hours: 2 },
  after_due: { mode: 'warn' },
  unapproved: { mode: 'warn', hours: 24 },
  past_slot: { mode: 'block' },
  holiday: { mode: 'warn', tiers: ['KOE'] },
};

export const RULE_MODES: readonly RuleMode[] = ['off', 'warn', 'block'];

/** The rules in the order the settings page lists them. */
export const RULE_KEYS = [
  'min_gap',
  'account_daily',
  'platform_daily',
  'quiet_hours',
  'embargo',
  'topic_spacing',
  'after_due',
  'unapproved',
  'past_slot',
  'holiday',
] as const satisfies readonly (keyof ScheduleRules)[];

/** A time of day as the TimePicker holds it (any date; only hours and minutes count). */
export const clock = (hm: string): Dayjs => dayjs(`2000-01-01T${hm}:00`);
export const hm = (d: Dayjs | null | undefined): string => (d ? d.format('HH:mm') : '');

export type RulesFormValues = Omit<ScheduleRules, 'quiet_hours'> & {
  quiet_hours: { mode: RuleMode; windows: { platform?: string | null; start: Dayjs; end: Dayjs }[] };
};

export function rulesFormValues(r: ScheduleRules): RulesFormValues {
  return { ...r, quiet_hours: { mode: r.quiet_hours.mode, windows: r.quiet_hours.windows.map((w) => ({ ...w, start: clock(w.start), end: clock(w.end) })) } };
}

export function rulesBody(v: RulesFormValues): ScheduleRules {
  return {
    ...v,
    quiet_hours: {
      mode: v.quiet_hours.mode,
      windows: (v.quiet_hours.windows ?? []).map((w) => ({ platform: w.platform || null, start: hm(w.start), end: hm(w.end) })),
    },
    holiday: { mode: v.holiday.mode, tiers: [...new Set(v.holiday.tiers ?? [])] },
  };
}

/** Maps the server's field names (`quiet_hours.windows.0.start`) onto the form's: they are the same paths. */
export const rulesFormField = (field: string) => field;

export interface SlotFormValues {
  name: string;
  /** the rule as raw text rather than weekday checkboxes */
  advanced: boolean;
  weekdays: Weekday[];
  rrule: string;
  time: Dayjs;
  starts_on: Dayjs;
  time_zone?: string | null;
  /** one account, or every account of a tier and platform */
  target: 'account' | 'group';
  account_id?: number | null;
  tier?: Tier | null;
  platform?: string | null;
  enabled: boolean;
}

export function slotFormValues(slot: RecurringSlot | undefined, today: string): SlotFormValues {
  if (!slot) {
    return {
      name: '',
      advanced: false,
      weekdays: ['TU', 'TH'],
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      time: clock('20:00'),
      starts_on: dayjs(today),
      time_zone: null,
      target: 'group',
      tier: 'KOE',
      platform: null,
      account_id: null,
      enabled: true,
    };
  }
  const days = weekdaysOf(slot.rrule);
  return {
    name: slot.name,
    advanced: days === null,
    weekdays: days ?? [],
    rrule: slot.rrule,
    time: clock(slot.time),
    starts_on: dayjs(slot.starts_on),
    time_zone: slot.time_zone ?? null,
    target: slot.account_id ? 'account' : 'group',
    account_id: slot.account_id ?? null,
    tier: slot.tier ?? null,
    platform: slot.platform ?? null,
    enabled: slot.enabled ?? true,
  };
}

export function slotBody(v: SlotFormValues): RecurringSlotDraft {
  const account = v.target === 'account';
  return {
    name: v.name.trim(),
    rrule: v.advanced ? v.rrule.trim() : weeklyRule(v.weekdays ?? []),
    time: hm(v.time),
    starts_on: v.starts_on.format('YYYY-MM-DD'),
    time_zone: v.time_zone || null,
    account_id: account ? (v.account_id ?? null) : null,
    tier: account ? null : (v.tier ?? null),
    platform: account ? null : v.platform || null,
    enabled: v.enabled,
  };
}

export interface HolidayRow {
  date: Dayjs | null;
  name: string;
  kind: HolidayKind;
}

export const holidayRows = (days: readonly Holiday[]): HolidayRow[] => days.map((d) => ({ date: dayjs(d.date), name: d.name, kind: d.kind }));

/** The rows as the API takes them, in date order; rows without a date or name are left out. */
export function holidayDays(rows: readonly HolidayRow[]): Holiday[] {
  return rows
    .filter((r) => r.date && r.name?.trim())
    .map((r) => ({ date: r.date!.format('YYYY-MM-DD'), name: r.name.trim(), kind: r.kind }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** What is wrong with a year's rows before saving: a day outside the year, or a day twice. */
export function holidayProblems(year: number, days: readonly Holiday[]): { outside: string[]; twice: string[] } {
  const outside = days.filter((d) => !d.date.startsWith(`${year}-`)).map((d) => d.date);
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const d of days) {
    if (seen.has(d.date)) twice.add(d.date);
    seen.add(d.date);
  }
  return { outside, twice: [...twice] };
}
