import type { FirstPassRow } from '../../api/types';

/** The team's target first-pass rate. */
export const FIRST_PASS_TARGET = 0.95;

export type FirstPassBy = 'person' | 'account' | 'campaign' | 'all';
export const FIRST_PASS_BY: FirstPassBy[] = ['person', 'account', 'campaign', 'all'];

/** 0.953 → "95.3%", 1 → "100%", null (nothing reviewed) → "—". One decimal at most. */
export function formatPercent(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

export function onTarget(rate: number | null | undefined, target = FIRST_PASS_TARGET): boolean {
  return typeof rate === 'number' && rate >= target - 1e-9;
}

/** Best rate first, then most reviewed; rows with nothing reviewed last. */
export function sortRows(rows: readonly FirstPassRow[]): FirstPassRow[] {
  return rows.slice().sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.reviewed - a.reviewed || a.label.localeCompare(b.label));
}

/** The server labels the overall row and rows without an account/campaign in Chinese; these keys are translated here. */
export function rowLabel(row: Pick<FirstPassRow, 'key' | 'label'>, t: (key: string) => string): string {
  if (row.key === 'all') return t('content:firstPass.by.all');
  if (row.key === 'none') return t('content:firstPass.unassigned');
  return row.label || `#${row.key}`;
}
