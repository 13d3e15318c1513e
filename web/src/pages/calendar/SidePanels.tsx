import { useMemo, useState } from 'react';
import { Card, Empty, Input, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult';
import { ConflictList } from './ConflictList';
import { ItemChip, useDisplay } from './ItemChip';
import { fullMoment } from './time';
import type { CalendarItem } from './types';

interface Loaded {
  items: CalendarItem[] | undefined;
  error: unknown;
  onRetry: () => void;
}

/** Items without a planned time, to drag onto the calendar. */
export function BacklogPanel({ items, error, onRetry }: Loaded) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = items ?? [];
    return needle ? all.filter((i) => i.title.toLowerCase().includes(needle) || (i.handle ?? '').toLowerCase().includes(needle)) : all;
  }, [items, q]);
  return (
    <Card size="small" title={t('calendar:backlog.title', { count: items?.length ?? 0 })} data-testid="cal-backlog">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('calendar:backlog.hint')}
      </Typography.Paragraph>
      <Input.Search allowClear size="small" placeholder={t('calendar:backlog.search')} aria-label={t('calendar:backlog.search')} onChange={(e) => setQ(e.target.value)} style={{ marginBottom: 8 }} />
      {error ? (
        <ErrorResult error={error} onRetry={onRetry} />
      ) : !items ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar:backlog.empty')} />
      ) : (
        <div className="kox-cal-backlog-list">
          {shown.map((it) => (
            <ItemChip key={it.id} item={it} withHandle testId={`backlog-item-${it.id}`} />
          ))}
        </div>
      )}
    </Card>
  );
}

/** The open conflicts of the visible range: each item with its reasons. */
export function ConflictsPanel({ items, error, onRetry }: Loaded) {
  const { t } = useTranslation();
  const { zone, onOpen } = useDisplay();
  return (
    <Card size="small" title={t('calendar:conflicts.title', { count: items?.length ?? 0 })} data-testid="cal-conflicts" style={{ marginBottom: 12 }}>
      {error ? (
        <ErrorResult error={error} onRetry={onRetry} />
      ) : !items ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar:conflicts.none')} />
      ) : (
        <div className="kox-cal-conflict-list">
          {items.map((it) => (
            <div key={it.id} className="kox-cal-conflict-entry" data-testid={`cal-conflict-${it.id}`}>
              <Typography.Link onClick={() => onOpen(it.id)}>{it.title}</Typography.Link>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {it.handle ? `@${it.handle} · ` : ''}
                  {fullMoment(it.at, zone)}
                </Typography.Text>
              </div>
              <ConflictList conflicts={it.conflicts} at={it.at} zone={zone} />
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
