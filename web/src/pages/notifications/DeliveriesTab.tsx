import { useState } from 'react';
import { Button, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { notificationApi } from './api';
import { ChannelKindTag } from './ChannelsTab';
import { deliveryPagesQuery, notificationKeys } from './queries';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'sending', 'sent', 'retrying', 'failed', 'dead'];
const STATUS_COLORS: Record<DeliveryStatus, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'success',
  retrying: 'warning',
  failed: 'error',
  dead: 'magenta',
};
/** A delivery that may be sent again: one that failed, or a sent one to send once more. */
const RESENDABLE: readonly DeliveryStatus[] = ['failed', 'dead', 'sent'];

export function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`notifications:deliveryStatusHint.${status}`)}>
      <Tag color={STATUS_COLORS[status]} data-testid="delivery-status">
        {t(`notifications:deliveryStatus.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/** Each try of one delivery: when, how it ended, the HTTP status and what the provider said. */
function Attempts({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<DeliveryAttempt> = [
    { title: t('notifications:deliveries.attempt.at'), dataIndex: 'at', width: 150, render: (v: string) => formatTime(v) },
    { title: t('notifications:deliveries.attempt.status'), dataIndex: 'status', width: 110, render: (s: DeliveryStatus) => <DeliveryStatusTag status={s} /> },
    { title: t('notifications:deliveries.attempt.http'), dataIndex: 'http_status', width: 100, render: (v?: number | null) => v ?? '—' },
    {
      title: t('notifications:deliveries.attempt.answer'),
      dataIndex: 'answer',
      render: (v: string) => <Typography.Text style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{v || '—'}</Typography.Text>,
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Table<DeliveryAttempt>
        rowKey={(a) => `${a.at}-${a.status}`}
        size="small"
        pagination={false}
        dataSource={delivery.attempts}
        columns={columns}
        locale={{ emptyText: t('notifications:deliveries.noAttempts') }}
      />
      <Typography.Text type="secondary" copyable={{ text: delivery.idempotency_key }} style={{ fontSize: 12 }}>
        {t('notifications:deliveries.idempotencyKey', { key: delivery.idempotency_key })}
      </Typography.Text>
    </Space>
  );
}

export function DeliveriesTab() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const pages = useInfiniteQuery(deliveryPagesQuery(wsId, status));
  const rows = pages.data?.pages.flat() ?? [];

  const retry = useApiMutation({
    mutationFn: (d: Delivery) => notificationApi.retryDelivery(wsId, d.id),
    success: t('notifications:deliveries.retried'),
    invalidate: [notificationKeys.deliveries(wsId), notificationKeys.jobs(wsId)],
  });

  const columns: TableColumnsType<Delivery> = [
    { title: t('notifications:deliveries.fields.created_at'), dataIndex: 'created_at', width: 150, render: (v: string) => formatTime(v) },
    {
      title: t('notifications:deliveries.fields.channel'),
      key: 'channel',
      width: 220,
      render: (_, d) => (
        <Space size={4}>
          <ChannelKindTag kind={d.channel_kind} />
          <span>{d.channel_name ?? (d.target ? t('notifications:deliveries.memberEmail') : d.channel_id ? `#${d.channel_id}` : '—')}</span>
        </Space>
      ),
    },
    { title: t('notifications:deliveries.fields.target'), dataIndex: 'target', ellipsis: true, render: (v?: string | null) => v ?? '—' },
    { title: t('notifications:deliveries.fields.kind'), dataIndex: 'kind', width: 110, render: (k: Delivery['kind']) => t(`notifications:kinds.${k}`) },
    { title: t('notifications:deliveries.fields.title'), dataIndex: 'title', ellipsis: true },
    { title: t('notifications:deliveries.fields.status'), dataIndex: 'status', width: 100, render: (s: DeliveryStatus) => <DeliveryStatusTag status={s} /> },
    { title: t('notifications:deliveries.fields.attempts'), key: 'attempts', width: 90, align: 'right', render: (_, d) => d.attempts.length },
    {
      title: t('notifications:deliveries.fields.next_attempt_at'),
      dataIndex: 'next_attempt_at',
      width: 150,
      render: (v: string | null | undefined, d) => (d.status === 'queued' || d.status === 'retrying' ? formatTime(v) : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, d) =>
        RESENDABLE.includes(d.status) && (
          <Button type="link" size="small" loading={retry.isPending && retry.variables?.id === d.id} onClick={() => retry.mutate(d)}>
            {t('notifications:deliveries.retry')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select<DeliveryStatus>
          allowClear
          aria-label={t('notifications:deliveries.fields.status')}
          placeholder={t('notifications:deliveries.allStatuses')}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`notifications:deliveryStatus.${s}`) }))}
        />
      </Space>
      {pages.isError ? (
        <ErrorResult error={pages.error} onRetry={() => void pages.refetch()} />
      ) : (
        <Table<Delivery>
          rowKey="id"
          size="middle"
          data-testid="deliveries-table"
          loading={pages.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: 1100 }}
          expandable={{ expandedRowRender: (d) => <Attempts delivery={d} /> }}
          locale={{ emptyText: t('notifications:deliveries.empty') }}
        />
      )}
      {rows.length > 0 && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          {pages.hasNextPage ? (
            <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </div>
      )}
    </>
  );
}
