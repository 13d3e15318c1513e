import { useCallback, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { accountApi } from '../accounts/api';
import { accountKeys } from '../accounts/queries';
import { campaignApi } from '../campaigns/api';
import { campaignKeys } from '../campaigns/queries';
import { contentKeys } from './queries';
import { eventStreamUrl } from '../events/api';
import { useSession } from '../../auth/session';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import type { Viewer } from './permissions';

/** The signed-in member as the board's permission helpers see them. */
export function useViewer(): Viewer {
  const { me, workspace, wsId } = useSession();
  const caps = workspace.capabilities;
  // Only members limited to their own accounts need to know which those are.
  const needsOwn =
    (caps.includes('content.write_own') && !caps.includes('content.write_any')) ||
    (caps.includes('content.publish_own') && !caps.includes('content.publish_any'));
  const own = useQuery({
    queryKey: [...accountKeys.all(wsId), 'owned-by', me.user.id],
    queryFn: () => accountApi.list(wsId, { owner: me.user.id, limit: 200 }),
    enabled: needsOwn,
    staleTime: 60_000,
  });
  return useMemo(
    () => ({ caps, userId: me.user.id, ownAccountIds: new Set((own.data?.items ?? []).map((a) => a.id)) }),
    [caps, me.user.id, own.data],
  );
}

/** Campaigns of the workspace (newest 200), for selects and card labels. */
export function useCampaigns() {
  const { wsId } = useSession();
  const list = useQuery({
    queryKey: [...campaignKeys.all(wsId), 'list', { limit: 200 }],
    queryFn: () => campaignApi.list(wsId, { limit: 200 }),
    staleTime: 60_000,
  });
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
