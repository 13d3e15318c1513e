import { Empty, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { writeBoardState } from '../content/urlState';
import { wavesQuery } from './queries';
import { fullMoment } from './time';
import type { FollowUp, FollowUpState, Wave } from './types';

export const FOLLOW_UP_COLORS: Record<FollowUpState, string> = { pending: 'default', on_time: 'green', late: 'orange', overdue: 'red', cancelled: 'default' };

/** The board with one item's drawer open. */
export const itemHref = (id: number) => `/content?${writeBoardState({ filters: {}, lanes: 'none', item: id }).toString()}`;

function WaveBlock({ wave }: { wave: Wave }) {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const zone = workspace.time_zone;
  const columns: TableColumnsType<FollowUp> = [
    { title: t('calendar:waves.col.account'), dataIndex: 'handle', width: 140, ellipsis: true, render: (h: string | null | undefined, f) => (h ? `@${h}` : f.account_id ? `#${f.account_id}` : '—') },
    {
      title: t('calendar:waves.col.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string, f) => <Link to={itemHref(f.item_id)}>{title}</Link>,
    },
    { title: t('calendar:waves.col.due'), dataIndex: 'due_at', width: 140, render: (v: string) => fullMoment(v, zone) },
    { title: t('calendar:waves.col.published'), dataIndex: 'published_at', width: 140, render: (v: string | null) => fullMoment(v, zone) },
    {
      title: t('calendar:waves.col.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: FollowUpState) => (
        <Tag color={FOLLOW_UP_COLORS[s]} data-testid="follow-up-state">
          {t(`calendar:waves.states.${s}`)}
        </Tag>
      ),
    },
  ];
  return (
    <div data-testid={`wave-${wave.id}`} style={{ marginBottom: 16 }}>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Typography.Text strong>
          {t('calendar:waves.trigger')} <Link to={itemHref(wave.trigger_item_id)}>{wave.trigger_title}</Link>
        </Typography.Text>
        <Typography.Text type="secondary">{t('calendar:waves.triggeredAt', { time: fullMoment(wave.triggered_at, zone) })}</Typography.Text>
        {wave.parent_wave_id && <Tag color="purple">{t('calendar:waves.cascade', { id: wave.parent_wave_id })}</Tag>}
        <Typography.Text data-testid="wave-summary">{t('calendar:waves.summary', { total: wave.total, published: wave.published, on_time: wave.on_time, late: wave.late })}</Typography.Text>
      </Space>
      <Table<FollowUp> rowKey="item_id" size="small" tableLayout="fixed" columns={columns} dataSource={wave.follow_ups} pagination={wave.follow_ups.length > 10 ? { pageSize: 10, showSizeChanger: false } : false} />
    </div>
  );
}

/** The waves an order has started, newest first, each with its follow-ups. */
export function OrderWaves({ orderId }: { orderId: number }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const waves = useQuery(wavesQuery(wsId, { order_id: orderId }));
  if (waves.isError) return <ErrorResult error={waves.error} onRetry={() => void waves.refetch()} />;
  if (!waves.data) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (waves.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar:waves.none')} />;
  return (
    <div data-testid={`order-waves-${orderId}`}>
      {waves.data.map((w) => (
        <WaveBlock key={w.id} wave={w} />
      ))}
    </div>
  );
}
