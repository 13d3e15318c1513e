import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Progress,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { ArrowLeftOutlined, EditOutlined, LayoutOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCampaign, campaignKeys } from './queries';
import { CampaignFormDrawer } from './CampaignFormDrawer';
import {
  ITEM_LIMIT,
  accountRows,
  boardHref,
  budgetSplit,
  cardsOf,
  firstPassRow,
  isTruncated,
  periodDays,
  stageColumns,
  type AccountRow,
} from './campaignPage';
import { contentApi } from '../content/api';
import { contentKeys } from '../content/queries';
import { boardQueryParams } from '../content/urlState';
import { FIRST_PASS_TARGET, formatPercent, onTarget } from '../content/firstPass';
import { eventApi, eventStreamUrl } from '../events/api';
import { eventKeys } from '../events/queries';
import { useCustomFields } from '../custom-fields/queries';
import { usePlatforms } from '../platforms/queries';
import type { BoardColumn, Campaign, ContentCard, CustomField, Stage } from '../../api/types';
import { useSession } from '../../auth/session';
import { CampaignStatusTag, TIER_COLORS, TierTag } from '../../components/tags';
import { CustomValueView } from '../../components/CustomFields';
import { useMemberNames } from '../../components/MemberSelect';
import { ActivityFeed, formatTime } from '../../components/events';
import { ErrorResult } from '../../components/ErrorResult';
import { apiFieldLabel } from '../../lib/fieldLabel';
import { formatYuan } from '../../lib/money';
import { formatInteger } from '../../lib/numbers';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import { CoordinationOrdersCard } from '../calendar/CoordinationOrders';

const hashtag = (h: string) => (h.startsWith('#') ? h : `#${h}`);

export default function CampaignPage() {
  const { t } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  if (!Number.isInteger(id) || id <= 0) {
    return <Result status="404" title="404" subTitle={t('campaigns:page.invalidId')} extra={<Link to="/campaigns">{t('campaigns:page.back')}</Link>} />;
  }
  // Keyed by id so moving between campaigns starts from a clean page (tabs, stage filter).
  return <CampaignView key={id} id={id} />;
}

function CampaignView({ id }: { id: number }) {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const campaign = useCampaign(wsId, id);
  const customFields = useCustomFields(wsId, 'campaign');
  const fields = customFields.data ?? [];
  const [editing, setEditing] = useState(false);
  useLiveCampaign(id);

  const c = campaign.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="campaign-page">
      <Link to="/campaigns" data-testid="campaign-back">
        <ArrowLeftOutlined /> {t('campaigns:title')}
      </Link>
      {campaign.isError ? (
        <Card>
          <ErrorResult error={campaign.error} onRetry={() => void campaign.refetch()} />
        </Card>
      ) : !c ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <>
          <Header campaign={c} fields={fields} onEdit={can('campaigns.write') ? () => setEditing(true) : undefined} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <CampaignItems campaignId={id} />
            </Col>
            <Col xs={24} xl={8}>
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <FirstPass campaignId={id} />
                <Activity campaignId={id} fields={fields} />
              </Space>
            </Col>
          </Row>
          <CoordinationOrdersCard campaignId={id} />
          <CampaignFormDrawer open={editing} campaign={c} customFields={fields} onClose={() => setEditing(false)} />
        </>
      )}
    </Space>
  );
}

/**
 * Keeps the page live over the workspace's change stream: content changes refresh the items and
 * the first-pass rate, account changes the handles the cards show, and changes of this campaign
 * its header and activity.
 */
