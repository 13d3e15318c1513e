import type { StreamedChange } from '../../lib/useEventStream';

/** The entity type of the events that carry a member's unread count (entity id: the member). */
export const NOTIFICATION_ENTITY = 'notification';

/**
 * What a batch of streamed changes says about the member's notifications: nothing (null), or
 * that they changed, with the newest unread count the events carry (undefined when none does).
 */
export function inboxChange(changes: readonly StreamedChange[], userId: number): { unread: number | undefined } | null {
  const mine = changes.filter((c) => c.entity_type === NOTIFICATION_ENTITY && c.entity_id === userId);
  if (mine.length === 0) return null;
  const newest = mine.reduce((a, b) => (b.id > a.id ? b : a));
  const after = newest.after as { unread?: unknown } | null | undefined;
  const unread = typeof after?.unread === 'number' && after.unread >= 0 ? after.unread : undefined;
  return { unread };
}
