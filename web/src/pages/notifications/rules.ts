import type { Job, NotificationKind, NotificationRule, NotificationRuleDraft, Tier } from '../../api/types';
import { KINDS } from './text';

export const TIERS: readonly Tier[] = ['KOL', 'KOC', 'KOE', 'KOS'];

/** What the rule form holds. */
export interface RuleValues {
  channel_id?: number;
  kinds: NotificationKind[];
  campaign_ids: number[];
  tiers: Tier[];
  account_ids: number[];
  enabled: boolean;
}

export function ruleValues(row?: NotificationRule): RuleValues {
  return row
    ? {
        channel_id: row.channel_id,
        kinds: row.kinds,
        campaign_ids: row.campaign_ids,
        tiers: row.tiers,
        account_ids: row.account_ids,
        enabled: row.enabled,
      }
    : { kinds: ['review_requested'], campaign_ids: [], tiers: [], account_ids: [], enabled: true };
}

/** The rule as sent, on create and on edit alike (a PATCH with every field). */
export function ruleBody(v: RuleValues): NotificationRuleDraft {
  return {
    channel_id: v.channel_id ?? 0,
    kinds: KINDS.filter((k) => v.kinds.includes(k)),
    campaign_ids: [...new Set(v.campaign_ids ?? [])],
    tiers: TIERS.filter((t) => (v.tiers ?? []).includes(t)),
    account_ids: [...new Set(v.account_ids ?? [])],
    enabled: v.enabled,
  };
}

/** A rule without filters sends about every item. */
export const coversEverything = (r: Pick<NotificationRule, 'campaign_ids' | 'tiers' | 'account_ids'>): boolean =>
  r.campaign_ids.length === 0 && r.tiers.length === 0 && r.account_ids.length === 0;

/** Jobs of several states in one table: newest first, each once. */
export function mergeJobs(lists: readonly (readonly Job[])[]): Job[] {
  const byId = new Map<number, Job>();
  for (const list of lists) for (const j of list) byId.set(j.id, j);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
