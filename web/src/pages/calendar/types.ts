// The calendar's API shapes: aliases of the generated schemas (src/api/types.ts), under the
// names this folder uses, plus what the UI derives from them.
import type {
  Capability,
  ScheduleConflict,
  ScheduleRules as ApiScheduleRules,
  CoordinationOrder,
  CoordinationOrderDraft,
  AccountSpec as ApiAccountSpec,
} from '../../api/types';

export type {
  CalendarItem,
  CalendarItems,
  CalendarQuery,
  CalendarView,
  ConflictRule,
  CreatedIcsFeed,
  FeedScope,
  FollowUp,
  FollowUpRule,
  FollowUpState,
  Holiday,
  HolidayKind,
  HolidayYear,
  IcsFeed,
  IcsFeedDraft,
  QuietWindow,
  RecurringSlot,
  RecurringSlotDraft,
  RuleMode,
  SlotCheck,
  SlotCheckResult,
  SlotOccurrence,
  Stage,
  Tier,
  Wave,
  WaveQuery,
} from '../../api/types';
export type { CoordinationOrder, CoordinationOrderDraft };

/** The capability that edits schedule rules, coordination orders, recurring slots and holidays. */
export const SCHEDULE_MANAGE: Capability = 'schedule.manage';

export type Conflict = ScheduleConflict;
export type Severity = ScheduleConflict['severity'];

/** Every rule present (the server answers all of them; a missing one takes its default on PUT). */
export type ScheduleRules = Required<ApiScheduleRules>;

/** Which accounts an order means, every list present (empty = any). */
export type AccountSpec = Required<ApiAccountSpec>;
