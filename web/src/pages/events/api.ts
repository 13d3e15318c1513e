import { api, call } from '../../api/client';
import { inWs } from '../../api/paths';
import type { operations } from '../../api/schema';

export type EventQuery = NonNullable<operations['list_events']['parameters']['query']>;

export const eventApi = {
  list: (w: number, query: EventQuery) => call(api.GET('/api/v1/workspaces/{workspace_id}/events', { params: { ...inWs(w), query } })),
};

/** Address of the workspace's server-sent change events (same origin, cookie-authenticated). */
export const eventStreamUrl = (w: number) => `/api/v1/workspaces/${w}/events/stream`;
