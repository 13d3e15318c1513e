import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { operations } from '../../api/schema';
import type { AccountInput, AccountPatch } from '../../api/types';

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
  get: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/accounts/{id}', { params: inItem(w, id) })),
  create: (w: number, body: AccountInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/accounts', { params: inWs(w), body })),
  update: (w: number, id: number, body: AccountPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/accounts/{id}', { params: inItem(w, id), body })),
  overview: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/accounts/overview', { params: inWs(w) })),
};
