import type { ApprovalMode, ApprovalStep, ContentSettings, Role, Stage, StepRule } from '../../api/types';

/** Board columns in order; `cancelled` is hidden from the board unless asked for. */
export const STAGES: Stage[] = ['topic', 'draft', 'review', 'publish', 'retro', 'cancelled'];
/** Stages that can carry a WIP limit (the cancelled pile has none). */
export const WIP_STAGES: Stage[] = ['topic', 'draft', 'review', 'publish', 'retro'];
export const APPROVAL_MODES: ApprovalMode[] = ['none', 'optional', 'required', 'multi_level'];
export const APPROVAL_RULES: StepRule[] = ['any', 'all'];
/** Roles that hold `content.review` and may therefore approve a step. */
export const APPROVER_ROLES: Role[] = ['admin', 'director', 'editor'];

export interface StepValues {
  name?: string;
  rule?: StepRule;
  approver_ids?: number[];
}

/** The form mirrors the API shape, so a field error such as `approval.steps.0.name` lands on its input. */
export interface SettingsValues {
  stage_names: Partial<Record<Stage, string>>;
  wip_limits: Partial<Record<Stage, number | null>>;
  approval: { mode: ApprovalMode; steps?: StepValues[] };
}

export function settingsToForm(s: ContentSettings): SettingsValues {
  const names = s.stage_names as Record<Stage, string>;
  const limits = s.wip_limits as Partial<Record<Stage, number>>;
  return {
    stage_names: Object.fromEntries(STAGES.map((st) => [st, names[st] ?? ''])),
    wip_limits: Object.fromEntries(WIP_STAGES.map((st) => [st, limits[st] ?? null])),
    approval: {
      mode: s.approval.mode,
      steps: s.approval.steps.map((step) => ({ name: step.name, rule: step.rule, approver_ids: [...step.approver_ids] })),
    },
  };
}

/**
 * What to PUT: empty column names fall back to `defaults`, empty WIP limits are left out (no limit),
 * and review steps are only kept for the multi-level mode.
 */
export function formToSettings(v: SettingsValues, defaults: Record<Stage, string>): ContentSettings {
  const stage_names = Object.fromEntries(STAGES.map((st) => [st, (v.stage_names?.[st] ?? '').trim() || defaults[st]]));
  const wip_limits: Partial<Record<Stage, number>> = {};
  for (const st of WIP_STAGES) {
    const n = v.wip_limits?.[st];
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) wip_limits[st] = Math.floor(n);
  }
  const mode = v.approval?.mode ?? 'required';
  const steps: ApprovalStep[] =
    mode === 'multi_level'
      ? (v.approval.steps ?? []).map((s) => ({ name: (s.name ?? '').trim(), rule: s.rule ?? 'any', approver_ids: [...new Set(s.approver_ids ?? [])] }))
      : [];
  return { stage_names, wip_limits, approval: { mode, steps } };
}

/** True when saving `v` would change the stored settings. */
export function settingsChanged(stored: ContentSettings, v: SettingsValues, defaults: Record<Stage, string>): boolean {
  const a = formToSettings(settingsToForm(stored), defaults);
  const b = formToSettings(v, defaults);
  return JSON.stringify(a) !== JSON.stringify(b);
}
