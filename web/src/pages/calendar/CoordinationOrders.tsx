import { useState } from 'react';
import { Button, Card, Empty, Popconfirm, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { usePlatforms } from '../platforms/queries';
import { calendarApi } from './api';
import { useLiveCalendar } from './live';
import { duration } from './conflictText';
import { OrderModal } from './OrderModal';
import { calendarKeys, ordersQuery } from './queries';
import { SCHEDULE_MANAGE, type AccountSpec, type CoordinationOrder } from './types';
import { OrderWaves } from './Waves';

/** `KOC · 小红书 · #车主` for a spec, `任意账号` for an empty one. */
function useSpecText(): (s: Partial<AccountSpec>) => string {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  const name = (code: string) => platforms.data?.find((p) => p.code === code)?.name ?? code;
  return (s) => {
    const parts = [
      (s.tiers ?? []).map((tier) => t(`tier.${tier}`)).join('/'),
      (s.platforms ?? []).map(name).join('/'),
      (s.account_tags ?? []).map((tag) => `#${tag}`).join('/'),
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : t('calendar:orders.spec.anyAccount');
  };
}

/** 协同指令 on a campaign's page: "when a KOL item is published, the KOC accounts follow within 2 hours". */
export function CoordinationOrdersCard({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const manage = can(SCHEDULE_MANAGE);
  const orders = useQuery(ordersQuery(wsId, campaignId));
  // Orders edited elsewhere and new waves (their follow-ups are content items) show without a reload.
  useLiveCalendar();
  const specText = useSpecText();
  const [editing, setEditing] = useState<{ open: boolean; row?: CoordinationOrder }>({ open: false });

  const toggle = useApiMutation({
    mutationFn: (o: CoordinationOrder) => {
      const { id: _id, created_at: _c, updated_at: _u, waves: _w, ...draft } = o;
      return calendarApi.updateOrder(wsId, o.id, { ...draft, enabled: !o.enabled });
    },
    success: (o) => (o.enabled ? t('calendar:orders.enabled') : t('calendar:orders.disabled')),
    invalidate: [calendarKeys.orders(wsId)],
  });
  const remove = useApiMutation({
    mutationFn: (id: number) => calendarApi.removeOrder(wsId, id),
    success: t('common.deleted'),
    invalidate: [calendarKeys.orders(wsId)],
  });

  const columns: TableColumnsType<CoordinationOrder> = [
    { title: t('calendar:orders.fields.name'), dataIndex: 'name', width: 160, ellipsis: true },
    {
      title: t('calendar:orders.rule'),
      key: 'rule',
      render: (_, o) => (
        <Space orientation="vertical" size={2}>
          <span>{t('calendar:orders.whenPublished', { spec: specText(o.trigger) })}</span>
          {o.follow_ups.map((f, i) => (
            <Typography.Text key={i} type="secondary">
              {t('calendar:orders.follows', { spec: specText(f.spec), delay: duration(f.delay_minutes, t) })}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t('calendar:orders.fields.waves'), dataIndex: 'waves', width: 80, align: 'right' },
    {
      title: t('calendar:orders.fields.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (_, o) =>
        manage ? (
          <Switch size="small" checked={o.enabled} loading={toggle.isPending && toggle.variables?.id === o.id} aria-label={t('calendar:orders.fields.enabled')} onChange={() => toggle.mutate(o)} />
        ) : (
          <Tag color={o.enabled ? 'green' : 'default'}>{o.enabled ? t('calendar:orders.on') : t('calendar:orders.off')}</Tag>
        ),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 130,
            render: (_: unknown, o: CoordinationOrder) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing({ open: true, row: o })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('calendar:orders.deleteConfirm', { name: o.name })} onConfirm={() => remove.mutate(o.id)}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('calendar:orders.title')}
      data-testid="coordination-orders"
      extra={
        manage && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="order-add">
            {t('calendar:orders.add')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('calendar:orders.intro')}</Typography.Paragraph>
      {orders.isError ? (
        <ErrorResult error={orders.error} onRetry={() => void orders.refetch()} />
      ) : (
        <Table<CoordinationOrder>
          rowKey="id"
          size="small"
          data-testid="orders-table"
          loading={orders.isLoading}
          dataSource={orders.data ?? []}
          columns={columns}
          pagination={false}
          expandable={{ expandedRowRender: (o) => <OrderWaves orderId={o.id} />, rowExpandable: (o) => o.waves > 0 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar:orders.empty')} /> }}
        />
      )}
      {manage && <OrderModal campaignId={campaignId} row={editing.row} open={editing.open} onClose={() => setEditing({ open: false })} />}
    </Card>
  );
}
