import { useCallback, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, List, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Account, AccountOverview, Board, ContentCard, Stage, Tier } from '../../api/types';
import { useSession } from '../../auth/session';
import { TierTag, TIERS } from '../../components/tags';
import { describeError } from '../../lib/errors';
import { formatFollowers } from '../../lib/numbers';
import { useEventStream, type StreamedChange } from '../../lib/useEventStream';
import { accountApi } from '../accounts/api';
import { accountKeys } from '../accounts/queries';
import { contentApi } from '../content/api';
import { contentKeys } from '../content/queries';
import type { BoardFilters } from '../content/urlState';
import { eventStreamUrl } from '../events/api';
import { usePlatforms } from '../platforms/queries';
import {
  boardHref,
  columnCounts,
  dueThisWeek,
  homeBlocks,
  myItems,
  openTotal,
  overdueItems,
  waitingForReview,
  weekOf,
  type HomeBlock,
} from './landing';
import { homeKeys } from './queries';

/** Cards listed in one block before "n more" sends the member to the board. */
const LIST_SIZE = 8;
const MY_ACCOUNTS = 10;

// The whole board (as its page loads it) for column totals and the review column, and the
// overdue cards across columns: their totals are exact, whatever the board's size.
const ALL = {};
const OVERDUE = { overdue: true, limit: 50 };
const MINE = { mine: true };

function useBoard(q: Record<string, string | number | boolean>): UseQueryResult<Board> {
  const { wsId } = useSession();
  return useQuery({ queryKey: homeKeys.board(wsId, q), queryFn: () => contentApi.board(wsId, q) });
}

function useOverview(): UseQueryResult<AccountOverview> {
  const { wsId } = useSession();
  // The matrix overview page's own query, so either page finds the other's answer cached.
  return useQuery({ queryKey: accountKeys.overview(wsId), queryFn: () => accountApi.overview(wsId) });
}

/**
 * Refreshes the landing page when the workspace changes: content changes move the board's
 * numbers, account and member changes the matrix and the operator's accounts.
 */
function useLiveHome(): void {
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const onChanges = useCallback(
    (changes: StreamedChange[]) => {
      const kinds = new Set(changes.map((c) => c.entity_type));
      // Column names live in the workspace's content settings.
      if (kinds.has('content_item') || kinds.has('workspace')) void queryClient.invalidateQueries({ queryKey: contentKeys.board(wsId) });
      if (kinds.has('account') || kinds.has('member') || kinds.has('platform')) void queryClient.invalidateQueries({ queryKey: accountKeys.all(wsId) });
    },
    [queryClient, wsId],
  );
  useEventStream(eventStreamUrl(wsId), onChanges, 300);
}

interface BlockProps {
  testId: string;
  title: string;
  hint?: string;
  /** the full page behind the block */
  link: { to: string; label: string };
  /** queries the block waits for: a skeleton until all answered, never an empty state first */
  queries: UseQueryResult[];
  extra?: ReactNode;
  children: () => ReactNode;
}

