// What the 指标口径 form edits and the definitions it sends. Pure. The form's field paths are the
// server's (`grades.a`, `grades.absolute.0.interactions`), so a refusal lands on its input.
import type { Tier } from '../../api/types';
import type { CpmBase, InteractionParts, MetricDefinitions, RateBase, RoiForm } from './api';

export const INTERACTION_PARTS = ['likes', 'saves', 'comments', 'shares'] as const satisfies readonly (keyof InteractionParts)[];
export type InteractionPart = (typeof INTERACTION_PARTS)[number];
export const RATE_BASES: readonly RateBase[] = ['reads', 'impressions', 'followers'];
export const CPM_BASES: readonly CpmBase[] = ['impressions', 'reads'];
export const ROI_FORMS: readonly RoiForm[] = ['ratio', 'net'];

/** The definitions a workspace starts with (the server's `MetricDefinitions::default`). */
export const DEFAULT_DEFINITIONS: MetricDefinitions = {
  interactions: { likes: true, saves: true, comments: true, shares: false },
  rate_base: 'reads',
  cpm_base: 'impressions',
  roi: 'ratio',
  grades: { s: 5, a: 2, b: 0.8, baseline_posts: 30, min_history: 5, absolute: [] },
};

export interface ThresholdRow {
  tier?: Tier | null;
  platform?: string | null;
  interactions?: number | null;
}

export interface RegistryFormValues {
  /** the parts ticked */
  interactions: InteractionPart[];
  rate_base: RateBase;
  cpm_base: CpmBase;
  roi: RoiForm;
  grades: {
    s: number;
    a: number;
    b: number;
    baseline_posts: number;
    min_history: number;
    absolute: ThresholdRow[];
  };
}

export function registryFormValues(d: MetricDefinitions): RegistryFormValues {
  return {
    interactions: INTERACTION_PARTS.filter((p) => d.interactions[p]),
    rate_base: d.rate_base,
    cpm_base: d.cpm_base,
    roi: d.roi,
    grades: {
      s: d.grades.s,
      a: d.grades.a,
      b: d.grades.b,
      baseline_posts: d.grades.baseline_posts,
      min_history: d.grades.min_history,
      absolute: (d.grades.absolute ?? []).map((r) => ({ tier: r.tier ?? null, platform: r.platform ?? null, interactions: r.interactions })),
    },
  };
}

export function registryBody(v: RegistryFormValues): MetricDefinitions {
  const ticked = new Set(v.interactions ?? []);
  return {
    interactions: { likes: ticked.has('likes'), saves: ticked.has('saves'), comments: ticked.has('comments'), shares: ticked.has('shares') },
    rate_base: v.rate_base,
    cpm_base: v.cpm_base,
    roi: v.roi,
    grades: {
      s: v.grades.s,
      a: v.grades.a,
      b: v.grades.b,
      baseline_posts: Math.round(v.grades.baseline_posts),
      min_history: Math.round(v.grades.min_history),
      absolute: (v.grades.absolute ?? []).map((r) => ({
        tier: r.tier || null,
        platform: r.platform || null,
        interactions: Math.round(r.interactions ?? 0),
      })),
    },
  };
}

/** A problem the form shows at a field before anything is sent (the server checks the same). */
export interface RegistryProblem {
  field: (string | number)[];
  key: string;
}

export function registryProblems(v: RegistryFormValues): RegistryProblem[] {
  const out: RegistryProblem[] = [];
  if ((v.interactions ?? []).length === 0) out.push({ field: ['interactions'], key: 'errors.metricsNoInteractions' });
  const { s, a, b, baseline_posts, min_history } = v.grades;
  if ([s, a, b].every((x) => typeof x === 'number') && !(s > a && a > b)) out.push({ field: ['grades', 'a'], key: 'errors.metricsGradeOrder' });
  if (typeof min_history === 'number' && typeof baseline_posts === 'number' && min_history > baseline_posts) {
    out.push({ field: ['grades', 'min_history'], key: 'metrics:settings.minHistoryTooBig' });
  }
  const seen = new Set<string>();
  (v.grades.absolute ?? []).forEach((r, i) => {
    const key = `${r.tier ?? ''}|${r.platform ?? ''}`;
    if (seen.has(key)) out.push({ field: ['grades', 'absolute', i, 'platform'], key: 'metrics:settings.thresholdTwice' });
    seen.add(key);
  });
  return out;
}

/** Whether the form differs from the definitions in force (saving the same makes no new version). */
export function registryChanged(current: MetricDefinitions, v: RegistryFormValues): boolean {
  return JSON.stringify(registryBody(registryFormValues(current))) !== JSON.stringify(registryBody(v));
}
