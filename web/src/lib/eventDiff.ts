/** One changed field of an event: its key and both values as text. */
export interface FieldChange {
  key: string;
  before: string;
  after: string;
}

/** Fields that only record the write itself, never shown as a change. */
const BOOKKEEPING = new Set(['version', 'field_versions', 'updated_at', 'created_at']);

/** A value as a short readable text: lists joined, objects as compact JSON, nothing as —. */
export function valueText(v: unknown, separator = '、'): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((x) => valueText(x, separator)).join(separator);
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The fields whose values differ between an event's before and after, in key order. */
export function fieldChanges(before: unknown, after: unknown, separator?: string): FieldChange[] {
  const b = (before && typeof before === 'object' && !Array.isArray(before) ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' && !Array.isArray(after) ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !BOOKKEEPING.has(k)).sort();
  return keys
    .filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    .map((k) => ({ key: k, before: valueText(b[k], separator), after: valueText(a[k], separator) }));
}

/** Where an entity's field labels live: the translation namespace of its capability. */
export const FIELD_NAMESPACES: Record<string, string> = {
  account: 'accounts',
  campaign: 'campaigns',
  content_item: 'content',
  member: 'members',
  invitation: 'members',
  red_line: 'red-lines',
  platform: 'platforms',
  custom_field: 'custom-fields',
};
