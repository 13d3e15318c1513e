import { useCallback, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { campaignListQuery } from '../campaigns/queries';
import { CAMPAIGNS_SHOWN, contentKeys } from './queries';
import { eventStreamUrl } from '../events/api';
import { useSession } from '../../auth/session';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import type { ContentItem } from '../../api/types';

/**
 * Puts an item the server just returned into the cache, so its drawer shows at once what the
 * member may do with it now (`allowed` changes with the stage).
 */
export function useCacheItem(): (item: ContentItem) => void {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  return useCallback((item: ContentItem) => queryClient.setQueryData(contentKeys.item(wsId, item.id), item), [queryClient, wsId]);
}

/** Campaigns of the workspace (newest 200), for selects and card labels. */
export function useCampaigns() {
  const { wsId } = useSession();
  const list = useQuery(campaignListQuery(wsId, CAMPAIGNS_SHOWN));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const nameOf = useCallback((id: number | null | undefined) => (id ? (items.find((c) => c.id === id)?.name ?? `#${id}`) : ''), [items]);
  return { items, nameOf, isLoading: list.isLoading };
}

/**
 * Keeps the board and open cards live: every content change streamed by the server
 * invalidates the board and that item's queries (batched over 100 ms).
 */
export function useLiveContent(enabled: boolean): void {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const onChanges = useCallback(
    (changes: StreamedChange[]) => {
      const items = new Set<number>();
      let any = false;
      for (const c of changes) {
        if (c.entity_type !== 'content_item') continue;
        any = true;
        if (c.entity_id) items.add(c.entity_id);
      }
      if (!any) return;
      void queryClient.invalidateQueries({ queryKey: contentKeys.board(wsId) });
      for (const id of items) void queryClient.invalidateQueries({ queryKey: contentKeys.item(wsId, id) });
    },
    [queryClient, wsId],
  );
  useEventStream(enabled ? eventStreamUrl(wsId) : null, onChanges, 100);
}
