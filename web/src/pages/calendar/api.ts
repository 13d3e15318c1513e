import { api, call } from '../../api/client';
import { contentApi } from '../content/api';
import type {
  CalendarQuery,
  CalendarView,
  CoordinationOrder,
  CoordinationOrderDraft,
  CreatedIcsFeed,
  Holiday,
  HolidayYear,
  IcsFeed,
  IcsFeedDraft,
  ItemList,
  RecurringSlot,
  RecurringSlotDraft,
  ScheduleCheck,
  ScheduleCheckInput,
  ScheduleRules,
  Wave,
  WaveQuery,
} from './types';

// The calendar's endpoints are not in the pinned openapi.json yet, so the typed client would
// refuse their paths. Until `make openapi` re-pins the document, they go through the same client
// (cookies, CSRF header, `call`'s ApiError) with the path as a plain string and the answer typed
// from types.ts. When the schema lands, `request` and `Untyped` go and each line below becomes an
// ordinary `call(api.GET('/api/v1/workspaces/{workspace_id}/calendar', …))`.
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined>;
interface Init {
  params: { path: Record<string, number>; query?: Query };
  body?: unknown;
}
type Untyped = Record<Method, (path: string, init: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>>;
const untyped = api as unknown as Untyped;

const WS = '/api/v1/workspaces/{workspace_id}';

function request<T>(method: Method, w: number, path: string, opts: { id?: number; query?: Query; body?: unknown } = {}): Promise<T> {
  const ids: Record<string, number> = { workspace_id: w };
  if (opts.id !== undefined) ids.id = opts.id;
  const params = { path: ids, query: opts.query };
  const init: Init = opts.body === undefined ? { params } : { params, body: opts.body };
  return call<T>(untyped[method](`${WS}${path}`, init) as Promise<{ data?: T; error?: unknown; response: Response }>);
}

/** A moment range of the calendar (RFC 3339 UTC, `to` exclusive, at most 366 days). */
export interface Range {
  from: string;
  to: string;
}

export const calendarApi = {
  view: (w: number, range: Range, filters: CalendarQuery) => request<CalendarView>('GET', w, '/calendar', { query: { ...range, ...filters } }),
  backlog: (w: number, filters: Omit<CalendarQuery, 'stage'>) => request<ItemList>('GET', w, '/calendar/backlog', { query: { ...filters } }),
  conflicts: (w: number, range: Range, filters: CalendarQuery) =>
    request<ItemList>('GET', w, '/calendar/conflicts', { query: { ...range, ...filters } }),
  /** A dry run of a proposed time: nothing is written. */
  check: (w: number, body: ScheduleCheckInput) => request<ScheduleCheck>('POST', w, '/calendar/check', { body }),
  /** Scheduling is the content item's own PATCH; a blocking conflict answers 409 `calendar.conflict`. */
  schedule: (w: number, id: number, version: number, planned_at: string | null) => contentApi.update(w, id, { version, planned_at }),

  rules: (w: number) => request<ScheduleRules>('GET', w, '/schedule-rules'),
  saveRules: (w: number, body: ScheduleRules) => request<ScheduleRules>('PUT', w, '/schedule-rules', { body }),

  orders: (w: number, campaign_id: number) =>
    request<{ items: CoordinationOrder[] }>('GET', w, '/coordination-orders', { query: { campaign_id } }).then((r) => r.items),
  createOrder: (w: number, body: CoordinationOrderDraft) => request<CoordinationOrder>('POST', w, '/coordination-orders', { body }),
  updateOrder: (w: number, id: number, body: CoordinationOrderDraft) =>
    request<CoordinationOrder>('PUT', w, '/coordination-orders/{id}', { id, body }),
  removeOrder: (w: number, id: number) => request<void>('DELETE', w, '/coordination-orders/{id}', { id }),

  waves: (w: number, query: WaveQuery) => request<{ items: Wave[] }>('GET', w, '/waves', { query: { ...query } }).then((r) => r.items),

  slots: (w: number) => request<{ items: RecurringSlot[] }>('GET', w, '/recurring-slots').then((r) => r.items),
  createSlot: (w: number, body: RecurringSlotDraft) => request<RecurringSlot>('POST', w, '/recurring-slots', { body }),
  updateSlot: (w: number, id: number, body: RecurringSlotDraft) => request<RecurringSlot>('PUT', w, '/recurring-slots/{id}', { id, body }),
  removeSlot: (w: number, id: number) => request<void>('DELETE', w, '/recurring-slots/{id}', { id }),

  holidays: (w: number, year: number) => request<HolidayYear>('GET', w, '/holidays', { query: { year } }),
  saveHolidays: (w: number, year: number, days: Holiday[]) => request<HolidayYear>('PUT', w, '/holidays/{id}', { id: year, body: { days } }),
  /** Back to the days KOX ships for that year. */
  resetHolidays: (w: number, year: number) => request<void>('DELETE', w, '/holidays/{id}', { id: year }),

  feeds: (w: number) => request<{ items: IcsFeed[] }>('GET', w, '/ics-feeds').then((r) => r.items),
  createFeed: (w: number, body: IcsFeedDraft) => request<CreatedIcsFeed>('POST', w, '/ics-feeds', { body }),
  revokeFeed: (w: number, id: number) => request<void>('DELETE', w, '/ics-feeds/{id}', { id }),
};
