import type { AccountQuery, AccountSort } from './api';
import type { AccountStatus, Tier } from '../../api/types';
import type { AccountFilterState } from './AccountFilters';

const TIERS: readonly string[] = ['KOL', 'KOC', 'KOE', 'KOS'];
const STATUSES: readonly string[] = ['active', 'paused', 'archived'];
const SORTS: readonly string[] = ['followers_desc', 'followers_asc', 'created_desc', 'handle_asc'];
export const PAGE_SIZES = [20, 50, 100] as const;

export interface AccountListState {
  filters: AccountFilterState;
  page: number;
  pageSize: number;
}

/** Reads the accounts list state from the address bar, ignoring anything malformed. */
export function readListState(params: URLSearchParams): AccountListState {
  const filters: AccountFilterState = {};
  const tier = params.get('tier');
  if (tier && TIERS.includes(tier)) filters.tier = tier as Tier;
  const status = params.get('status');
  if (status && STATUSES.includes(status)) filters.status = status as AccountStatus;
  const sort = params.get('sort');
  if (sort && SORTS.includes(sort)) filters.sort = sort as AccountSort;
  const owner = Number(params.get('owner'));
  if (Number.isInteger(owner) && owner > 0) filters.owner = owner;
  for (const key of ['platform', 'tag', 'q'] as const) {
    const v = params.get(key)?.trim();
    if (v) filters[key] = v;
  }
  const cf: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k.startsWith('cf.') && k.length > 3 && v !== '') cf[k.slice(3)] = v;
  }
  if (Object.keys(cf).length) filters.cf = cf;
  const page = Number(params.get('page'));
  const size = Number(params.get('size'));
  return {
    filters,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** The inverse of `readListState`; defaults are left out to keep addresses short. */
export function writeListState(state: AccountListState): URLSearchParams {
  const params = new URLSearchParams();
  const { cf, ...rest } = state.filters;
  for (const [k, v] of Object.entries(rest)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== '') params.set(`cf.${k}`, v);
  }
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== 50) params.set('size', String(state.pageSize));
  return params;
}

/** What the list asks the server for in this state: its filters and the page. */
export function listQueryParams(state: AccountListState): AccountQuery {
  return { ...state.filters, limit: state.pageSize, offset: (state.page - 1) * state.pageSize };
}
