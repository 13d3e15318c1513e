import { describe, expect, it } from 'vitest';
import { staleAfter } from './live';

const change = (entity_type: string, entity_id: number | null = null, id = 1) => ({ id, entity_type, entity_id, action: 'x' });

describe('staleAfter', () => {
  it('refreshes the calendar after a content change and the changed items', () => {
    expect(staleAfter([change('content_item', 7), change('content_item', 7, 2), change('content_item', 8, 3)])).toEqual({ shown: true, settings: [], items: [7, 8] });
  });

  it('refreshes the calendar after a rule, slot or holiday change, and that setting', () => {
    expect(staleAfter([change('recurring_slot', 2)])).toEqual({ shown: true, settings: ['recurring_slot'], items: [] });
    expect(staleAfter([change('schedule_rules')])).toMatchObject({ shown: true, settings: ['schedule_rules'] });
  });

  it('refreshes only the orders after an order change, and nothing for unrelated changes', () => {
    expect(staleAfter([change('coordination_order', 3)])).toEqual({ shown: false, settings: ['coordination_order'], items: [] });
    expect(staleAfter([change('account', 3), change('notification', 1)])).toEqual({ shown: false, settings: [], items: [] });
  });
});
