// The timeline view's rows: one per account, from the items and slots shown. Pure.
import type { CalendarItem, SlotOccurrence, Tier } from './types';

export interface TimelineRow {
  /** the account id, or `none` for items without an account */
  key: string;
  accountId: number | null;
  handle: string | null;
  name: string | null;
  tier: Tier | null;
  platform: string | null;
  items: CalendarItem[];
  slots: SlotOccurrence[];
}

const TIER_ORDER: Record<string, number> = { KOL: 0, KOC: 1, KOE: 2, KOS: 3 };

/**
 * Accounts by tier (KOL, KOC, KOE, KOS) then handle, each with its items and the slots of that
 * account; items without an account in a last row. Slots for a tier or platform (no account)
 * are returned apart: the timeline shows them in a row of their own. An account known only
 * from its slot has no handle.
 */
export function timelineRows(items: readonly CalendarItem[], slots: readonly SlotOccurrence[]): { rows: TimelineRow[]; groupSlots: SlotOccurrence[] } {
  const rows = new Map<string, TimelineRow>();
  for (const it of items) {
    const key = it.account_id == null ? 'none' : String(it.account_id);
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        accountId: it.account_id ?? null,
        handle: it.handle ?? null,
        name: it.display_name ?? null,
        tier: it.tier ?? null,
        platform: it.platform ?? null,
        items: [],
        slots: [],
      };
      rows.set(key, row);
    }
    row.items.push(it);
  }
  const groupSlots: SlotOccurrence[] = [];
  for (const s of slots) {
    if (s.account_id == null) {
      groupSlots.push(s);
      continue;
    }
    // An account with an open slot and nothing planned yet still gets its row (named by id).
    const key = String(s.account_id);
    let row = rows.get(key);
    if (!row) {
      row = { key, accountId: s.account_id, handle: null, name: null, tier: s.tier ?? null, platform: s.platform ?? null, items: [], slots: [] };
      rows.set(key, row);
    }
    row.slots.push(s);
  }
  const rank = (r: TimelineRow) => (r.accountId === null ? 99 : (TIER_ORDER[r.tier ?? ''] ?? 9));
  const sorted = [...rows.values()].sort((a, b) => rank(a) - rank(b) || (a.handle ?? '').localeCompare(b.handle ?? '') || a.key.localeCompare(b.key));
  return { rows: sorted, groupSlots };
}
