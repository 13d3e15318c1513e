// A post's grade and numbers as the 数据 tab words them: the grade's reason, the rates and the
// snapshots' chart. Pure.
import type { Grade, GradeRecord, ItemMetrics, Snapshot } from './api';

export const GRADES: readonly Grade[] = ['S', 'A', 'B', 'C'];

/** Tag colours of the grades: S hot, C plain. */
export const GRADE_COLORS: Record<Grade, string> = {
  S: 'red',
  A: 'orange',
  B: 'blue',
  C: 'default',
};

type Translate = (key: string, opts?: Record<string, unknown>) => string;

/** An integer as the locale groups it (1,520). */
export function formatCount(n: number | null | undefined, locale: string): string {
  return n == null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** A multiple or a median: at most one decimal (5.1, 300, 7.5). */
export function formatDecimal(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);
}

/** A ratio 0–1 as a percentage (0.019 → 1.9%). */
export function formatRate(r: number | null | undefined, locale: string, digits = 1): string {
  return r == null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(r);
}

/** Seconds as the platforms write a watch time (32.5 s, 1 min 5 s). */
export function formatSeconds(s: number | null | undefined, t: Translate): string {
  if (s == null) return '—';
  if (s < 60) return t('metrics:units.seconds', { n: Math.round(s * 10) / 10 });
  return t('metrics:units.minutes', { m: Math.floor(s / 60), s: Math.round(s % 60) });
}

/** Which rules graded it: the defaults nobody changed (version 0), or a saved version. */
export function ruleLabel(version: number, t: Translate): string {
  return version > 0 ? t('metrics:grade.ruleVersion', { version }) : t('metrics:grade.ruleDefault');
}

/**
 * Why a post has its grade, in one sentence: the multiple of its account's baseline, the 爆文
 * threshold it reached, or the history it still lacks (`minHistory` from the definitions in
 * force, when known).
 */
export function gradeReason(g: GradeRecord, locale: string, t: Translate, minHistory?: number): string {
  const common = {
    grade: g.grade ?? '—',
    interactions: formatCount(g.interactions, locale),
    rule: ruleLabel(g.rule_version, t),
  };
  if (g.method === 'absolute' && g.threshold != null) {
    return t('metrics:grade.why.absolute', { ...common, threshold: formatCount(g.threshold, locale) });
  }
  if (g.method === 'relative' && g.baseline != null && g.multiple != null) {
    return t('metrics:grade.why.relative', {
      ...common,
      count: g.baseline_posts,
      baseline: formatDecimal(g.baseline, locale),
      multiple: formatDecimal(g.multiple, locale),
    });
  }
  return minHistory !== undefined
    ? t('metrics:grade.why.history', { ...common, count: g.baseline_posts, min: minHistory })
    : t('metrics:grade.why.historyShort', { ...common, count: g.baseline_posts });
}

/** The counts a snapshot holds, in the order the tab lists them. */
export const SNAPSHOT_COUNTS = ['impressions', 'reads', 'likes', 'saves', 'comments', 'shares', 'follows'] as const;
export type SnapshotCount = (typeof SNAPSHOT_COUNTS)[number];

/** A count the platform showed as a floor (`10w+`) reads "100,000+". */
export function countText(s: Snapshot, name: SnapshotCount, locale: string): string {
  const v = s[name];
  if (v == null) return '—';
  return `${formatCount(v, locale)}${s.at_least.includes(name) ? '+' : ''}`;
}

/** The counts any snapshot has, so the table and the chart leave out what no export gave. */
export function countsPresent(snapshots: readonly Snapshot[]): SnapshotCount[] {
  return SNAPSHOT_COUNTS.filter((c) => snapshots.some((s) => s[c] != null));
}

/** Snapshots newest first, for the table. */
export function newestFirst(snapshots: readonly Snapshot[]): Snapshot[] {
  return [...snapshots].sort((a, b) => b.as_of.localeCompare(a.as_of));
}

/** Big counts (plays, impressions) on the left axis, the interaction counts on the right. */
const LEFT_AXIS: readonly SnapshotCount[] = ['impressions', 'reads'];

/**
 * The line chart of a post's snapshots: one line per count it has, by day. Dates are the x axis
 * in the order the server keeps them (oldest first).
 */
export function snapshotChart(m: Pick<ItemMetrics, 'snapshots'>, label: (c: SnapshotCount) => string) {
  const days = [...m.snapshots].sort((a, b) => a.as_of.localeCompare(b.as_of));
  const present = countsPresent(days);
  const left = present.some((c) => LEFT_AXIS.includes(c));
  const right = present.some((c) => !LEFT_AXIS.includes(c));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: present.map(label) },
    grid: { left: 56, right: right && left ? 56 : 24, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((s) => s.as_of.slice(5)), boundaryGap: false },
    yAxis: [
      { type: 'value', minInterval: 1 },
      ...(left && right ? [{ type: 'value', minInterval: 1, splitLine: { show: false } }] : []),
    ],
    series: present.map((c) => ({
      name: label(c),
      type: 'line',
      smooth: true,
      showSymbol: days.length < 20,
      yAxisIndex: left && right && !LEFT_AXIS.includes(c) ? 1 : 0,
      data: days.map((s) => s[c] ?? null),
      connectNulls: true,
    })),
  };
}

/**
 * A post's comments and how many were answered within 24 hours, as the 数据 tab says it: the
 * share rounded to a whole percent; a post with no comments yet has none.
 */
export function replyText(r: NonNullable<ItemMetrics['replies']>, locale: string, t: Translate): string {
  if (r.comments <= 0) return t('metrics:item.repliesNone');
  return t('metrics:item.replies', {
    count: r.comments,
    comments: formatCount(r.comments, locale),
    replied: formatCount(r.replied_24h, locale),
    percent: Math.round((r.replied_24h * 100) / r.comments),
  });
}
