// Coordination orders: template placeholders, follow-up delays and wave counts. Pure.
import type { AccountSpec, CoordinationOrder, CoordinationOrderDraft, Tier, Wave } from './types';

/** What a title or body template may name, written `{{name}}`. */
export const PLACEHOLDERS = [
  'trigger.title',
  'trigger.url',
  'trigger.account',
  'trigger.account_name',
  'trigger.platform',
  'trigger.published_at',
  'campaign.name',
  'account.handle',
  'account.name',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const token = (p: string) => `{{${p}}}`;

/** Names a template uses that are not placeholders (the server refuses them too). */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(found.filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name)))];
}

/** The text with `insert` put in place of the selection [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number | null, end: number | null, insert: string): { text: string; caret: number } {
  const s = Math.min(Math.max(start ?? text.length, 0), text.length);
  const e = Math.min(Math.max(end ?? s, s), text.length);
  return { text: text.slice(0, s) + insert + text.slice(e), caret: s + insert.length };
}

/** The longest follow-up delay: 30 days. */
export const MAX_DELAY_MINUTES = 30 * 24 * 60;

export type DelayUnit = 'minutes' | 'hours' | 'days';
const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** A delay in the largest unit that writes it whole: 120 → 2 hours, 90 → 90 minutes. */
export function delayParts(minutes: number): { value: number; unit: DelayUnit } {
  if (minutes > 0 && minutes % 1440 === 0) return { value: minutes / 1440, unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { value: minutes / 60, unit: 'hours' };
  return { value: minutes, unit: 'minutes' };
}

export function delayMinutes(value: number, unit: DelayUnit): number {
  return Math.round(value * UNIT_MINUTES[unit]);
}

/** What the order form edits: delays as a value and a unit. */
export interface OrderFormValues {
  name: string;
  enabled: boolean;
  trigger: AccountSpec;
  follow_ups: { spec: AccountSpec; delay: number; unit: DelayUnit }[];
  title_template: string;
  body_template: string;
}

const emptySpec = (): AccountSpec => ({ tiers: [], platforms: [], account_tags: [] });
const cleanSpec = (s: Partial<AccountSpec> | undefined): AccountSpec => ({
  tiers: [...new Set(s?.tiers ?? [])],
  platforms: [...new Set(s?.platforms ?? [])],
  account_tags: [...new Set((s?.account_tags ?? []).map((x) => x.trim()).filter(Boolean))],
});

/** A new order starts as "when a KOL publishes, KOC accounts follow within 2 hours". */
export function orderFormValues(order?: CoordinationOrder): OrderFormValues {
  if (!order) {
    return {
      name: '',
      enabled: true,
      trigger: { ...emptySpec(), tiers: ['KOL' as Tier] },
      follow_ups: [{ spec: { ...emptySpec(), tiers: ['KOC' as Tier] }, delay: 2, unit: 'hours' }],
      title_template: '',
      body_template: '',
    };
  }
  return {
    name: order.name,
    enabled: order.enabled ?? true,
    trigger: cleanSpec(order.trigger),
    follow_ups: order.follow_ups.map((f) => {
      const d = delayParts(f.delay_minutes);
      return { spec: cleanSpec(f.spec), delay: d.value, unit: d.unit };
    }),
    title_template: order.title_template,
    body_template: order.body_template ?? '',
  };
}

export function orderDraft(campaign_id: number, v: OrderFormValues): CoordinationOrderDraft {
  return {
    campaign_id,
    name: v.name.trim(),
    enabled: v.enabled,
    trigger: cleanSpec(v.trigger),
    follow_ups: (v.follow_ups ?? []).map((f) => ({ spec: cleanSpec(f.spec), delay_minutes: delayMinutes(f.delay ?? 0, f.unit) })),
    title_template: v.title_template ?? '',
    body_template: v.body_template ?? '',
  };
}

/** Maps the server's field names (`follow_ups.1.delay_minutes`) onto the form's. */
export function orderFormField(field: string): string {
  return field.replace(/^follow_ups\.(\d+)\.delay_minutes$/, 'follow_ups.$1.delay');
}

/** The follow-ups of a trigger's waves added up: how many, published, on time, late. */
export function waveTotals(waves: readonly Wave[]): { waves: number; total: number; published: number; on_time: number; late: number } {
  return waves.reduce(
    (s, w) => ({ waves: s.waves + 1, total: s.total + w.total, published: s.published + w.published, on_time: s.on_time + w.on_time, late: s.late + w.late }),
    { waves: 0, total: 0, published: 0, on_time: 0, late: 0 },
  );
}
