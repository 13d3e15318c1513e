import { useCallback, useRef } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';
import { useCacheItem } from '../content/hooks';
import { contentKeys } from '../content/queries';
import { calendarApi } from './api';
import { ReasonList, useReasons } from './ConflictList';
import { conflictsOfError } from './conflictText';
import { dropRefusal, dropTime, sameMoment, type DropTarget } from './drop';
import { calendarKeys } from './queries';
import { shortMoment } from './time';
import type { CalendarItem } from './types';

/**
 * Scheduling by drag and drop: the drop's time is checked first (a dry run); blocking reasons
 * are shown and nothing moves; otherwise the item's planned time is saved (PATCH with its
 * version) and any warnings shown. A 409 `calendar.conflict` (someone scheduled beside it in
 * the meantime) shows the server's reasons.
 */
export function useSchedule(zone: string): { schedule: (item: CalendarItem, target: DropTarget) => void; pending: boolean } {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { wsId } = useSession();
  const cacheItem = useCacheItem();
  const reasons = useReasons(zone);
  // The drop being saved, for the reasons of a 409 (the mutation's error carries only the error).
  const last = useRef<{ item: CalendarItem; at: string } | null>(null);

  const showBlocked = useCallback(
    (item: CalendarItem, list: ReturnType<typeof reasons>) =>
      modal.error({
        title: t('calendar:drop.blocked', { title: item.title }),
        content: <ReasonList reasons={list} />,
        okText: t('common.close'),
        width: 560,
      }),
    [modal, t],
  );

  const save = useApiMutation({
    mutationFn: async ({ item, at }: { item: CalendarItem; at: string }) => {
      const check = await calendarApi.check(wsId, { item_id: item.id, planned_at: at });
      if (check.blocking) return { saved: null, check };
      return { saved: await calendarApi.schedule(wsId, item.id, item.version, at), check };
    },
    invalidate: [calendarKeys.shown(wsId), contentKeys.board(wsId)],
    onSuccess: ({ saved, check }, { item, at }) => {
      if (!saved) {
        showBlocked(item, reasons(check.conflicts, at));
        return;
      }
      cacheItem(saved);
      const time = shortMoment(at, zone);
      if (check.conflicts.length === 0) {
        void message.success(t('calendar:drop.saved', { time }));
        return;
      }
      void message.warning({
        content: (
          <div style={{ textAlign: 'left' }} data-testid="schedule-warnings">
            {t('calendar:drop.savedWithWarnings', { time })}
            <ReasonList reasons={reasons(check.conflicts, at)} />
          </div>
        ),
        duration: 8,
      });
    },
    onError: (err) => {
      const conflicts = conflictsOfError(err);
      if (conflicts.length && last.current) showBlocked(last.current.item, reasons(conflicts, last.current.at));
    },
  });

  const { mutate } = save;
  const schedule = useCallback(
    (item: CalendarItem, target: DropTarget) => {
      const refusal = dropRefusal(item, target);
      if (refusal) {
        void message.info(t(`calendar:drop.refused.${refusal}`));
        return;
      }
      const at = dropTime(target, item, zone);
      if (sameMoment(item.planned_at, at)) return;
      last.current = { item, at };
      mutate({ item, at });
    },
    [message, t, zone, mutate],
  );
  return { schedule, pending: save.isPending };
}
