import { http, type Query } from './client';
import type {
  Account,
  AccountInput,
  AccountOverview,
  AccountPage,
  AccountPatch,
  ApiToken,
  Campaign,
  CampaignInput,
  CampaignPage,
  CampaignPatch,
  CreatedApiToken,
  CustomField,
  CustomFieldInput,
  CustomFieldPatch,
  EventPage,
  FieldEntity,
  LoginRequest,
  Me,
  Member,
  MemberInput,
  MemberPatch,
  Platform,
  Session,
  UpdateMe,
  Workspace,
} from './types';

const ws = (id: number) => `/workspaces/${id}`;

export const authApi = {
  login: (body: LoginRequest) => http.post<Me>('/auth/login', body),
  logout: () => http.post<void>('/auth/logout'),
  me: () => http.get<Me>('/me'),
  updateMe: (body: UpdateMe) => http.patch<Me>('/me', body),
  sessions: () => http.get<Session[]>('/me/sessions'),
  revokeSession: (id: string | number) => http.del(`/me/sessions/${id}`),
  tokens: () => http.get<ApiToken[]>('/me/tokens'),
  createToken: (name: string) => http.post<CreatedApiToken>('/me/tokens', { name }),
  revokeToken: (id: number) => http.del(`/me/tokens/${id}`),
};

export const workspaceApi = {
  get: (w: number) => http.get<Workspace>(ws(w)),
  update: (w: number, body: Partial<Pick<Workspace, 'name' | 'time_zone'>>) => http.patch<Workspace>(ws(w), body),
};

export const platformApi = {
  list: (w: number) => http.get<Platform[]>(`${ws(w)}/platforms`),
  create: (w: number, body: { code: string; name: string }) => http.post<Platform>(`${ws(w)}/platforms`, body),
  update: (w: number, code: string, body: { name?: string; active?: boolean }) =>
    http.patch<Platform>(`${ws(w)}/platforms/${encodeURIComponent(code)}`, body),
};

export interface AccountQuery {
  limit?: number;
  offset?: number;
  tier?: string;
  platform?: string;
  owner?: number;
  status?: string;
  tag?: string;
  q?: string;
  sort?: 'followers_desc' | 'followers_asc' | 'created_desc' | 'handle_asc';
  /** Custom-field filters, sent as `cf.<key>=<value>`. */
  cf?: Record<string, string | undefined>;
}

export function accountQueryParams(q: AccountQuery): Query {
  const { cf, ...rest } = q;
  const params: Query = { ...rest };
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== '') params[`cf.${k}`] = v;
  }
  return params;
}

export const accountApi = {
  list: (w: number, q: AccountQuery) => http.get<AccountPage>(`${ws(w)}/accounts`, accountQueryParams(q)),
  get: (w: number, id: number) => http.get<Account>(`${ws(w)}/accounts/${id}`),
  create: (w: number, body: AccountInput) => http.post<Account>(`${ws(w)}/accounts`, body),
  update: (w: number, id: number, body: AccountPatch) => http.patch<Account>(`${ws(w)}/accounts/${id}`, body),
  overview: (w: number) => http.get<AccountOverview>(`${ws(w)}/accounts/overview`),
};

export interface CampaignQuery {
  status?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export const campaignApi = {
  list: (w: number, q: CampaignQuery) => http.get<CampaignPage>(`${ws(w)}/campaigns`, { ...q }),
  get: (w: number, id: number) => http.get<Campaign>(`${ws(w)}/campaigns/${id}`),
  create: (w: number, body: CampaignInput) => http.post<Campaign>(`${ws(w)}/campaigns`, body),
  update: (w: number, id: number, body: CampaignPatch) => http.patch<Campaign>(`${ws(w)}/campaigns/${id}`, body),
};

export const memberApi = {
  list: (w: number) => http.get<Member[]>(`${ws(w)}/members`),
  create: (w: number, body: MemberInput) => http.post<Member>(`${ws(w)}/members`, body),
  update: (w: number, userId: number, body: MemberPatch) => http.patch<Member>(`${ws(w)}/members/${userId}`, body),
  remove: (w: number, userId: number) => http.del(`${ws(w)}/members/${userId}`),
};

export const customFieldApi = {
  list: (w: number, entity: FieldEntity) => http.get<CustomField[]>(`${ws(w)}/custom-fields`, { entity }),
  create: (w: number, body: CustomFieldInput) => http.post<CustomField>(`${ws(w)}/custom-fields`, body),
  update: (w: number, id: number, body: CustomFieldPatch) => http.patch<CustomField>(`${ws(w)}/custom-fields/${id}`, body),
  remove: (w: number, id: number) => http.del(`${ws(w)}/custom-fields/${id}`),
};

export interface EventQuery {
  entity_type?: string;
  entity_id?: number;
  limit?: number;
  before?: number;
}

export const eventApi = {
  list: (w: number, q: EventQuery) => http.get<EventPage>(`${ws(w)}/events`, { ...q }),
};
