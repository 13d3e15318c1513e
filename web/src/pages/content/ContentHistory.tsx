import { Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomField, Event } from '../../api/types';
import { changedKeys, formatTime, useActionLabel } from '../../components/events';
import { contentFieldLabel } from './labels';

const CONTENT_KEYS = new Set(['title', 'body', 'account_id', 'campaign_id', 'hashtags', 'media', 'assignee_id', 'due_on', 'planned_at', 'tags', 'custom', 'grade']);

function str(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}

/** Everything that happened to one item: moves (from → to), decisions with reasons, edits, comments. */
export function ContentHistory({ events, customFields }: { events: Event[]; customFields: CustomField[] }) {
  const { t, i18n } = useTranslation();
  const actionLabel = useActionLabel();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noActivity')} />;
  const stageName = (s: string | null) => (s && i18n.exists(`stages.${s}`) ? t(`stages.${s}`) : s);
  return (
    <Timeline
      data-testid="content-history"
      items={events.map((e) => {
        const before = (e.before ?? {}) as Record<string, unknown>;
        const after = (e.after ?? {}) as Record<string, unknown>;
        const from = str(before.stage);
        const to = str(after.stage);
        const keys = e.action === 'content.updated' ? changedKeys(before, after).filter((k) => CONTENT_KEYS.has(k)) : [];
        const reason = str(after.reason) ?? str(after.override_reason) ?? str(after.retro_note);
        return {
          key: e.id,
          content: (
            <div data-testid="history-item">
              <Typography.Text strong>{e.actor_name ?? t('common.system')}</Typography.Text> {actionLabel(e.action)}
              {from && to && from !== to && (
                <Typography.Text type="secondary">
                  {' '}
                  · {stageName(from)} → {stageName(to)}
                </Typography.Text>
              )}
              {keys.length > 0 && (
                <Typography.Text type="secondary"> · {keys.map((k) => contentFieldLabel(t, customFields, k)).join(t('common.listSeparator'))}</Typography.Text>
              )}
              {reason && (
                <>
                  <br />
                  <Typography.Text>“{reason}”</Typography.Text>
                </>
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