function Block({ testId, title, hint, link, queries, extra, children }: BlockProps) {
  const { t } = useTranslation();
  const failed = queries.find((q) => q.isError);
  const loading = queries.some((q) => q.isPending);
  return (
    <Card
      data-testid={testId}
      title={
        <Space orientation="vertical" size={0}>
          <span>{title}</span>
          {hint && (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', whiteSpace: 'normal' }}>
              {hint}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space>
          {extra}
          <Link to={link.to} data-testid={`${testId}-link`}>
            {link.label}
          </Link>
        </Space>
      }
      style={{ height: '100%' }}
    >
      {failed ? (
        <Alert
          type="error"
          showIcon
          title={t('app.loadFailed')}
          description={describeError(failed.error, t)}
          action={
            <Button size="small" onClick={() => queries.forEach((q) => q.isError && void q.refetch())}>
              {t('app.retry')}
            </Button>
          }
        />
      ) : loading ? (
        <Skeleton active paragraph={{ rows: 3 }} data-testid={`${testId}-loading`} />
      ) : (
        children()
      )}
    </Card>
  );
}

const emptyState = (text: string) => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;

/** Cards with a link each that opens the card on the board (under `filters`). */
function ItemList({ cards, stageNames, filters, empty }: { cards: ContentCard[]; stageNames: Map<Stage, string>; filters?: BoardFilters; empty: string }) {
  const { t } = useTranslation();
  if (cards.length === 0) return emptyState(empty);
  const shown = cards.slice(0, LIST_SIZE);
  return (
    <>
      <List<ContentCard>
        size="small"
        dataSource={shown}
        renderItem={(c) => (
          <List.Item data-testid="home-item" data-item-id={c.id}>
            <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
              <Link to={boardHref(filters, c.id)}>{c.title}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.account_handle ? `@${c.account_handle}` : t('home:item.noAccount')}
                {c.due_on ? ` · ${t('home:item.due', { date: c.due_on })}` : ''}
              </Typography.Text>
            </Space>
            <Space size={4}>
              {c.overdue && <Tag color="red">{t('home:item.overdue')}</Tag>}
              <Tag>{stageNames.get(c.stage) ?? t(`stages.${c.stage}`)}</Tag>
            </Space>
          </List.Item>
        )}
      />
      {cards.length > shown.length && (
        <Link to={boardHref(filters)} data-testid="home-more">
          {t('home:more', { count: cards.length - shown.length })}
        </Link>
      )}
    </>
  );
}

const namesOf = (board: Board | undefined) => new Map((board?.columns ?? []).map((c) => [c.stage, c.name]));

function BoardBlock() {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const all = useBoard(ALL);
  const overdue = useBoard(OVERDUE);
  const week = weekOf(workspace.time_zone);
  return (
    <Block
      testId="home-board"
      title={t('home:board.title')}
      hint={t('home:board.hint', { zone: workspace.time_zone, start: week.start, end: week.end })}
      link={{ to: boardHref(), label: t('home:openBoard') }}
      queries={[all, overdue]}
    >
      {() => {
        const due = dueThisWeek(all.data!, week);
        return (
          <Row gutter={[16, 16]}>
            {columnCounts(all.data!).map((c) => (
              <Col key={c.stage} xs={12} sm={8} md={6} lg={3}>
                <div data-testid={`home-board-count-${c.stage}`}>
                  <Statistic title={c.name} value={c.total} />
                </div>
              </Col>
            ))}
            <Col xs={12} sm={8} md={6} lg={{ span: 3, offset: 1 }}>
              <div data-testid="home-board-due-week">
                <Statistic title={t('home:board.dueThisWeek')} value={due.count} suffix={due.partial ? '+' : undefined} />
              </div>
            </Col>
            <Col xs={12} sm={8} md={6} lg={3}>
              <Link to={boardHref({ overdue: true })} data-testid="home-board-overdue">
                <Statistic title={t('home:board.overdue')} value={openTotal(overdue.data!)} styles={{ content: { color: openTotal(overdue.data!) ? '#cf1322' : undefined } }} />
              </Link>
            </Col>
          </Row>
        );
      }}
    </Block>
  );
}

function ReviewBlock({ kind }: { kind: 'decide' | 'reviewQueue' }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const all = useBoard(ALL);
  const text =
    kind === 'decide'
      ? { title: t('home:decide.title'), hint: t('home:decide.hint'), empty: t('home:decide.empty') }
      : { title: t('home:reviewQueue.title'), hint: t('home:reviewQueue.hint'), empty: t('home:reviewQueue.empty') };
  return (
    <Block testId={`home-${kind}`} title={text.title} hint={text.hint} link={{ to: boardHref(), label: t('home:openBoard') }} queries={[all]}>
      {() => <ItemList cards={waitingForReview(all.data!, me.user.id)} stageNames={namesOf(all.data)} empty={text.empty} />}
    </Block>
  );
}

function OverdueBlock() {
  const { t } = useTranslation();
  const overdue = useBoard(OVERDUE);
  return (
    <Block testId="home-overdue" title={t('home:overdue.title')} link={{ to: boardHref({ overdue: true }), label: t('home:viewAll') }} queries={[overdue]}>
      {() => <ItemList cards={overdueItems(overdue.data!)} stageNames={namesOf(overdue.data)} filters={{ overdue: true }} empty={t('home:overdue.empty')} />}
    </Block>
  );
}

function MyItemsBlock() {
  const { t } = useTranslation();
  const mine = useBoard(MINE);
  return (
    <Block
      testId="home-myItems"
      title={t('home:myItems.title')}
      hint={t('home:myItems.hint')}
      link={{ to: boardHref(MINE), label: t('home:viewAll') }}
      queries={[mine]}
    >
      {() => (
        <>
          <Space wrap size={[4, 8]} style={{ marginBottom: 8 }}>
            {columnCounts(mine.data!).map((c) => (
              <Tag key={c.stage} data-testid={`home-mine-count-${c.stage}`}>
                {c.name} {c.total}
              </Tag>
            ))}
          </Space>
          <ItemList cards={myItems(mine.data!)} stageNames={namesOf(mine.data)} filters={MINE} empty={t('home:myItems.empty')} />
        </>
      )}
    </Block>
  );
}

function MyAccountsBlock() {
  const { t, i18n } = useTranslation();
  const { wsId, me } = useSession();
  const platforms = usePlatforms(wsId);
  const q = useMemo(() => ({ owner: me.user.id, limit: MY_ACCOUNTS, sort: 'followers_desc' as const }), [me.user.id]);
  const accounts = useQuery({ queryKey: homeKeys.accounts(wsId, q), queryFn: () => accountApi.list(wsId, q) });
  const platformName = (code: string) => platforms.data?.find((p) => p.code === code)?.name ?? code;
  return (
    <Block
      testId="home-myAccounts"
      title={t('home:myAccounts.title')}
      link={{ to: `/accounts?owner=${me.user.id}`, label: t('home:viewAll') }}
      queries={[accounts]}
      extra={accounts.data && accounts.data.total > 0 && <Typography.Text type="secondary" data-testid="home-myAccounts-total">{t('home:myAccounts.total', { count: accounts.data.total })}</Typography.Text>}
    >
      {() =>
        accounts.data!.items.length === 0 ? (
          emptyState(t('home:myAccounts.empty'))
        ) : (
          <Table<Account>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={accounts.data!.items}
            showHeader={false}
            columns={[
              {
                key: 'account',
                render: (_, a) => (
                  <Space orientation="vertical" size={0}>
                    <span>{a.display_name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      @{a.handle} · {platformName(a.platform)}
                    </Typography.Text>
                  </Space>
                ),
              },
              { key: 'tier', render: (_, a) => <TierTag tier={a.tier} /> },
              { key: 'followers', align: 'right', render: (_, a) => formatFollowers(a.followers, i18n.language) },
            ]}
          />
        )
      }
    </Block>
  );
}

interface MatrixRow {
  tier: Tier;
  counts: Record<string, number>;
  total: number;
}

function MatrixBlock() {
  const { t, i18n } = useTranslation();
  const { wsId } = useSession();
  const overview = useOverview();
  const platforms = usePlatforms(wsId);
  return (
    <Block testId="home-matrix" title={t('home:matrix.title')} link={{ to: '/overview', label: t('home:viewAll') }} queries={[overview]}>
      {() => {
        const data = overview.data!;
        if (data.totals.accounts === 0) return emptyState(t('home:matrix.empty'));
        // Platforms in the workspace's order, only those with accounts.
        const present = new Set(data.by_tier_platform.map((c) => c.platform));
        const order = (platforms.data ?? []).map((p) => p.code).filter((c) => present.has(c));
        const codes = [...order, ...[...present].filter((c) => !order.includes(c)).sort()];
        const rows: MatrixRow[] = TIERS.map((tier) => {
          const cells = data.by_tier_platform.filter((c) => c.tier === tier);
          return { tier, counts: Object.fromEntries(cells.map((c) => [c.platform, c.accounts])), total: cells.reduce((s, c) => s + c.accounts, 0) };
        });
        return (
          <>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={12}>
                <div data-testid="home-matrix-accounts">
                  <Statistic title={t('home:matrix.accounts')} value={data.totals.accounts} />
                </div>
              </Col>
              <Col span={12}>
                <Statistic title={t('home:matrix.followers')} value={data.totals.followers} formatter={(v) => formatFollowers(Number(v), i18n.language)} />
              </Col>
            </Row>
            <Table<MatrixRow>
              size="small"
              rowKey="tier"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={rows}
              data-testid="home-matrix-table"
              columns={[
                { title: t('home:matrix.tier'), key: 'tier', render: (_, r) => <TierTag tier={r.tier} /> },
                ...codes.map((code) => ({
                  title: platforms.data?.find((p) => p.code === code)?.name ?? code,
                  key: code,
                  align: 'right' as const,
                  render: (_: unknown, r: MatrixRow) => r.counts[code] ?? 0,
                })),
                { title: t('home:matrix.total'), key: 'total', align: 'right' as const, render: (_: unknown, r: MatrixRow) => <strong>{r.total}</strong> },
              ]}
            />
          </>
        );
      }}
    </Block>
  );
}

/** Blocks that sit side by side on a wide screen; the others take the whole row. */
const HALF: ReadonlySet<HomeBlock> = new Set(['decide', 'overdue', 'myItems', 'myAccounts']);

export default function HomePage() {
  const { t } = useTranslation();
  const { me, workspace, can } = useSession();
  useLiveHome();
  // Only members who may decide reviews are shown what waits on their decision.
  const blocks = homeBlocks(workspace.role).filter((b) => b !== 'decide' || can('content.review'));

  const render = (b: HomeBlock) => {
    switch (b) {
      case 'board':
        return <BoardBlock />;
      case 'decide':
      case 'reviewQueue':
        return <ReviewBlock kind={b} />;
      case 'overdue':
        return <OverdueBlock />;
      case 'myItems':
        return <MyItemsBlock />;
      case 'myAccounts':
        return <MyAccountsBlock />;
      case 'matrix':
        return <MatrixBlock />;
    }
  };

  return (
    <div data-testid="home-page">
      <Space align="baseline" wrap style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('home:title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('home:greeting', { name: me.user.name })} · {t(`roles.${workspace.role}`)}
        </Typography.Text>
      </Space>
      <Row gutter={[16, 16]}>
        {blocks.map((b) => (
          <Col key={b} xs={24} lg={HALF.has(b) ? 12 : 24}>
            {render(b)}
          </Col>
        ))}
      </Row>
    </div>
  );
}
