import { Alert } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ContentItem } from '../../api/types';
import { useSession } from '../../auth/session';
import { calendarApi } from './api';
import { ConflictList } from './ConflictList';
import { waveTotals } from './orders';
import { calendarKeys, wavesQuery } from './queries';

/** Stages whose planned time still matters: published, reviewed or cancelled items are past scheduling. */
const SCHEDULED_STAGES = new Set(['topic', 'draft', 'review', 'publish']);

/**
 * What the calendar says about one item, in its drawer: the conflicts of its planned time
 * (a dry run of the same check the calendar's drop makes) and, for a trigger of coordination
 * waves, how many have followed so far. Quiet while the calendar's endpoints do not answer.
 */
export function ItemSchedule({ item }: { item: ContentItem }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const at = item.planned_at && !item.published_at && SCHEDULED_STAGES.has(item.stage) ? item.planned_at : null;
  const check = useQuery({
    queryKey: calendarKeys.check(wsId, item.id, `${at}@${item.version}`),
    queryFn: () => calendarApi.check(wsId, { item_id: item.id, planned_at: at! }),
    enabled: at !== null,
    retry: false,
    staleTime: 10_000,
  });
  const waves = useQuery({ ...wavesQuery(wsId, { trigger_item_id: item.id }), retry: false });
  const totals = waveTotals(waves.data ?? []);
  const conflicts = at ? (check.data?.conflicts ?? []) : [];

  return (
    <>
      {conflicts.length > 0 && (
        <Alert
          type={check.data?.blocking ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="item-schedule-conflicts"
          title={check.data?.blocking ? t('calendar:item.conflictsBlocking') : t('calendar:item.conflictsWarning')}
          description={<ConflictList conflicts={conflicts} at={at} />}
        />
      )}
      {totals.waves > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="item-waves"
          title={t('calendar:item.waves', { total: totals.total, published: totals.published, on_time: totals.on_time, late: totals.late })}
        />
      )}
    </>
  );
}

/** The reasons of a refused save of the planned time (409 `calendar.conflict`), under the form. */
export function ScheduleRefusal({ conflicts, at }: { conflicts: Parameters<typeof ConflictList>[0]['conflicts']; at?: string | null }) {
  const { t } = useTranslation();
  if (conflicts.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      data-testid="item-schedule-refused"
      title={t('calendar:item.refused')}
      description={<ConflictList conflicts={conflicts} at={at} />}
    />
  );
}
