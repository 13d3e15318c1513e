import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import type { Notification, NotificationKind } from '../../api/types';

dayjs.extend(relativeTime);

/** Every kind, in the order the preferences and selects list them. */
export const KINDS: readonly NotificationKind[] = [
  'review_requested',
  'review_decided',
  'mention',
  'assigned',
  'due_tomorrow',
  'overdue',
  'overdue_digest',
  'publish_reminder',
  'wave_follow_up',
  'test',
];

type Translate = (key: string, opts?: Record<string, unknown>) => string;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The hour and minute of a time the API sends, on the reader's clock ("20:00"). */
export const clockTime = (iso: string): string => dayjs(iso).format('HH:mm');

/** How long ago, in the UI's language ("3 分钟前", "3 minutes ago"). */
export const timeAgo = (iso: string, now?: string | number | Date): string => dayjs(iso).from(now ?? dayjs());

/** The decision of a review_decided notification, as its sentence names it. */
function decisionKey(decision: unknown, reason: string | undefined): string {
  if (decision === 'approved' || decision === 'overridden') return decision;
  if (decision === 'rejected') return reason ? 'rejectedWithReason' : 'rejected';
  return 'other';
}

/**
 * The sentence of one notification in the UI's language, built from its kind, its facts
 * (`data`), who caused it and the subject's title — the server sends no text of its own.
 */
export function notificationText(n: Pick<Notification, 'kind' | 'data' | 'actor_name' | 'title'>, t: Translate): string {
  const data = (n.data ?? {}) as Record<string, unknown>;
  const title = n.title.trim() || t('notifications:text.untitled');
  const actor = n.actor_name?.trim() || t('notifications:text.someone');
  switch (n.kind) {
    case 'review_requested':
      return t('notifications:text.review_requested', { actor, title });
    case 'review_decided': {
      const reason = text(data.reason);
      return t(`notifications:text.decided.${decisionKey(data.decision, reason)}`, { actor, title, reason });
    }
    case 'mention': {
      const comment = text(data.comment);
      return comment ? t('notifications:text.mention', { actor, title, comment }) : t('notifications:text.mentionBare', { actor, title });
    }
    case 'assigned':
      return n.actor_name ? t('notifications:text.assignedBy', { actor, title }) : t('notifications:text.assigned', { title });
    case 'due_tomorrow':
      return t('notifications:text.due_tomorrow', { title });
    case 'overdue': {
      const days = count(data.days);
      return days !== undefined && days > 0 ? t('notifications:text.overdue', { title, count: days }) : t('notifications:text.overdueBare', { title });
    }
    case 'overdue_digest': {
      const items = Array.isArray(data.items) ? data.items.length : 0;
      return t('notifications:text.overdue_digest', { count: count(data.count) ?? items });
    }
    case 'publish_reminder': {
      const at = text(data.planned_at);
      return at ? t('notifications:text.publish_reminder', { title, time: clockTime(at) }) : t('notifications:text.publishReminderBare', { title });
    }
    case 'wave_follow_up': {
      const trigger = text(data.trigger_title);
      const account = text(data.trigger_account);
      const due = text(data.due_at);
      return trigger && account && due
        ? t('notifications:text.wave_follow_up', { title, trigger, account, time: dayjs(due).format('MM-DD HH:mm') })
        : t('notifications:text.waveFollowUpBare', { title });
    }
    case 'test':
      return t('notifications:text.test');
    default:
      return title;
  }
}

/**
 * Where a notification leads when clicked: a card's drawer on the board (the board opens the
 * `item` of its address), the board's overdue cards for the digest, or nowhere.
 */
export function notificationLink(n: Pick<Notification, 'kind' | 'entity_type' | 'entity_id'>): string | null {
  if (n.entity_type === 'content_item' && n.entity_id) return `/content?item=${n.entity_id}`;
  if (n.kind === 'overdue_digest') return '/content?overdue=true';
  return null;
}
