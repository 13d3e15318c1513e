// TODO(api): hand-written stand-ins for the server's OpenAPI schema. As soon as
// src/api/openapi.json exists, run `npm run gen:api` and replace every
// interface below with an alias of `components['schemas'][...]` so that no
// type is described twice.

export type Tier = 'KOL' | 'KOC' | 'KOE' | 'KOS';
export type Ownership = 'brand_owned' | 'employee_authorized' | 'partner' | 'paid';
export type AccountStatus = 'active' | 'paused' | 'archived';
export type CampaignStatus = 'planned' | 'active' | 'completed' | 'cancelled';
export type Role = 'admin' | 'director' | 'editor' | 'planner' | 'operator' | 'analyst' | 'media' | 'viewer';
export type Group = 'strategy' | 'content_hub' | 'operations' | 'data_support';
export type Locale = 'zh-CN' | 'en-US';
export type FieldEntity = 'account' | 'campaign';
export type FieldKind = 'text' | 'number' | 'select' | 'multi_select' | 'date' | 'person' | 'url' | 'checkbox';

export type CustomValue = string | number | boolean | string[] | null;
export type CustomValues = Record<string, CustomValue>;

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string | null };
}

export interface User {
  id: number;
  email: string;
  name: string;
  locale: Locale;
}

export interface WorkspaceMembership {
  id: number;
  name: string;
  role: Role;
  group: Group;
  capabilities: string[];
}

export interface Me {
  user: User;
  workspaces: WorkspaceMembership[];
  csrf_token: string;
}

export interface UpdateMe {
  name?: string;
  locale?: Locale;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface Session {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

export interface ApiToken {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface CreatedApiToken {
  id: number;
  name: string;
  token: string;
  created_at: string;
}

export interface Workspace {
  id: number;
  name: string;
  time_zone: string;
}

export interface Platform {
  code: string;
  name: string;
  position: number;
  active: boolean;
}

export interface Account {
  id: number;
  tier: Tier;
  platform: string;
  handle: string;
  display_name: string;
  profile_url: string | null;
  persona: string;
  ownership: Ownership;
  status: AccountStatus;
  followers: number;
  tags: string[];
  owner_ids: number[];
  custom: CustomValues;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AccountInput {
  tier: Tier;
  platform: string;
  handle: string;
  display_name: string;
  profile_url?: string | null;
  persona?: string;
  ownership: Ownership;
  status?: AccountStatus;
  followers?: number;
  tags?: string[];
  owner_ids?: number[];
  custom?: CustomValues;
}

export type AccountPatch = Partial<AccountInput> & { version: number };

export interface AccountPage {
  items: Account[];
  total: number;
}

export interface AccountOverview {
  totals: { accounts: number; followers: number };
  by_tier_platform: { tier: Tier; platform: string; accounts: number; followers: number }[];
  by_operator: { user_id: number; name: string; accounts: number; followers: number }[];
}

export type BudgetByTier = Partial<Record<Tier, number>>;

export interface Campaign {
  id: number;
  name: string;
  theme: string;
  starts_on: string;
  ends_on: string;
  budget_fen: number;
  budget_by_tier: BudgetByTier;
  currency: string;
  required_hashtags: string[];
  embargo_at: string | null;
  target_kpis: string;
  status: CampaignStatus;
  custom: CustomValues;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignInput {
  name: string;
  theme?: string;
  starts_on: string;
  ends_on: string;
  budget_fen?: number;
  budget_by_tier?: BudgetByTier;
  currency?: string;
  required_hashtags?: string[];
  embargo_at?: string | null;
  target_kpis?: string;
  status?: CampaignStatus;
  custom?: CustomValues;
}

export type CampaignPatch = Partial<CampaignInput> & { version: number };

export interface CampaignPage {
  items: Campaign[];
  total: number;
}

export interface Member {
  user_id: number;
  email: string;
  name: string;
  role: Role;
  group: Group;
  created_at: string;
}

export interface MemberInput {
  email: string;
  name: string;
  role: Role;
  group: Group;
  password: string;
}

export interface MemberPatch {
  role?: Role;
  group?: Group;
}

export interface CustomField {
  id: number;
  entity: FieldEntity;
  key: string;
  label: string;
  kind: FieldKind;
  options: string[];
  required: boolean;
  position: number;
}

export interface CustomFieldInput {
  entity: FieldEntity;
  key: string;
  label: string;
  kind: FieldKind;
  options?: string[];
  required?: boolean;
}

export interface CustomFieldPatch {
  label?: string;
  options?: string[];
  required?: boolean;
}

export interface Event {
  id: number;
  actor_id: number | null;
  actor_name: string | null;
  entity_type: string;
  entity_id: number | null;
  action: string;
  before: unknown;
  after: unknown;
  created_at: string;
}

export interface EventPage {
  items: Event[];
}
