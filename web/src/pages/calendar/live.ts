import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../auth/session';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import { contentKeys } from '../content/queries';
import { eventStreamUrl } from '../events/api';
import { calendarKeys } from './queries';

/** Entity types of the events that change what the calendar shows (besides content items). */
export const CALENDAR_ENTITIES = ['schedule_rules', 'recurring_slot', 'holiday_calendar', 'coordination_order'] as const;

/**
 * What a batch of streamed changes makes stale: what the calendar shows (a content change, a
 * rule, a slot or a holiday changes items, conflicts and open slots), the settings that changed,
 * and the content items that changed (an open drawer).
 */
export function staleAfter(changes: readonly StreamedChange[]): { shown: boolean; settings: string[]; items: number[] } {
  const kinds = new Set(changes.map((c) => c.entity_type));
  const items = [...new Set(changes.filter((c) => c.entity_type === 'content_item' && c.entity_id).map((c) => c.entity_id!))];
  const settings = CALENDAR_ENTITIES.filter((k) => kinds.has(k));
  return { shown: kinds.has('content_item') || settings.some((k) => k !== 'coordination_order'), settings, items };
}

const SETTINGS_KEYS = {
  schedule_rules: calendarKeys.rules,
  recurring_slot: calendarKeys.slots,
  holiday_calendar: calendarKeys.holidays,
  coordination_order: calendarKeys.orders,
} as const;

/** Keeps the calendar live: another person's change refetches it without a reload. */
export function useLiveCalendar(enabled = true): void {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const onChanges = useCallback(
    (changes: StreamedChange[]) => {
      const stale = staleAfter(changes);
      if (stale.shown) void queryClient.invalidateQueries({ queryKey: calendarKeys.shown(wsId) });
      for (const k of stale.settings) void queryClient.invalidateQueries({ queryKey: SETTINGS_KEYS[k as keyof typeof SETTINGS_KEYS](wsId) });
      for (const id of stale.items) void queryClient.invalidateQueries({ queryKey: contentKeys.item(wsId, id) });
    },
    [queryClient, wsId],
  );
  useEventStream(enabled ? eventStreamUrl(wsId) : null, onChanges, 150);
}
