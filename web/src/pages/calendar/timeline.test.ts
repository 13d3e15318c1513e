import { describe, expect, it } from 'vitest';
import { timelineRows } from './timeline';
import type { CalendarItem, SlotOccurrence } from './types';

const item = (id: number, account: number | null, tier: CalendarItem['tier'], handle: string | null): CalendarItem => ({
  id,
  title: `t${id}`,
  stage: 'draft',
  review_state: 'none',
  account_id: account,
  handle,
  display_name: handle,
  tier,
  platform: 'xiaohongshu',
  campaign_id: null,
  assignee_id: null,
  at: '2025-12-08T02:00:00Z',
  planned_at: '2025-12-08T02:00:00Z',
  published_at: null,
  due_on: null,
  version: 1,
  wave_id: null,
  may_schedule: true,
  conflicts: [],
});

const slot = (id: number, account: number | null): SlotOccurrence => ({
  slot_id: id,
  name: 's',
  at: '2025-12-09T12:00:00Z',
  account_id: account,
  tier: account ? null : 'KOE',
  platform: null,
  filled_by: [],
});

describe('timelineRows', () => {
  it('makes one row per account, by tier then handle, items without an account last', () => {
    const { rows } = timelineRows([item(1, 5, 'KOC', 'b'), item(2, null, null, null), item(3, 4, 'KOL', 'z'), item(4, 5, 'KOC', 'b'), item(5, 6, 'KOC', 'a')], []);
    expect(rows.map((r) => r.key)).toEqual(['4', '6', '5', 'none']);
    expect(rows[2].items.map((i) => i.id)).toEqual([1, 4]);
  });

  it('puts an account’s slots on its row and keeps tier or platform slots apart', () => {
    const { rows, groupSlots } = timelineRows([item(1, 5, 'KOC', 'b')], [slot(1, 5), slot(2, null), slot(3, 99)]);
    expect(rows.map((r) => [r.key, r.handle, r.slots.map((s) => s.slot_id)])).toEqual([
      ['5', 'b', [1]],
      ['99', null, [3]],
    ]);
    expect(groupSlots.map((s) => s.slot_id)).toEqual([2]);
  });
});
