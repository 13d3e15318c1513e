// Numbers typed in by hand for one post: who may, and the body the form makes. Pure.
import type { Dayjs } from 'dayjs';
import type { Account, Capability } from '../../api/types';
import type { PostMetricInput } from './api';
import { METRICS_MANAGE, METRICS_WRITE_OWN } from './wizard';

/**
 * May this member enter a post's numbers? Data managers may for every post; operators
 * (`metrics.write_own`) for the posts of accounts they own (the server checks the same).
 */
export function mayEnterMetrics(caps: readonly Capability[], userId: number, account: Pick<Account, 'owner_ids'> | null | undefined): boolean {
  if (caps.includes(METRICS_MANAGE)) return true;
  return caps.includes(METRICS_WRITE_OWN) && !!account && account.owner_ids.includes(userId);
}

export const ENTRY_COUNTS = ['impressions', 'reads', 'likes', 'saves', 'comments', 'shares', 'follows'] as const;

export interface EntryFormValues {
  as_of: Dayjs;
  impressions?: number | null;
  reads?: number | null;
  likes?: number | null;
  saves?: number | null;
  comments?: number | null;
  shares?: number | null;
  follows?: number | null;
  /** percent, 0–100, as typed */
  completion_rate?: number | null;
  avg_watch_seconds?: number | null;
}

/** The snapshot to send: the day, and only the numbers typed (a blank is "unknown", not 0). */
export function entryBody(v: EntryFormValues): PostMetricInput {
  const body: PostMetricInput = { as_of: v.as_of.format('YYYY-MM-DD') };
  for (const c of ENTRY_COUNTS) {
    const n = v[c];
    if (n != null) body[c] = Math.round(n);
  }
  if (v.completion_rate != null) body.completion_rate = Math.round(v.completion_rate * 100) / 10000;
  if (v.avg_watch_seconds != null) body.avg_watch_seconds = v.avg_watch_seconds;
  return body;
}

/** Whether anything but the day was typed (a snapshot needs a number). */
export function entryHasNumbers(v: EntryFormValues): boolean {
  return [...ENTRY_COUNTS, 'completion_rate' as const, 'avg_watch_seconds' as const].some((k) => v[k] != null);
}
