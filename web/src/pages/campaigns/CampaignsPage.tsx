import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Input, Select, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { campaignApi } from './api';
import { campaignKeys } from './queries';
import { useCustomFields } from '../custom-fields/queries';
import type { Campaign, CampaignStatus } from '../../api/types';
import { useSession } from '../../auth/session';
import { CampaignStatusTag, TIER_COLORS, TIERS } from '../../components/tags';
import { CustomValueView } from '../../components/CustomFields';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { formatYuan } from '../../lib/money';
import { ColumnSettings, arrangeColumns, useColumnSettings } from '../../components/ColumnSettings';
import { CampaignFormDrawer } from './CampaignFormDrawer';
import { campaignColumnDefs } from './listColumns';
import { ExportButton } from '../../components/ExportButton';

const STATUSES: CampaignStatus[] = ['planned', 'active', 'completed', 'cancelled'];
const NAME_MIN_WIDTH = 200;
const CUSTOM_WIDTH = 110;

export default function CampaignsPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const customFields = useCustomFields(wsId, 'campaign');
  const [status, setStatus] = useState<CampaignStatus | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ open: boolean; campaign?: Campaign }>({ open: false });
  const canWrite = can('campaigns.write');
  const navigate = useNavigate();

  const params = { status, q, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const list = useQuery({
    queryKey: [...campaignKeys.all(wsId), 'list', params],
    queryFn: () => campaignApi.list(wsId, params),
    placeholderData: keepPreviousData,
  });
  const fields = useMemo(() => customFields.data ?? [], [customFields.data]);
  const defs = useMemo(() => campaignColumnDefs(fields, canWrite), [fields, canWrite]);
  const settings = useColumnSettings('campaigns', defs);

  const allColumns: TableColumnsType<Campaign> = [
    {
      // No width: the name takes what the other columns leave, so the defaults fit the screen.
      title: t('campaigns:fields.name'),
      key: 'name',
      ellipsis: true,
      render: (_, c) => (
        <div style={{ minWidth: 0 }}>
          <Link to={`/campaigns/${c.id}`} data-testid="campaign-name" aria-label={t('campaigns:list.open', { name: c.name })}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {c.name}
            </Typography.Text>
          </Link>
          {c.theme && (
            <Typography.Text type="secondary" ellipsis={{ tooltip: c.theme }} style={{ display: 'block', fontSize: 12 }}>
              {c.theme}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { title: t('campaigns:fields.status'), key: 'status', width: 88, render: (_, c) => <CampaignStatusTag status={c.status ?? 'planned'} /> },
    {
      title: t('campaigns:fields.period'),
      key: 'period',
      width: 112,
      // Breaks after "~" so the two dates stack; the text still reads "start ~ end".
      render: (_, c) => (
        <span>
          {c.starts_on} ~ <span style={{ whiteSpace: 'nowrap' }}>{c.ends_on}</span>
        </span>
      ),
    },
    {
      title: t('campaigns:fields.budget_fen'),
      key: 'budget',
      width: 190,
      render: (_, c) => (
        <div>
          <Typography.Text strong data-testid="campaign-budget">
            {formatYuan(c.budget_fen ?? 0)}
          </Typography.Text>
          {TIERS.map((tier) => [tier, c.budget_by_tier?.[tier] ?? 0] as const)
            .filter(([, fen]) => fen > 0)
            .map(([tier, fen]) => (
              <div key={tier} style={{ fontSize: 12, lineHeight: '18px', whiteSpace: 'nowrap' }} data-testid={`campaign-tier-${tier}`}>
                <span style={{ display: 'inline-block', width: 6, height: 6, borderRadius: 3, marginRight: 6, background: TIER_COLORS[tier] }} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {tier} {formatYuan(fen)}
                </Typography.Text>
              </div>
            ))}
        </div>
      ),
    },
    {
      title: t('campaigns:list.hashtagsEmbargo'),
      key: 'hashtags',
      width: 180,
      render: (_, c) => (
        <div>
          <Space size={[0, 4]} wrap>
            {(c.required_hashtags ?? []).map((h) => (
              <Tag color="blue" key={h} style={{ marginInlineEnd: 4 }}>
                {h.startsWith('#') ? h : `#${h}`}
              </Tag>
            ))}
          </Space>
          {c.embargo_at && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="campaign-embargo">
              {t('campaigns:list.embargoShort', { time: dayjs(c.embargo_at).format('YYYY-MM-DD HH:mm') })}
            </Typography.Text>
          )}
        </div>
      ),
    },
    ...fields.map(
      (f): TableColumnsType<Campaign>[number] => ({
        title: f.label,
        key: `custom.${f.key}`,
        width: CUSTOM_WIDTH,
        ellipsis: true,
        render: (_, c) => (
          <span data-testid={`campaign-custom-${f.key}`}>
            <CustomValueView field={f} value={c.custom?.[f.key]} />
          </span>
        ),
      }),
    ),
    { title: t('campaigns:fields.updated_at'), key: 'updated_at', width: 100, render: (_, c) => formatTime(c.updated_at) },
    {
      title: t('campaigns:fields.target_kpis'),
      key: 'target_kpis',
      width: 240,
      render: (_, c) => (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, tooltip: c.target_kpis }} style={{ margin: 0, fontSize: 12 }}>
          {c.target_kpis || '—'}
        </Typography.Paragraph>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 76,
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
  const columns = arrangeColumns(allColumns, settings.columns);
  const titles = Object.fromEntries(allColumns.map((c) => [String(c.key), c.title as ReactNode]));
  // The table scrolls sideways only when the columns need more than the screen (many custom fields).
  const scrollX = columns.reduce((s, col) => s + (typeof col.width === 'number' ? col.width : NAME_MIN_WIDTH), 0);

  return (
    <Card
      title={t('campaigns:title')}
      extra={
        <Space>
          <ColumnSettings value={settings} titles={titles} testId="campaigns-columns" />
          <ExportButton wsId={wsId} path="campaigns/export" params={{ status, q }} fallbackName="campaigns.xlsx" />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="campaign-new">
              {t('campaigns:new')}
            </Button>
          )}
        </Space>
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
      ) : list.isPending ? (
        // Not an empty table: "暂无数据" would flash before the first page arrives.
        <Skeleton active paragraph={{ rows: 6 }} data-testid="campaigns-loading" />
      ) : (
        <Table<Campaign>
          rowKey="id"
          size="middle"
          tableLayout="fixed"
          data-testid="campaigns-table"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: scrollX }}
          onRow={(c) => ({
            style: { cursor: 'pointer' },
            onClick: (e) => {
              // Links and buttons in the row (the name, 编辑) do their own thing.
              if ((e.target as HTMLElement).closest('a, button')) return;
              void navigate(`/campaigns/${c.id}`);
            },
          })}
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
