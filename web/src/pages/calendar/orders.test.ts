import { describe, expect, it } from 'vitest';
import { delayMinutes, delayParts, insertAt, orderDraft, orderFormField, orderFormValues, unknownPlaceholders, waveTotals } from './orders';
import type { CoordinationOrder, Wave } from './types';

describe('templates', () => {
  it('finds names that are not placeholders', () => {
    expect(unknownPlaceholders('转发 {{trigger.title}} {{ trigger.url }}')).toEqual([]);
    expect(unknownPlaceholders('{{trigger.titel}} {{x}} {{x}}')).toEqual(['trigger.titel', 'x']);
  });

  it('inserts a placeholder at the caret or over the selection', () => {
    expect(insertAt('ab', 1, 1, '{{x}}')).toEqual({ text: 'a{{x}}b', caret: 6 });
    expect(insertAt('abc', 1, 2, 'X')).toEqual({ text: 'aXc', caret: 2 });
    expect(insertAt('ab', null, null, 'X')).toEqual({ text: 'abX', caret: 3 });
  });
});

describe('follow-up delays', () => {
  it('are shown in the largest whole unit and sent in minutes', () => {
    expect(delayParts(120)).toEqual({ value: 2, unit: 'hours' });
    expect(delayParts(1440)).toEqual({ value: 1, unit: 'days' });
    expect(delayParts(90)).toEqual({ value: 90, unit: 'minutes' });
    expect(delayParts(0)).toEqual({ value: 0, unit: 'minutes' });
    expect(delayMinutes(30, 'days')).toBe(43_200);
    expect(delayMinutes(1.5, 'hours')).toBe(90);
  });
});

describe('the order form', () => {
  const order: CoordinationOrder = {
    id: 1,
    campaign_id: 7,
    name: 'KOL 带 KOC',
    enabled: true,
    trigger: { tiers: ['KOL'], platforms: [], account_tags: [] },
    follow_ups: [
      { spec: { tiers: ['KOC'], platforms: ['xiaohongshu'], account_tags: ['车主'] }, delay_minutes: 120 },
      { spec: { tiers: ['KOS'], platforms: [], account_tags: [] }, delay_minutes: 1440 },
    ],
    title_template: '转发：{{trigger.title}}',
    body_template: '{{trigger.url}}',
    created_at: '2025-12-01T00:00:00Z',
    updated_at: '2025-12-01T00:00:00Z',
    waves: 0,
  };

  it('round-trips an order', () => {
    const v = orderFormValues(order);
    expect(v.follow_ups.map((f) => [f.delay, f.unit])).toEqual([
      [2, 'hours'],
      [1, 'days'],
    ]);
    const { id: _id, created_at: _c, updated_at: _u, waves: _w, ...draft } = order;
    expect(orderDraft(7, v)).toEqual(draft);
  });

  it('cleans tags and names before sending', () => {
    const v = orderFormValues();
    v.name = '  新指令 ';
    v.trigger.account_tags = [' 车主 ', '', '车主'];
    expect(orderDraft(7, v)).toMatchObject({ name: '新指令', trigger: { account_tags: ['车主'] }, follow_ups: [{ delay_minutes: 120 }] });
  });

  it('maps the server’s delay field onto the form’s', () => {
    expect(orderFormField('follow_ups.1.delay_minutes')).toBe('follow_ups.1.delay');
    expect(orderFormField('title_template')).toBe('title_template');
  });
});

describe('waveTotals', () => {
  it('adds up the follow-ups of all waves', () => {
    const w = (total: number, published: number, on_time: number, late: number) => ({ total, published, on_time, late }) as Wave;
    expect(waveTotals([w(5, 3, 2, 1), w(2, 2, 2, 0)])).toEqual({ waves: 2, total: 7, published: 5, on_time: 4, late: 1 });
    expect(waveTotals([])).toEqual({ waves: 0, total: 0, published: 0, on_time: 0, late: 0 });
  });
});