function useLiveCampaign(id: number) {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const onChanges = useCallback(
    (changes: StreamedChange[]) => {
      const kinds = new Set(changes.map((c) => c.entity_type));
      if (kinds.has('content_item') || kinds.has('account')) void queryClient.invalidateQueries({ queryKey: contentKeys.board(wsId) });
      if (kinds.has('content_item')) void queryClient.invalidateQueries({ queryKey: [...contentKeys.all(wsId), 'first-pass'] });
      if (kinds.has('campaign')) void queryClient.invalidateQueries({ queryKey: campaignKeys.all(wsId) });
      if (changes.some((c) => c.entity_type === 'campaign' && c.entity_id === id)) {
        void queryClient.invalidateQueries({ queryKey: [...eventKeys.all(wsId), 'campaign', id] });
      }
    },
    [queryClient, wsId, id],
  );
  useEventStream(eventStreamUrl(wsId), onChanges, 200);
}

function Header({ campaign: c, fields, onEdit }: { campaign: Campaign; fields: CustomField[]; onEdit?: () => void }) {
  const { t } = useTranslation();
  const people = fields.filter((f) => f.kind === 'person');
  const others = fields.filter((f) => f.kind !== 'person');
  const embargoPending = c.embargo_at ? dayjs(c.embargo_at).isAfter(dayjs()) : false;
  const hashtags = c.required_hashtags ?? [];

  return (
    <Card
      title={
        <Space wrap>
          <span data-testid="campaign-title">{c.name}</span>
          <CampaignStatusTag status={c.status ?? 'planned'} />
        </Space>
      }
      extra={
        <Space>
          <Link to={boardHref(c.id)} data-testid="campaign-open-board">
            <LayoutOutlined /> {t('campaigns:page.openBoard')}
          </Link>
          {onEdit && (
            <Button icon={<EditOutlined />} onClick={onEdit} data-testid="campaign-edit">
              {t('common.edit')}
            </Button>
          )}
        </Space>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={14}>
          <Descriptions column={1} size="small" styles={{ label: { width: 110 } }}>
            <Descriptions.Item label={t('campaigns:fields.theme')}>
              <span data-testid="campaign-theme">{c.theme || '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('campaigns:fields.period')}>
              <span data-testid="campaign-period">
                {c.starts_on} ~ {c.ends_on}
              </span>
              <Typography.Text type="secondary"> · {t('campaigns:page.days', { count: periodDays(c.starts_on, c.ends_on) })}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('campaigns:fields.embargo_at')}>
              {c.embargo_at ? (
                <Space size={8} data-testid="campaign-embargo">
                  {formatTime(c.embargo_at)}
                  <Tag color={embargoPending ? 'orange' : 'default'}>
                    {embargoPending ? t('campaigns:page.embargoPending') : t('campaigns:page.embargoLifted')}
                  </Tag>
                </Space>
              ) : (
                <Typography.Text type="secondary" data-testid="campaign-embargo">
                  {t('campaigns:page.noEmbargo')}
                </Typography.Text>
              )}
            </Descriptions.Item>
            {people.map((f) => (
              <Descriptions.Item key={f.key} label={f.label}>
                <span data-testid={`campaign-custom-${f.key}`}>
                  <CustomValueView field={f} value={c.custom?.[f.key]} />
                </span>
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('campaigns:fields.required_hashtags')}>
              {hashtags.length ? (
                <Space size={[0, 4]} wrap data-testid="campaign-hashtags">
                  {hashtags.map((h) => (
                    <Tag color="blue" key={h}>
                      {hashtag(h)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary" data-testid="campaign-hashtags">
                  {t('campaigns:page.noHashtags')}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('campaigns:fields.target_kpis')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="campaign-kpis">
                {c.target_kpis || '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
            {others.map((f) => (
              <Descriptions.Item key={f.key} label={f.label}>
                <span data-testid={`campaign-custom-${f.key}`}>
                  <CustomValueView field={f} value={c.custom?.[f.key]} />
                </span>
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('campaigns:fields.updated_at')}>{formatTime(c.updated_at)}</Descriptions.Item>
          </Descriptions>
        </Col>
        <Col xs={24} lg={10}>
          <Budget campaign={c} />
        </Col>
      </Row>
    </Card>
  );
}

function Budget({ campaign: c }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation();
  const total = c.budget_fen ?? 0;
  const { tiers, unsplit } = budgetSplit(c);
  const percent = (share: number) => formatPercent(share, i18n.language);

  return (
    <div data-testid="campaign-budget-block">
      <Statistic title={t('campaigns:page.budgetTotal')} value={formatYuan(total)} styles={{ content: { fontSize: 22 } }} />
      {total === 0 && tiers.length === 0 ? (
        <Typography.Text type="secondary">{t('campaigns:page.budgetNone')}</Typography.Text>
      ) : (
        <Flex vertical gap={8} style={{ marginTop: 12 }}>
          {tiers.map(({ tier, fen, share }) => (
            <div key={tier} data-testid={`budget-tier-${tier}`}>
              <Flex justify="space-between" align="baseline" gap={8}>
                <TierTag tier={tier} />
                <Tooltip title={total > 0 ? t('campaigns:page.budgetShare', { percent: percent(share) }) : undefined}>
                  <span data-testid="budget-tier-amount">{formatYuan(fen)}</span>
                </Tooltip>
              </Flex>
              <Progress
                percent={Math.round(share * 1000) / 10}
                showInfo={total > 0}
                format={() => percent(share)}
                strokeColor={TIER_COLORS[tier]}
                size="small"
              />
            </div>
          ))}
          {unsplit > 0 && (
            <Flex justify="space-between" data-testid="budget-unsplit">
              <Typography.Text type="secondary">{t('campaigns:page.budgetUnsplit')}</Typography.Text>
              <Typography.Text type="secondary">
                {formatYuan(unsplit)} · {percent(total > 0 ? unsplit / total : 0)}
              </Typography.Text>
            </Flex>
          )}
        </Flex>
      )}
    </div>
  );
}

function CampaignItems({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [stage, setStage] = useState<Stage | undefined>();
  // The board's own query (same key and parameters as the board filtered by this campaign):
  // content writes and the live stream already refresh it, and opening the board reuses it.
  const params = boardQueryParams({ campaign: campaignId }, ITEM_LIMIT);
  const board = useQuery({ queryKey: [...contentKeys.board(wsId), params], queryFn: () => contentApi.board(wsId, params) });
  const columns = useMemo(() => stageColumns(board.data?.columns ?? []), [board.data]);
  const total = columns.reduce((s, c) => s + c.total, 0);
  const stageName = useCallback((s: string) => columns.find((c) => c.stage === s)?.name ?? t(`stages.${s}`), [columns, t]);

  return (
    <Card
      title={t('campaigns:page.items')}
      extra={
        <Link to={boardHref(campaignId)} data-testid="items-open-board">
          {t('campaigns:page.openBoard')}
        </Link>
      }
      data-testid="campaign-items"
    >
      {board.isError ? (
        <ErrorResult error={board.error} onRetry={() => void board.refetch()} />
      ) : !board.data ? (
        <Skeleton active />
      ) : (
        <>
          <StageCounts columns={columns} selected={stage} onSelect={setStage} />
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0' }} data-testid="items-total">
            {t('campaigns:page.itemsTotal', { count: total })}
          </Typography.Paragraph>
          {isTruncated(columns) && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('campaigns:page.itemsTruncated', { limit: ITEM_LIMIT })} />
          )}
          {total === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('campaigns:page.noItems')} />
          ) : (
            <Tabs
              items={[
                {
                  key: 'items',
                  label: t('campaigns:page.byItem'),
                  children: <ItemTable campaignId={campaignId} columns={columns} stage={stage} stageName={stageName} />,
                },
                {
                  key: 'accounts',
                  label: t('campaigns:page.byAccount'),
                  children: <AccountTable campaignId={campaignId} columns={columns} />,
                },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}

/** One box per stage with its count; clicking one narrows the item table to that stage. */
function StageCounts({ columns, selected, onSelect }: { columns: BoardColumn[]; selected?: Stage; onSelect: (s: Stage | undefined) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Row gutter={[8, 8]} data-testid="stage-counts">
      {columns.map((col) => {
        const on = selected === col.stage;
        return (
          <Col key={col.stage} flex="1 1 0">
            <Tooltip title={on ? t('campaigns:page.clearStage') : t('campaigns:page.stageFilter', { stage: col.name })}>
              <button
                type="button"
                aria-pressed={on}
                onClick={() => onSelect(on ? undefined : col.stage)}
                data-testid={`stage-count-${col.stage}`}
                style={{
                  width: '100%',
                  cursor: 'pointer',
                  textAlign: 'left',
                  padding: '8px 12px',
                  borderRadius: 6,
                  border: `1px solid ${on ? '#1677ff' : '#f0f0f0'}`,
                  background: on ? '#e6f4ff' : '#fafafa',
                }}
              >
                <Typography.Text type="secondary" data-testid="stage-name">
                  {col.name}
                </Typography.Text>
                <div style={{ fontSize: 22, fontWeight: 600 }} data-testid="stage-total">
                  {formatInteger(col.total, i18n.language)}
                </div>
              </button>
            </Tooltip>
          </Col>
        );
      })}
    </Row>
  );
}

function ItemTable({
  campaignId,
  columns,
  stage,
  stageName,
}: {
  campaignId: number;
  columns: BoardColumn[];
  stage?: Stage;
  stageName: (s: string) => string;
}) {
  const { t } = useTranslation();
  const memberName = useMemberNames();
  const cards = useMemo(() => cardsOf(columns).filter((c) => !stage || c.stage === stage), [columns, stage]);

  const cols: TableColumnsType<ContentCard> = [
    {
      title: t('campaigns:page.col.title'),
      key: 'title',
      ellipsis: true,
      render: (_, card) => (
        <Link to={boardHref(campaignId, { item: card.id })} data-testid="campaign-item-link">
          {card.title}
        </Link>
      ),
    },
    {
      title: t('campaigns:page.col.account'),
      key: 'account',
      width: 150,
      ellipsis: true,
      render: (_, card) => (card.account_handle ? `@${card.account_handle}` : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: t('campaigns:page.col.stage'),
      key: 'stage',
      width: 90,
      render: (_, card) => <Tag data-testid="campaign-item-stage">{stageName(card.stage)}</Tag>,
    },
    {
      title: t('campaigns:page.col.assignee'),
      key: 'assignee',
      width: 100,
      ellipsis: true,
      render: (_, card) => (card.assignee_id ? memberName(card.assignee_id) : '—'),
    },
    {
      title: t('campaigns:page.col.due'),
      key: 'due',
      width: 150,
      render: (_, card) => (
        <Space size={4} wrap>
          <span>{card.due_on ?? (card.planned_at ? t('campaigns:page.planned', { time: formatTime(card.planned_at) }) : '—')}</span>
          {card.overdue && (
            <Tag color="red" data-testid="campaign-item-overdue">
              {t('campaigns:page.overdue')}
            </Tag>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Table<ContentCard>
      rowKey="id"
      size="small"
      tableLayout="fixed"
      data-testid="campaign-items-table"
      columns={cols}
      dataSource={cards}
      pagination={cards.length > 10 ? { pageSize: 10, showSizeChanger: false, showTotal: (n) => t('common.total', { count: n }) } : false}
    />
  );
}

function AccountTable({ campaignId, columns }: { campaignId: number; columns: BoardColumn[] }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  const rows = useMemo(() => accountRows(columns), [columns]);
  const taking = rows.filter((r) => r.accountId !== null).length;
  const platformName = (code?: string | null) => (code ? (platforms.data?.find((p) => p.code === code)?.name ?? code) : '');

  const cols: TableColumnsType<AccountRow> = [
    {
      title: t('campaigns:page.col.account'),
      key: 'account',
      render: (_, r) =>
        r.accountId === null ? (
          <Tooltip title={t('campaigns:page.noAccountHint')}>
            <Typography.Text type="secondary">{t('campaigns:page.noAccount')}</Typography.Text>
          </Tooltip>
        ) : (
          <Space size={4} wrap>
            {r.tier && <TierTag tier={r.tier} />}
            <Tooltip title={t('campaigns:page.openAccountOnBoard')}>
              <Link to={boardHref(campaignId, { account: r.accountId })} data-testid="campaign-account-link">
                {r.name || `@${r.handle}`}
              </Link>
            </Tooltip>
            <Typography.Text type="secondary">
              {r.name && r.handle ? `@${r.handle} · ` : ''}
              {platformName(r.platform)}
            </Typography.Text>
          </Space>
        ),
    },
    ...columns.map(
      (col): TableColumnsType<AccountRow>[number] => ({
        title: col.name,
        key: col.stage,
        width: 64,
        align: 'right',
        render: (_, r) => r.byStage[col.stage] ?? <Typography.Text type="secondary">0</Typography.Text>,
      }),
    ),
    { title: t('campaigns:page.col.total'), key: 'total', width: 64, align: 'right', render: (_, r) => <strong>{r.total}</strong> },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary" data-testid="campaign-accounts-count">
        {t('campaigns:page.accounts', { count: taking })}
      </Typography.Paragraph>
      <Table<AccountRow>
        rowKey="key"
        size="small"
        tableLayout="fixed"
        data-testid="campaign-accounts-table"
        columns={cols}
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      />
    </>
  );
}

function FirstPass({ campaignId }: { campaignId: number }) {
  const { t, i18n } = useTranslation();
  const { wsId } = useSession();
  // All time, as the report counts it by campaign: a campaign's rate is about all its items.
  const query = { by: 'campaign' } as const;
  const report = useQuery({ queryKey: contentKeys.firstPass(wsId, query), queryFn: () => contentApi.firstPass(wsId, query) });
  const row = firstPassRow(report.data, campaignId);
  const reviewed = row?.reviewed ?? 0;
  const rate = reviewed > 0 ? (row?.rate ?? null) : null;

  return (
    <Card
      title={t('campaigns:page.firstPass')}
      size="small"
      extra={<Link to="/content/stats">{t('campaigns:page.firstPassReport')}</Link>}
      data-testid="campaign-first-pass"
    >
      {report.isError ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : !report.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <>
          <Row gutter={8}>
            <Col span={10}>
              <Statistic
                title={t('campaigns:page.firstPass')}
                value={formatPercent(rate, i18n.language)}
                styles={{ content: { color: rate === null ? undefined : onTarget(rate) ? '#389e0d' : '#d46b08' } }}
                data-testid="first-pass-rate"
              />
            </Col>
            <Col span={7}>
              <Statistic title={t('campaigns:page.firstPassReviewed')} value={formatInteger(reviewed, i18n.language)} data-testid="first-pass-reviewed" />
            </Col>
            <Col span={7}>
              <Statistic
                title={t('campaigns:page.firstPassPassed')}
                value={formatInteger(row?.first_pass ?? 0, i18n.language)}
                data-testid="first-pass-passed"
              />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }} data-testid="first-pass-note">
            {rate === null
              ? t('campaigns:page.firstPassNone')
              : t('campaigns:page.firstPassTarget', { target: formatPercent(FIRST_PASS_TARGET, i18n.language) })}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}

function Activity({ campaignId, fields }: { campaignId: number; fields: CustomField[] }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const events = useQuery({
    queryKey: [...eventKeys.all(wsId), 'campaign', campaignId],
    queryFn: () => eventApi.list(wsId, { entity_type: 'campaign', entity_id: campaignId, limit: 50 }),
  });
  return (
    <Card title={t('campaigns:page.activity')} size="small" data-testid="campaign-activity">
      {events.isError ? (
        <ErrorResult error={events.error} onRetry={() => void events.refetch()} />
      ) : !events.data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        // The API answers newest first.
        <ActivityFeed events={events.data.items} fieldLabel={(k) => apiFieldLabel(t, fields, 'campaigns:fields', k)} />
      )}
    </Card>
  );
}
