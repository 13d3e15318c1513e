import type { BoardColumn, Campaign, ContentCard, FirstPassRow, Stage, Tier } from '../../api/types';
import { TIERS } from '../../components/tags';
import { writeBoardState } from '../content/urlState';

/** Cards per column the page asks for: the board's own limit, so both share one cached answer. */
export const ITEM_LIMIT = 200;

/** The columns a campaign's items sit in; cancelled items are not part of the campaign's work. */
export function stageColumns(columns: readonly BoardColumn[]): BoardColumn[] {
  return columns.filter((c) => c.stage !== 'cancelled');
}

/** Every card the board returned, in SOP order then board order. */
export function cardsOf(columns: readonly BoardColumn[]): ContentCard[] {
  return stageColumns(columns).flatMap((c) => c.items);
}

/** Whether some column has more items than it sent (the board pages each column). */
export function isTruncated(columns: readonly BoardColumn[]): boolean {
  return stageColumns(columns).some((c) => c.items.length < c.total);
}

export interface AccountRow {
  /** the account id, or `none` for items without an account (topics) */
  key: string;
  accountId: number | null;
  handle?: string | null;
  name?: string | null;
  platform?: string | null;
  tier?: Tier | null;
  byStage: Partial<Record<Stage, number>>;
  total: number;
}

/**
 * The accounts taking part, from the cards' account fields: item counts per stage, most items
 * first; items without an account (topics not yet turned into drafts) in one row at the end.
 */
export function accountRows(columns: readonly BoardColumn[]): AccountRow[] {
  const rows = new Map<string, AccountRow>();
  for (const card of cardsOf(columns)) {
    const key = card.account_id ? String(card.account_id) : 'none';
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        accountId: card.account_id ?? null,
        handle: card.account_handle,
        name: card.account_name,
        platform: card.platform,
        tier: card.tier,
        byStage: {},
        total: 0,
      };
      rows.set(key, row);
    }
    row.byStage[card.stage] = (row.byStage[card.stage] ?? 0) + 1;
    row.total += 1;
  }
  return [...rows.values()].sort(
    (a, b) =>
      Number(a.accountId === null) - Number(b.accountId === null) || b.total - a.total || (a.handle ?? '').localeCompare(b.handle ?? ''),
  );
}

/** The board's address filtered to this campaign (and an account), optionally with one item open. */
export function boardHref(campaign: number, opts: { item?: number; account?: number } = {}): string {
  const params = writeBoardState({ filters: { campaign, ...(opts.account ? { account: opts.account } : {}) }, lanes: 'none', item: opts.item });
  return `/content?${params.toString()}`;
}

/** This campaign's row of the first-pass report by campaign (rows are keyed by the campaign id). */
export function firstPassRow(rows: readonly FirstPassRow[] | undefined, campaign: number): FirstPassRow | undefined {
  return rows?.find((r) => r.key === String(campaign));
}

export interface TierShare {
  tier: Tier;
  fen: number;
  /** of the total budget, 0–1; 0 when there is no total */
  share: number;
}

/** The tiers that have a budget, in tier order, and what is left of the total outside them. */
export function budgetSplit(c: Pick<Campaign, 'budget_fen' | 'budget_by_tier'>): { tiers: TierShare[]; unsplit: number } {
  const total = c.budget_fen ?? 0;
  const tiers = TIERS.map((tier) => ({ tier, fen: c.budget_by_tier?.[tier] ?? 0 }))
    .filter((x) => x.fen > 0)
    .map((x) => ({ ...x, share: total > 0 ? x.fen / total : 0 }));
  const split = tiers.reduce((s, x) => s + x.fen, 0);
  return { tiers, unsplit: Math.max(0, total - split) };
}

/** Days from the first to the last day of the period, both counted. */
export function periodDays(startsOn: string, endsOn: string): number {
  const ms = Date.parse(`${endsOn}T00:00:00Z`) - Date.parse(`${startsOn}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.round(ms / 86_400_000) + 1 : 0;
}
