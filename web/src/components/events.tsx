import { Timeline, Typography, Empty } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Event } from '../api/types';
import { fieldChanges } from '../lib/eventDiff';

/** Translated label of an event action such as `account.updated`; unknown actions show as-is. */
export function useActionLabel(): (action: string) => string {
  const { t, i18n } = useTranslation();
  return (action) => (i18n.exists(`actions.${action}`) ? t(`actions.${action}`) : action);
}

/** Keys whose value differs between an event's `before` and `after` objects. */
export function changedKeys(before: unknown, after: unknown): string[] {
  return fieldChanges(before, after).map((c) => c.key);
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/** Compact activity feed for one record. */
export function ActivityFeed({ events, fieldLabel }: { events: Event[]; fieldLabel: (key: string) => string }) {
  const { t } = useTranslation();
  const actionLabel = useActionLabel();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noActivity')} />;
  return (
    <Timeline
      items={events.map((e) => {
        const keys = e.action.endsWith('.updated') ? changedKeys(e.before, e.after) : [];
        return {
          key: e.id,
          content: (
            <div data-testid="activity-item">
              <Typography.Text strong>{e.actor_name ?? t('common.system')}</Typography.Text> {actionLabel(e.action)}
              {keys.length > 0 && (
                <Typography.Text type="secondary"> · {keys.map(fieldLabel).join(t('common.listSeparator'))}</Typography.Text>
              )}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(e.created_at)}
              </Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}
