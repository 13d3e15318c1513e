import { api, call } from './client';
import type { operations, paths } from './schema';
import type {
  AccountInput,
  AccountPatch,
  CampaignInput,
  CampaignPatch,
  ChangePassword,
  ContentCheckInput,
  ContentCommentInput,
  ContentInput,
  ContentMove,
  ContentPatch,
  ContentPublish,
  ContentRetro,
  ContentReviewAction,
  ContentSettings,
  CustomFieldInput,
  CustomFieldPatch,
  FieldEntity,
  LoginRequest,
  MemberInput,
  MemberPatch,
  PlatformInput,
  PlatformPatch,
  RedLineInput,
  RedLinePatch,
  UpdateMe,
  WorkspacePatch,
} from './types';

const inWs = (workspace_id: number) => ({ path: { workspace_id } });
const inItem = (workspace_id: number, id: number) => ({ path: { workspace_id, id } });

export const authApi = {
  login: (body: LoginRequest) => call(api.POST('/api/v1/auth/login', { body })),
  logout: () => call(api.POST('/api/v1/auth/logout')),
  me: () => call(api.GET('/api/v1/me')),
  updateMe: (body: UpdateMe) => call(api.PATCH('/api/v1/me', { body })),
  changePassword: (body: ChangePassword) => call(api.POST('/api/v1/me/password', { body })),
  sessions: () => call(api.GET('/api/v1/me/sessions')),
  revokeSession: (id: number) => call(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
  tokens: () => call(api.GET('/api/v1/me/tokens')),
  createToken: (name: string) => call(api.POST('/api/v1/me/tokens', { body: { name } })),
  revokeToken: (id: number) => call(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } })),
};

export const workspaceApi = {
  get: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}', { params: inWs(w) })),
  update: (w: number, body: WorkspacePatch) => call(api.PATCH('/api/v1/workspaces/{workspace_id}', { params: inWs(w), body })),
};

export const platformApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w) })),
  create: (w: number, body: PlatformInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w), body })),
  update: (w: number, code: string, body: PlatformPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/platforms/{code}', { params: { path: { workspace_id: w, code } }, body })),
};

type AccountListQuery = NonNullable<operations['list_accounts']['parameters']['query']>;

export type AccountSort = 'followers_desc' | 'followers_asc' | 'created_desc' | 'handle_asc';

export interface AccountQuery extends Omit<AccountListQuery, 'sort'> {
  sort?: AccountSort;
  /** Custom-field filters, sent as `cf.<key>=<value>`. */
  cf?: Record<string, string | undefined>;
}

/** Flattens custom-field filters into `cf.<key>` parameters and drops empty values. */
export function accountQueryParams(q: AccountQuery): AccountListQuery & Record<string, string | number> {
  const { cf, ...rest } = q;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v !== undefined && v !== null && v !== '') params[k] = v;
  }
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== '') params[`cf.${k}`] = v;
  }
  return params as AccountListQuery & Record<string, string | number>;
}

export const accountApi = {
  list: (w: number, q: AccountQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/accounts', { params: { ...inWs(w), query: accountQueryParams(q) } })),
  get: (w: number, id: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/accounts/{id}', { params: { path: { workspace_id: w, id } } })),
  create: (w: number, body: AccountInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/accounts', { params: inWs(w), body })),
  update: (w: number, id: number, body: AccountPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/accounts/{id}', { params: { path: { workspace_id: w, id } }, body })),
  overview: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/accounts/overview', { params: inWs(w) })),
};

export type CampaignQuery = NonNullable<operations['list_campaigns']['parameters']['query']>;

export const campaignApi = {
  list: (w: number, query: CampaignQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/campaigns', { params: { ...inWs(w), query } })),
  get: (w: number, id: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/campaigns/{id}', { params: { path: { workspace_id: w, id } } })),
  create: (w: number, body: CampaignInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/campaigns', { params: inWs(w), body })),
  update: (w: number, id: number, body: CampaignPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/campaigns/{id}', { params: { path: { workspace_id: w, id } }, body })),
};

export const memberApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/members', { params: inWs(w) })),
  create: (w: number, body: MemberInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/members', { params: inWs(w), body })),
  update: (w: number, user_id: number, body: MemberPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/members/{user_id}', { params: { path: { workspace_id: w, user_id } }, body })),
  remove: (w: number, user_id: number) =>
    call(api.DELETE('/api/v1/workspaces/{workspace_id}/members/{user_id}', { params: { path: { workspace_id: w, user_id } } })),
};

export const customFieldApi = {
  list: (w: number, entity: FieldEntity) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/custom-fields', { params: { ...inWs(w), query: { entity } } })),
  create: (w: number, body: CustomFieldInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/custom-fields', { params: inWs(w), body })),
  update: (w: number, id: number, body: CustomFieldPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: { path: { workspace_id: w, id } }, body })),
  remove: (w: number, id: number) =>
    call(api.DELETE('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: { path: { workspace_id: w, id } } })),
};

export const redLineApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/red-lines', { params: inWs(w) })),
  create: (w: number, body: RedLineInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/red-lines', { params: inWs(w), body })),
  update: (w: number, id: number, body: RedLinePatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/red-lines/{id}', { params: { path: { workspace_id: w, id } }, body })),
  remove: (w: number, id: number) =>
    call(api.DELETE('/api/v1/workspaces/{workspace_id}/red-lines/{id}', { params: { path: { workspace_id: w, id } } })),
  /** The content check (red lines, lengths, hashtags) without saving anything. */
  check: (w: number, body: ContentCheckInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/content/check', { params: inWs(w), body })),
};

export const contentSettingsApi = {
  get: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/settings', { params: inWs(w) })),
  update: (w: number, body: ContentSettings) => call(api.PUT('/api/v1/workspaces/{workspace_id}/content/settings', { params: inWs(w), body })),
};

export type FirstPassQuery = NonNullable<paths['/api/v1/workspaces/{workspace_id}/content/first-pass']['get']['parameters']['query']>;

export const firstPassApi = {
  list: (w: number, query: FirstPassQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/first-pass', { params: { ...inWs(w), query } })),
};

export type EventQuery = NonNullable<operations['list_events']['parameters']['query']>;

export const eventApi = {
  list: (w: number, query: EventQuery) => call(api.GET('/api/v1/workspaces/{workspace_id}/events', { params: { ...inWs(w), query } })),
};

export const contentApi = {
  board: (w: number, query: Record<string, string | number | boolean>) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/board', { params: { ...inWs(w), query } })),
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
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/publish-pack', { params: inItem(w, id) })),
  publish: (w: number, id: number, body: ContentPublish) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/publish', { params: inItem(w, id), body })),
  retro: (w: number, id: number, body: ContentRetro) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/retro', { params: inItem(w, id), body })),
  comments: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/comments', { params: inItem(w, id) })),
  comment: (w: number, id: number, body: ContentCommentInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/comments', { params: inItem(w, id), body })),
  history: (w: number, id: number, limit = 100) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/history', { params: { ...inItem(w, id), query: { limit } } })),
};

/** Address of the workspace's server-sent change events (same origin, cookie-authenticated). */
export const eventStreamUrl = (w: number) => `/api/v1/workspaces/${w}/events/stream`;
