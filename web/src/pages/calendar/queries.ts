import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { calendarApi, type Range } from './api';
import type { CalendarQuery, WaveQuery } from './types';

/**
 * Everything of the calendar: what it shows (views, backlog, conflicts, checks, waves) under
 * `shown`, so one invalidation after a content change refreshes all of it; the settings beside.
 */
export const calendarKeys = {
  all: (w: number) => [...qk.ws(w), 'calendar'] as const,
  shown: (w: number) => [...qk.ws(w), 'calendar', 'shown'] as const,
  views: (w: number) => [...qk.ws(w), 'calendar', 'shown', 'view'] as const,
  backlog: (w: number) => [...qk.ws(w), 'calendar', 'shown', 'backlog'] as const,
  conflicts: (w: number) => [...qk.ws(w), 'calendar', 'shown', 'conflicts'] as const,
  /** The dry-run check of one item's planned time (the content drawer). */
  check: (w: number, id: number, at: string) => [...qk.ws(w), 'calendar', 'shown', 'check', id, at] as const,
  waves: (w: number) => [...qk.ws(w), 'calendar', 'shown', 'waves'] as const,
  rules: (w: number) => [...qk.ws(w), 'calendar', 'rules'] as const,
  orders: (w: number) => [...qk.ws(w), 'calendar', 'orders'] as const,
  slots: (w: number) => [...qk.ws(w), 'calendar', 'slots'] as const,
  holidays: (w: number) => [...qk.ws(w), 'calendar', 'holidays'] as const,
  feeds: (w: number) => [...qk.ws(w), 'calendar', 'feeds'] as const,
};

export const calendarViewQuery = (w: number, range: Range, filters: CalendarQuery) =>
  queryOptions({
    queryKey: [...calendarKeys.views(w), range, filters],
    queryFn: () => calendarApi.view(w, range, filters),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

export const backlogQuery = (w: number, filters: CalendarQuery) =>
  queryOptions({
    queryKey: [...calendarKeys.backlog(w), filters],
    queryFn: () => calendarApi.backlog(w, filters),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

export const conflictsQuery = (w: number, range: Range, filters: CalendarQuery) =>
  queryOptions({
    queryKey: [...calendarKeys.conflicts(w), range, filters],
    queryFn: () => calendarApi.conflicts(w, range, filters),
    placeholderData: keepPreviousData,
  });

export const wavesQuery = (w: number, q: WaveQuery) =>
  queryOptions({ queryKey: [...calendarKeys.waves(w), q], queryFn: () => calendarApi.waves(w, q) });

export const rulesQuery = (w: number) => queryOptions({ queryKey: calendarKeys.rules(w), queryFn: () => calendarApi.rules(w) });

export const ordersQuery = (w: number, campaignId: number) =>
  queryOptions({ queryKey: [...calendarKeys.orders(w), campaignId], queryFn: () => calendarApi.orders(w, campaignId) });

export const slotsQuery = (w: number) => queryOptions({ queryKey: calendarKeys.slots(w), queryFn: () => calendarApi.slots(w) });

export const holidaysQuery = (w: number, year: number) =>
  queryOptions({ queryKey: [...calendarKeys.holidays(w), year], queryFn: () => calendarApi.holidays(w, year) });

export const feedsQuery = (w: number) => queryOptions({ queryKey: calendarKeys.feeds(w), queryFn: () => calendarApi.feeds(w) });
