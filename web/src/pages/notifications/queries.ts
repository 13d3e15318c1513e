import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import type { DeliveryStatus, JobState } from '../../api/types';
import { notificationApi, type NotificationQuery } from './api';

/** Notifications shown per page (the drawer shows the first). */
export const PAGE_SIZE = 20;
/** Deliveries and jobs per page of the admin's tables. */
export const LOG_PAGE_SIZE = 50;

export const notificationKeys = {
  all: (w: number) => [...qk.ws(w), 'notifications'] as const,
  /** The member's own: the unread count and the lists (what a new or read notification changes). */
  inbox: (w: number) => [...qk.ws(w), 'notifications', 'inbox'] as const,
  unread: (w: number) => [...qk.ws(w), 'notifications', 'inbox', 'unread'] as const,
  lists: (w: number) => [...qk.ws(w), 'notifications', 'inbox', 'list'] as const,
  preferences: (w: number, user: number) => [...qk.ws(w), 'notifications', 'preferences', user] as const,
  channels: (w: number) => [...qk.ws(w), 'notifications', 'channels'] as const,
  rules: (w: number) => [...qk.ws(w), 'notifications', 'rules'] as const,
  deliveries: (w: number) => [...qk.ws(w), 'notifications', 'deliveries'] as const,
  jobs: (w: number) => [...qk.ws(w), 'notifications', 'jobs'] as const,
};

/** The bell's number; kept current by the event stream (useLiveNotifications). */
export const unreadQuery = (w: number) =>
  queryOptions({ queryKey: notificationKeys.unread(w), queryFn: () => notificationApi.unread(w), staleTime: 60_000 });

/** The newest notifications, for the bell's drawer. */
export const latestQuery = (w: number) =>
  queryOptions({
    queryKey: [...notificationKeys.lists(w), 'latest'],
    queryFn: () => notificationApi.list(w, { limit: PAGE_SIZE }),
  });

/** The full list with its filters, page after page (`before` = the previous page's `next_before`). */
export const notificationPagesQuery = (w: number, filters: Omit<NotificationQuery, 'before' | 'limit'>) =>
  infiniteQueryOptions({
    queryKey: [...notificationKeys.lists(w), 'pages', filters],
    queryFn: ({ pageParam }) => notificationApi.list(w, { ...filters, before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });

export const preferencesQuery = (w: number, user: number) =>
  queryOptions({ queryKey: notificationKeys.preferences(w, user), queryFn: () => notificationApi.preferences(w, user) });

export const channelsQuery = (w: number) => queryOptions({ queryKey: notificationKeys.channels(w), queryFn: () => notificationApi.channels(w) });

export const rulesQuery = (w: number) => queryOptions({ queryKey: notificationKeys.rules(w), queryFn: () => notificationApi.rules(w) });

/** The delivery log, newest first, page after page (`before` = the last row's id). */
export const deliveryPagesQuery = (w: number, status: DeliveryStatus | undefined) =>
  infiniteQueryOptions({
    queryKey: [...notificationKeys.deliveries(w), status ?? 'all'],
    queryFn: ({ pageParam }) => notificationApi.deliveries(w, { status, before: pageParam, limit: LOG_PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.length < LOG_PAGE_SIZE ? undefined : last[last.length - 1]?.id),
  });

export const jobsQuery = (w: number, state: JobState | undefined) =>
  queryOptions({
    queryKey: [...notificationKeys.jobs(w), state ?? 'all'],
    queryFn: () => notificationApi.jobs(w, state, LOG_PAGE_SIZE),
  });
