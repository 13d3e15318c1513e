import { useState } from 'react';
import { Button, Card, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { campaignApi } from './api';
import { campaignKeys } from './queries';
import { useCustomFields } from '../custom-fields/queries';
import type { Campaign, CampaignStatus } from '../../api/types';
import { useSession } from '../../auth/session';
import { CampaignStatusTag, TIERS } from '../../components/tags';
import { CustomValueView } from '../../components/CustomFields';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { formatYuan } from '../../lib/money';
import { CampaignFormDrawer } from './CampaignFormDrawer';

const STATUSES: CampaignStatus[] = ['planned', 'active', 'completed', 'cancelled'];

export default function CampaignsPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const customFields = useCustomFields(wsId, 'campaign');
  const [status, setStatus] = useState<CampaignStatus | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ open: boolean; campaign?: Campaign }>({ open: false });
  const canWrite = can('campaigns.write');

  const params = { status, q, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const list = useQuery({
    queryKey: [...campaignKeys.all(wsId), 'list', params],
    queryFn: () => campaignApi.list(wsId, params),
    placeholderData: keepPreviousData,
  });
  const fields = customFields.data ?? [];

  const columns: TableColumnsType<Campaign> = [
    {
      title: t('campaigns:fields.name'),
      dataIndex: 'name',
      width: 220,
      render: (_, c) => (
        <div>
          <Typography.Text strong data-testid="campaign-name">
            {c.name}
          </Typography.Text>
          {c.theme && (
            <>
              <br />
              <Typography.Text type="secondary">{c.theme}</Typography.Text>
            </>
          )}
        </div>
      ),
    },
    { title: t('campaigns:fields.status'), dataIndex: 'status', width: 100, render: (_, c) => <CampaignStatusTag status={c.status ?? 'planned'} /> },
    {
      title: t('campaigns:fields.period'),
      key: 'period',
      width: 200,
      render: (_, c) => `${c.starts_on} ~ ${c.ends_on}`,
    },
    {
      title: t('campaigns:fields.budget_fen'),
      dataIndex: 'budget_fen',
      width: 150,
      align: 'right',
      render: (_, c) => <span data-testid="campaign-budget">{formatYuan(c.budget_fen ?? 0)}</span>,
    },
    {
      title: t('campaigns:fields.budget_by_tier'),
      key: 'budget_by_tier',
      width: 220,
      render: (_, c) => (
        <Space size={[0, 4]} wrap>
          {TIERS.map((tier) => [tier, c.budget_by_tier?.[tier] ?? 0] as const)
            .filter(([, fen]) => fen > 0)
            .map(([tier, fen]) => (
              <Tag key={tier}>
                {tier} {formatYuan(fen)}
              </Tag>
            ))}
        </Space>
      ),
    },
    {
      title: t('campaigns:fields.required_hashtags'),
      dataIndex: 'required_hashtags',
      width: 200,
      render: (_, c) => (
        <Space size={[0, 4]} wrap>
          {(c.required_hashtags ?? []).map((h) => (
            <Tag color="blue" key={h}>
              {h.startsWith('#') ? h : `#${h}`}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('campaigns:fields.embargo_at'),
      dataIndex: 'embargo_at',
      width: 150,
      render: (_, c) => (c.embargo_at ? dayjs(c.embargo_at).format('YYYY-MM-DD HH:mm') : '—'),
    },
    ...fields.map(
      (f): TableColumnsType<Campaign>[number] => ({
        title: f.label,
        key: `custom.${f.key}`,
        width: 140,
        render: (_, c) => <CustomValueView field={f} value={c.custom?.[f.key]} />,
      }),
    ),
    { title: t('campaigns:fields.updated_at'), dataIndex: 'updated_at', width: 150, render: (_, c) => formatTime(c.updated_at) },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, c: Campaign) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ open: true, campaign: c })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('campaigns:title')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="campaign-new">
            {t('campaigns:new')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          aria-label={t('common.search')}
          placeholder={t('campaigns:searchPlaceholder')}
          style={{ width: 260 }}
          onSearch={(v) => {
            setQ(v.trim() || undefined);
            setPage((p) => ({ ...p, current: 1 }));
          }}
        />
        <Select
          allowClear
          aria-label={t('campaigns:fields.status')}
          placeholder={t('campaigns:fields.status')}
          style={{ width: 140 }}
          value={status}
          onChange={(v?: CampaignStatus) => {
            setStatus(v);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={STATUSES.map((s) => ({ value: s, label: t(`campaignStatus.${s}`) }))}
        />
      </Space>
      {list.isError ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Campaign>
          rowKey="id"
          size="middle"
          data-testid="campaigns-table"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          expandable={{
            rowExpandable: (c) => Boolean(c.target_kpis),
            expandedRowRender: (c) => (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                <Typography.Text strong>{t('campaigns:fields.target_kpis')}：</Typography.Text>
                {c.target_kpis}
              </Typography.Paragraph>
            ),
          }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
        />
      )}
      <CampaignFormDrawer
        open={editing.open}
        campaign={editing.campaign}
        customFields={fields}
        onClose={() => setEditing({ open: false })}
      />
    </Card>
  );
}
