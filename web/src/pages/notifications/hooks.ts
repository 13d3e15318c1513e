import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { MarkRead, Notification, UnreadCount } from '../../api/types';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import { eventStreamUrl } from '../events/api';
import { notificationApi } from './api';
import { inboxChange } from './live';
import { notificationKeys, unreadQuery } from './queries';
import { notificationLink } from './text';

/** The member's unread count, kept current by the event stream (mount once: the shell's bell). */
export function useLiveUnread(): number {
  const { wsId, me } = useSession();
  const queryClient = useQueryClient();
  const unread = useQuery(unreadQuery(wsId));
  const onChanges = useCallback(
    (changes: StreamedChange[]) => {
      const change = inboxChange(changes, me.user.id);
      if (!change) return;
      if (change.unread === undefined) void queryClient.invalidateQueries({ queryKey: notificationKeys.unread(wsId) });
      else queryClient.setQueryData<UnreadCount>(notificationKeys.unread(wsId), { unread: change.unread });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.lists(wsId) });
    },
    [queryClient, wsId, me.user.id],
  );
  useEventStream(eventStreamUrl(wsId), onChanges, 200);
  return unread.data?.unread ?? 0;
}

/** The member's unread count as last read or streamed (the bell keeps it current). */
export function useUnread(): number {
  const { wsId } = useSession();
  return useQuery(unreadQuery(wsId)).data?.unread ?? 0;
}

/** Marks notifications read (some ids, or all); the answer is the new unread count. */
export function useMarkRead(success?: string) {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  return useApiMutation({
    mutationFn: (body: MarkRead) => notificationApi.markRead(wsId, body),
    onSuccess: (count) => queryClient.setQueryData(notificationKeys.unread(wsId), count),
    invalidate: [notificationKeys.lists(wsId)],
    success,
  });
}

/** Opening a notification: it is marked read, and a card's notification opens that card on the board. */
export function useOpenNotification(afterOpen?: () => void): (n: Notification) => void {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const { mutate } = markRead;
  return useCallback(
    (n: Notification) => {
      if (!n.read_at) mutate({ ids: [n.id] });
      const link = notificationLink(n);
      if (link) {
        navigate(link);
        afterOpen?.();
      }
    },
    [mutate, navigate, afterOpen],
  );
}
