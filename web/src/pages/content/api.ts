import i18n from 'i18next';
import { api, call } from '../../api/client';
import { platformName, stageName } from '../../lib/builtinNames';
import { inItem, inWs } from '../../api/paths';
import type { paths } from '../../api/schema';
import type {
  ContentCheckInput,
  ContentCommentInput,
  ContentInput,
  ContentMove,
  ContentPatch,
  ContentPublish,
  ContentRetro,
  ContentReviewAction,
} from '../../api/types';

export type FirstPassQuery = NonNullable<paths['/api/v1/workspaces/{workspace_id}/content/first-pass']['get']['parameters']['query']>;

export const contentApi = {
  // Column and platform names KOX gave and the workspace never changed read in the UI's language.
  board: (w: number, query: Record<string, string | number | boolean>) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/board', { params: { ...inWs(w), query } })).then((b) => ({
      ...b,
      columns: b.columns.map((c) => ({ ...c, name: stageName(c.stage, c.name, i18n.t) })),
    })),
  get: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}', { params: inItem(w, id) })),
  create: (w: number, body: ContentInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/content', { params: inWs(w), body })),
  update: (w: number, id: number, body: ContentPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/content/{id}', { params: inItem(w, id), body })),
  remove: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/content/{id}', { params: inItem(w, id) })),
  move: (w: number, id: number, body: ContentMove) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/move', { params: inItem(w, id), body })),
  drafts: (w: number, id: number, account_ids: number[]) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/drafts', { params: inItem(w, id), body: { account_ids } })),
  review: (w: number, id: number, body: ContentReviewAction) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/review', { params: inItem(w, id), body })),
  reviews: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/reviews', { params: inItem(w, id) })),
  publishPack: (w: number, id: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/publish-pack', { params: inItem(w, id) })).then((p) => ({
      ...p,
      platform_name: platformName(p.platform, p.platform_name, i18n.t),
    })),
  publish: (w: number, id: number, body: ContentPublish) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/publish', { params: inItem(w, id), body })),
  retro: (w: number, id: number, body: ContentRetro) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/retro', { params: inItem(w, id), body })),
  comments: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/comments', { params: inItem(w, id) })),
  comment: (w: number, id: number, body: ContentCommentInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/comments', { params: inItem(w, id), body })),
  history: (w: number, id: number, limit = 100) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/history', { params: { ...inItem(w, id), query: { limit } } })),
  /** The content check (red lines, lengths, hashtags) without saving anything. */
  check: (w: number, body: ContentCheckInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/content/check', { params: inWs(w), body })),
  firstPass: (w: number, query: FirstPassQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/first-pass', { params: { ...inWs(w), query } })),
};
