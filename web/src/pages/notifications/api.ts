import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type {
  ChannelDraft,
  ChannelPatch,
  DeliveryStatus,
  JobState,
  MarkRead,
  NotificationKind,
  NotificationPreferences,
  NotificationRuleDraft,
  NotificationRulePatch,
} from '../../api/types';

/** Filters of the member's notification list (`before` pages back to older ones). */
export interface NotificationQuery {
  unread?: boolean;
  kind?: NotificationKind;
  before?: number;
  limit?: number;
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  before?: number;
  limit?: number;
}

const ofUser = (workspace_id: number, user_id: number) => ({ path: { workspace_id, user_id } });

export const notificationApi = {
  list: (w: number, query: NotificationQuery = {}) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/notifications', { params: { ...inWs(w), query } })),
  unread: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/notifications/unread', { params: inWs(w) })),
  markRead: (w: number, body: MarkRead) => call(api.POST('/api/v1/workspaces/{workspace_id}/notifications/read', { params: inWs(w), body })),
  sendTest: (w: number) => call(api.POST('/api/v1/workspaces/{workspace_id}/notifications/test', { params: inWs(w) })),

  preferences: (w: number, user: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/notification-preferences/{user_id}', { params: ofUser(w, user) })),
  setPreferences: (w: number, user: number, body: NotificationPreferences) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/notification-preferences/{user_id}', { params: ofUser(w, user), body })),

  channels: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/notification-channels', { params: inWs(w) })),
  createChannel: (w: number, body: ChannelDraft) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/notification-channels', { params: inWs(w), body })),
  updateChannel: (w: number, id: number, body: ChannelPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/notification-channels/{id}', { params: inItem(w, id), body })),
  removeChannel: (w: number, id: number) =>
    call(api.DELETE('/api/v1/workspaces/{workspace_id}/notification-channels/{id}', { params: inItem(w, id) })),
  testChannel: (w: number, id: number) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/notification-channels/{id}/test', { params: inItem(w, id) })),

  rules: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/notification-rules', { params: inWs(w) })),
  createRule: (w: number, body: NotificationRuleDraft) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/notification-rules', { params: inWs(w), body })),
  updateRule: (w: number, id: number, body: NotificationRulePatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/notification-rules/{id}', { params: inItem(w, id), body })),
  removeRule: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/notification-rules/{id}', { params: inItem(w, id) })),

  deliveries: (w: number, query: DeliveryQuery = {}) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/deliveries', { params: { ...inWs(w), query } })),
  retryDelivery: (w: number, id: number) => call(api.POST('/api/v1/workspaces/{workspace_id}/deliveries/{id}/retry', { params: inItem(w, id) })),

  jobs: (w: number, state?: JobState, limit?: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/jobs', { params: { ...inWs(w), query: { state, limit } } })),
  retryJob: (w: number, id: number) => call(api.POST('/api/v1/workspaces/{workspace_id}/jobs/{id}/retry', { params: inItem(w, id) })),
};
