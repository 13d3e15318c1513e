import type { AccountOverview, Tier } from '../../api/types';

export type Metric = 'accounts' | 'followers';

/** Rows of the tier × platform matrix: one series per tier, one category per platform. */
export function tierPlatformSeries(
  rows: AccountOverview['by_tier_platform'],
  tiers: Tier[],
  platformOrder: string[],
  metric: Metric,
): { platforms: string[]; series: { tier: Tier; data: number[] }[] } {
  const present = new Set(rows.map((r) => r.platform));
  const platforms = [...platformOrder.filter((p) => present.has(p)), ...[...present].filter((p) => !platformOrder.includes(p)).sort()];
  const series = tiers.map((tier) => ({
    tier,
    data: platforms.map((p) => rows.filter((r) => r.tier === tier && r.platform === p).reduce((s, r) => s + r[metric], 0)),
  }));
  return { platforms, series };
}
