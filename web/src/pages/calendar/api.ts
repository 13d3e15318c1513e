import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import { contentApi } from '../content/api';
import { DEFAULT_RULES } from './settingsForms';
import type {
  CalendarQuery,
  CoordinationOrderDraft,
  Holiday,
  IcsFeedDraft,
  RecurringSlotDraft,
  ScheduleRules,
  SlotCheck,
  WaveQuery,
} from './types';

/** A moment range of the calendar (RFC 3339 UTC, `to` exclusive, at most 366 days). */
export interface Range {
  from: string;
  to: string;
}

const ofYear = (workspace_id: number, year: number) => ({ path: { workspace_id, year } });

export const calendarApi = {
  view: (w: number, range: Range, filters: CalendarQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/calendar', { params: { ...inWs(w), query: { ...range, ...filters } } })),
  backlog: (w: number, filters: CalendarQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/calendar/backlog', { params: { ...inWs(w), query: filters } })),
  conflicts: (w: number, range: Range, filters: CalendarQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/calendar/conflicts', { params: { ...inWs(w), query: { ...range, ...filters } } })),
  /** A dry run of a proposed time: nothing is written. */
  check: (w: number, body: SlotCheck) => call(api.POST('/api/v1/workspaces/{workspace_id}/calendar/check', { params: inWs(w), body })),
  /** Scheduling is the content item's own PATCH; a blocking conflict answers 409 `calendar.conflict`. */
  schedule: (w: number, id: number, version: number, planned_at: string | null) => contentApi.update(w, id, { version, planned_at }),

  // Every rule is present in the answer; a rule the server would leave out takes its default here.
  rules: (w: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/schedule-rules', { params: inWs(w) })).then((r): ScheduleRules => ({ ...DEFAULT_RULES, ...r })),
  saveRules: (w: number, body: ScheduleRules) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/schedule-rules', { params: inWs(w), body })).then((r): ScheduleRules => ({ ...DEFAULT_RULES, ...r })),

  orders: (w: number, campaign_id: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/coordination-orders', { params: { ...inWs(w), query: { campaign_id } } })).then((r) => r.items),
  createOrder: (w: number, body: CoordinationOrderDraft) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/coordination-orders', { params: inWs(w), body })),
  updateOrder: (w: number, id: number, body: CoordinationOrderDraft) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/coordination-orders/{id}', { params: inItem(w, id), body })),
  removeOrder: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/coordination-orders/{id}', { params: inItem(w, id) })),

  waves: (w: number, query: WaveQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/waves', { params: { ...inWs(w), query } })).then((r) => r.items),

  slots: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/recurring-slots', { params: inWs(w) })).then((r) => r.items),
  createSlot: (w: number, body: RecurringSlotDraft) => call(api.POST('/api/v1/workspaces/{workspace_id}/recurring-slots', { params: inWs(w), body })),
  updateSlot: (w: number, id: number, body: RecurringSlotDraft) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/recurring-slots/{id}', { params: inItem(w, id), body })),
  removeSlot: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/recurring-slots/{id}', { params: inItem(w, id) })),

  holidays: (w: number, year: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/holidays', { params: { ...inWs(w), query: { year } } })),
  saveHolidays: (w: number, year: number, days: Holiday[]) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/holidays/{year}', { params: ofYear(w, year), body: { days } })),
  /** Back to the days KOX ships for that year (the answer is that year as it now is). */
  resetHolidays: (w: number, year: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/holidays/{year}', { params: ofYear(w, year) })),

  feeds: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/ics-feeds', { params: inWs(w) })).then((r) => r.items),
  createFeed: (w: number, body: IcsFeedDraft) => call(api.POST('/api/v1/workspaces/{workspace_id}/ics-feeds', { params: inWs(w), body })),
  revokeFeed: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/ics-feeds/{id}', { params: inItem(w, id) })),
};
