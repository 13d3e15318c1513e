import { useCallback, useMemo } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { usePlatforms } from '../platforms/queries';
import { bySeverity, conflictSentence } from './conflictText';
import type { Conflict, Severity } from './types';

/** A conflict written out: its severity and its sentence. */
export interface Reason {
  rule: string;
  severity: Severity;
  text: string;
}

/** One conflict as a sentence in the UI's language, times in the zone (the workspace's by default). */
export function useConflictSentence(zone?: string): (c: Conflict, at?: string | null) => string {
  const { t } = useTranslation();
  const { wsId, workspace } = useSession();
  const platforms = usePlatforms(wsId);
  const names = useMemo(() => new Map((platforms.data ?? []).map((p) => [p.code, p.name])), [platforms.data]);
  const tz = zone ?? workspace.time_zone;
  return useCallback(
    (c: Conflict, at?: string | null) => conflictSentence(c, { t, zone: tz, at, platformName: (code) => names.get(code) ?? code }),
    [t, tz, names],
  );
}

/** The conflicts written out, blocking ones first (for a modal or a message, which sit outside the session). */
export function useReasons(zone?: string): (conflicts: readonly Conflict[], at?: string | null) => Reason[] {
  const sentence = useConflictSentence(zone);
  return useCallback(
    (conflicts: readonly Conflict[], at?: string | null) => bySeverity(conflicts).map((c) => ({ rule: c.rule, severity: c.severity, text: sentence(c, at) })),
    [sentence],
  );
}

export const SEVERITY_COLORS = { block: 'red', warn: 'orange' } as const;

/** Reasons as a list, each with its severity. Needs no session, so a modal can show it. */
export function ReasonList({ reasons }: { reasons: readonly Reason[] }) {
  const { t } = useTranslation();
  return (
    <ul className="kox-cal-reasons" data-testid="conflict-reasons">
      {reasons.map((r, i) => (
        <li key={`${r.rule}-${i}`} data-testid={`conflict-${r.rule}`} data-severity={r.severity}>
          <Tag color={SEVERITY_COLORS[r.severity]}>{t(`severity.${r.severity}`)}</Tag>
          {r.text}
        </li>
      ))}
    </ul>
  );
}

/** The reasons of a schedule, blocking ones first. */
export function ConflictList({ conflicts, at, zone }: { conflicts: readonly Conflict[]; at?: string | null; zone?: string }) {
  const reasons = useReasons(zone);
  return <ReasonList reasons={reasons(conflicts, at)} />;
}
