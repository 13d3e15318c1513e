import { LANE_MODES, type LaneMode } from './board';

const TIERS: readonly string[] = ['KOL', 'KOC', 'KOE', 'KOS'];

/** Board filters as sent to `GET …/content/board` (custom fields as `cf.<key>`). */
export interface BoardFilters {
  account?: number;
  tier?: 'KOL' | 'KOC' | 'KOE' | 'KOS';
  platform?: string;
  campaign?: number;
  assignee?: number;
  tag?: string;
  q?: string;
  mine?: boolean;
  overdue?: boolean;
  cancelled?: boolean;
  cf?: Record<string, string | undefined>;
}

export interface BoardState {
  filters: BoardFilters;
  lanes: LaneMode;
  /** The card whose drawer is open. */
  item?: number;
}

const positiveInt = (v: string | null): number | undefined => {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
};

/** Reads the board state from the address bar, ignoring anything malformed. */
export function readBoardState(params: URLSearchParams): BoardState {
  const filters: BoardFilters = {};
  for (const key of ['account', 'campaign', 'assignee'] as const) {
    const n = positiveInt(params.get(key));
    if (n) filters[key] = n;
  }
  const tier = params.get('tier');
  if (tier && TIERS.includes(tier)) filters.tier = tier as BoardFilters['tier'];
  for (const key of ['platform', 'tag', 'q'] as const) {
    const v = params.get(key)?.trim();
    if (v) filters[key] = v;
  }
  for (const key of ['mine', 'overdue', 'cancelled'] as const) {
    if (params.get(key) === 'true') filters[key] = true;
  }
  const cf: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k.startsWith('cf.') && k.length > 3 && v !== '') cf[k.slice(3)] = v;
  }
  if (Object.keys(cf).length) filters.cf = cf;
  const lanes = params.get('lanes');
  const item = positiveInt(params.get('item'));
  return {
    filters,
    lanes: lanes && (LANE_MODES as readonly string[]).includes(lanes) ? (lanes as LaneMode) : 'none',
    ...(item ? { item } : {}),
  };
}

/** The inverse of `readBoardState`; defaults (no filter, no lanes, no open card) are left out. */
export function writeBoardState(state: BoardState): URLSearchParams {
  const params = new URLSearchParams();
  const { cf, ...rest } = state.filters;
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    params.set(k, String(v));
  }
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== '') params.set(`cf.${k}`, v);
  }
  if (state.lanes !== 'none') params.set('lanes', state.lanes);
  if (state.item) params.set('item', String(state.item));
  return params;
}

/** Query parameters for the board endpoint: empty values dropped, custom fields flattened. */
export function boardQueryParams(filters: BoardFilters, limit?: number): Record<string, string | number | boolean> {
  const { cf, ...rest } = filters;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    out[k] = v;
  }
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== '') out[`cf.${k}`] = v;
  }
  if (limit !== undefined) out.limit = limit;
  return out;
}
