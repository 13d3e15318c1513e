// The calendar's API shapes, written from the contract (/tmp/calendar-contract.md) until the
// server's OpenAPI document is re-pinned (`make openapi`). Then each of these becomes an alias
// in src/api/types.ts (`S['CalendarView']` …) and this file only re-exports them.
import type { Capability, ReviewState, Stage, Tier } from '../../api/types';

export type { Stage, Tier };

/** The capability that edits schedule rules, coordination orders, recurring slots and holidays. */
export const SCHEDULE_MANAGE = 'schedule.manage' as Capability;

export type RuleMode = 'off' | 'warn' | 'block';
export type Severity = 'warn' | 'block';

export type ConflictRule =
  | 'min_gap'
  | 'account_daily'
  | 'platform_daily'
  | 'quiet_hours'
  | 'embargo'
  | 'topic_spacing'
  | 'after_due'
  | 'unapproved'
  | 'past_slot'
  | 'holiday';

export interface Conflict {
  rule: ConflictRule;
  severity: Severity;
  /** An English sentence; the UI writes its own from `params`. */
  message: string;
  /** The other items involved. */
  others: number[];
  /** What the sentence names, per rule (see conflictText.ts). */
  params: Record<string, unknown>;
}

export interface CalendarItem {
  id: number;
  title: string;
  stage: Stage;
  review_state: ReviewState;
  account_id: number | null;
  handle: string | null;
  display_name: string | null;
  tier: Tier | null;
  platform: string | null;
  campaign_id: number | null;
  assignee_id: number | null;
  /** published_at when published, else planned_at (null in the backlog). */
  at: string | null;
  planned_at: string | null;
  published_at: string | null;
  due_on: string | null;
  version: number;
  /** The wave this item follows up, if any. */
  wave_id: number | null;
  /** The caller may move it (PATCH planned_at). */
  may_schedule: boolean;
  conflicts: Conflict[];
}

export interface SlotOccurrence {
  slot_id: number;
  name: string;
  at: string;
  account_id: number | null;
  tier: Tier | null;
  platform: string | null;
  /** Items already at this occurrence; empty = an open slot. */
  filled_by: number[];
}

export type HolidayKind = 'holiday' | 'workday';

export interface Holiday {
  date: string;
  name: string;
  /** `workday` = 调休上班 (an adjusted working day). */
  kind: HolidayKind;
}

export interface CalendarView {
  from: string;
  to: string;
  time_zone: string;
  items: CalendarItem[];
  slots: SlotOccurrence[];
  holidays: Holiday[];
  conflict_count: number;
}

export interface ItemList {
  items: CalendarItem[];
}

/** Filters of the calendar endpoints, as sent. */
export interface CalendarQuery {
  account_id?: number;
  tier?: Tier;
  platform?: string;
  campaign_id?: number;
  operator?: number;
  stage?: Stage;
}

export interface ScheduleCheckInput {
  item_id: number;
  planned_at: string;
}

export interface ScheduleCheck {
  conflicts: Conflict[];
  blocking: boolean;
}

export interface QuietWindow {
  /** A platform code, or null for every platform. */
  platform: string | null;
  start: string;
  end: string;
}

export interface ScheduleRules {
  min_gap: { mode: RuleMode; hours: number };
  account_daily: { mode: RuleMode; max: number };
  platform_daily: { mode: RuleMode; max: number };
  quiet_hours: { mode: RuleMode; windows: QuietWindow[] };
  embargo: { mode: RuleMode };
  topic_spacing: { mode: RuleMode; accounts: number; hours: number };
  after_due: { mode: RuleMode };
  unapproved: { mode: RuleMode; hours: number };
  past_slot: { mode: RuleMode };
  holiday: { mode: RuleMode; tiers: Tier[] };
}

/** Which accounts an order means; an empty list means any, tags match any of them. */
export interface AccountSpec {
  tiers: Tier[];
  platforms: string[];
  account_tags: string[];
}

export interface FollowUpGroup {
  spec: AccountSpec;
  /** 0 ..= 43 200 (30 days). */
  delay_minutes: number;
}

export interface CoordinationOrderDraft {
  campaign_id: number;
  name: string;
  enabled: boolean;
  trigger: AccountSpec;
  follow_ups: FollowUpGroup[];
  title_template: string;
  body_template: string;
}

export interface CoordinationOrder extends CoordinationOrderDraft {
  id: number;
  created_at: string;
  updated_at: string;
  /** How many waves it has started so far. */
  waves: number;
}

export type FollowUpState = 'pending' | 'on_time' | 'late' | 'overdue';

export interface FollowUp {
  item_id: number;
  account_id: number;
  handle: string;
  title: string;
  due_at: string;
  stage: Stage;
  published_at: string | null;
  state: FollowUpState;
}

export interface Wave {
  id: number;
  order_id: number;
  order_name: string;
  trigger_item_id: number;
  trigger_title: string;
  triggered_at: string;
  parent_wave_id: number | null;
  follow_ups: FollowUp[];
  total: number;
  published: number;
  on_time: number;
  late: number;
}

export interface WaveQuery {
  order_id?: number;
  trigger_item_id?: number;
}

export interface RecurringSlotDraft {
  name: string;
  rrule: string;
  /** HH:MM */
  time: string;
  starts_on: string;
  /** null = the workspace's zone */
  time_zone: string | null;
  account_id: number | null;
  tier: Tier | null;
  platform: string | null;
  enabled: boolean;
}

export interface RecurringSlot extends RecurringSlotDraft {
  id: number;
  created_at: string;
  updated_at: string;
}

export interface HolidayYear {
  year: number;
  source: 'default' | 'custom' | 'none';
  days: Holiday[];
}

export type FeedScope = 'member' | 'account' | 'campaign';

export interface IcsFeed {
  id: number;
  scope: FeedScope;
  target_id: number | null;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IcsFeedDraft {
  scope: FeedScope;
  target_id: number | null;
  name?: string;
}

export interface CreatedIcsFeed {
  feed: IcsFeed;
  /** The secret address: shown once. */
  url: string;
}
