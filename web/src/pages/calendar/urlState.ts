import { CALENDAR_VIEWS, type CalendarViewMode } from './time';
import type { CalendarQuery, Stage, Tier } from './types';

const TIERS: readonly string[] = ['KOL', 'KOC', 'KOE', 'KOS'];
const STAGES: readonly string[] = ['topic', 'draft', 'review', 'publish', 'retro', 'cancelled'];

/** The calendar's filters as the address bar names them. */
export interface CalendarFilters {
  account?: number;
  tier?: Tier;
  platform?: string;
  campaign?: number;
  /** a member: items of the accounts they own or assigned to them */
  operator?: number;
  stage?: Stage;
}

export interface CalendarState {
  view: CalendarViewMode;
  /** The day the view shows (its month, week or day); today in the workspace's zone when absent. */
  date?: string;
  filters: CalendarFilters;
  /** The conflicts panel is open. */
  conflicts?: boolean;
  /** The item whose drawer is open. */
  item?: number;
}

const positiveInt = (v: string | null): number | undefined => {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
};

const validDate = (v: string | null): string | undefined =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v) ? v : undefined;

/** Reads the calendar state from the address bar, ignoring anything malformed. */
export function readCalendarState(params: URLSearchParams): CalendarState {
  const filters: CalendarFilters = {};
  for (const key of ['account', 'campaign', 'operator'] as const) {
    const n = positiveInt(params.get(key));
    if (n) filters[key] = n;
  }
  const tier = params.get('tier');
  if (tier && TIERS.includes(tier)) filters.tier = tier as Tier;
  const stage = params.get('stage');
  if (stage && STAGES.includes(stage)) filters.stage = stage as Stage;
  const platform = params.get('platform')?.trim();
  if (platform) filters.platform = platform;
  const view = params.get('view');
  const date = validDate(params.get('date'));
  const item = positiveInt(params.get('item'));
  return {
    view: view && (CALENDAR_VIEWS as readonly string[]).includes(view) ? (view as CalendarViewMode) : 'month',
    ...(date ? { date } : {}),
    filters,
    ...(params.get('conflicts') === 'true' ? { conflicts: true } : {}),
    ...(item ? { item } : {}),
  };
}

/** The inverse of `readCalendarState`; defaults (month, today, no filter) are left out. */
export function writeCalendarState(state: CalendarState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.view !== 'month') params.set('view', state.view);
  if (state.date) params.set('date', state.date);
  for (const [k, v] of Object.entries(state.filters)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  if (state.conflicts) params.set('conflicts', 'true');
  if (state.item) params.set('item', String(state.item));
  return params;
}

/** The filters as the calendar endpoints name them. */
export function calendarQuery(f: CalendarFilters): CalendarQuery {
  const q: CalendarQuery = {};
  if (f.account) q.account_id = f.account;
  if (f.tier) q.tier = f.tier;
  if (f.platform) q.platform = f.platform;
  if (f.campaign) q.campaign_id = f.campaign;
  if (f.operator) q.operator = f.operator;
  if (f.stage) q.stage = f.stage;
  return q;
}
