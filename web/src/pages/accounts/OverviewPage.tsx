import { useCallback, useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Segmented, Spin, Statistic, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accountApi } from './api';
import { accountKeys } from './queries';
import { usePlatforms } from '../platforms/queries';
import type { AccountOverview } from '../../api/types';
import { useSession } from '../../auth/session';
import { Chart } from '../../components/Chart';
import { ErrorResult } from '../../components/ErrorResult';
import { TIER_COLORS, TIERS } from '../../components/tags';
import { formatFollowers } from '../../lib/numbers';
import { tierPlatformSeries, type Metric } from './chartData';

type OperatorRow = AccountOverview['by_operator'][number];

export default function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  const [metric, setMetric] = useState<Metric>('accounts');
  const overview = useQuery({ queryKey: accountKeys.overview(wsId), queryFn: () => accountApi.overview(wsId) });

  const lang = i18n.language;
  const platformList = useMemo(() => platforms.data ?? [], [platforms.data]);
  const nameOf = useCallback((code: string) => platformList.find((p) => p.code === code)?.name ?? code, [platformList]);

  const chart = useMemo(() => {
    const rows = overview.data?.by_tier_platform ?? [];
    const { platforms: cats, series } = tierPlatformSeries(rows, TIERS, platformList.map((p) => p.code), metric);
    const fmt = (v: number) => (metric === 'followers' ? formatFollowers(v, lang) : String(v));
    const option = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => fmt(v) },
      legend: { top: 0 },
      grid: { left: 16, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: cats.map(nameOf) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt(v) } },
      series: series.map((s) => ({
        name: s.tier,
        type: 'bar',
        stack: 'tier',
        emphasis: { focus: 'series' },
        itemStyle: { color: TIER_COLORS[s.tier] },
        data: s.data,
      })),
    };
    return { empty: cats.length === 0, option };
  }, [overview.data, platformList, nameOf, metric, lang]);

  if (overview.isError) return <ErrorResult error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!overview.data) return <Spin />;
  const data = overview.data;

  return (
    <div>
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic title={t('accounts:overview.totalAccounts')} value={data.totals.accounts} data-testid="kpi-accounts" />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic
              title={t('accounts:overview.totalFollowers')}
              value={data.totals.followers}
              formatter={(v) => formatFollowers(Number(v), lang)}
              data-testid="kpi-followers"
            />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic title={t('accounts:overview.platforms')} value={new Set(data.by_tier_platform.map((r) => r.platform)).size} />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic title={t('accounts:overview.operators')} value={data.by_operator.length} />
          </Card>
        </Col>
      </Row>
      <Card
        style={{ marginTop: 16 }}
        title={t('accounts:overview.byTierPlatform')}
        extra={
          <Segmented<Metric>
            value={metric}
            onChange={setMetric}
            options={[
              { value: 'accounts', label: t('accounts:overview.metric.accounts') },
              { value: 'followers', label: t('accounts:overview.metric.followers') },
            ]}
          />
        }
      >
        {chart.empty ? <Empty description={t('accounts:overview.empty')} /> : <Chart option={chart.option} testId="tier-platform-chart" />}
      </Card>
      <Card style={{ marginTop: 16 }} title={t('accounts:overview.byOperator')}>
        <Table<OperatorRow>
          rowKey="user_id"
          size="middle"
          pagination={false}
          dataSource={data.by_operator}
          data-testid="operator-table"
          columns={[
            { title: t('accounts:overview.operator'), dataIndex: 'name' },
            {
              title: t('accounts:overview.accounts'),
              dataIndex: 'accounts',
              align: 'right',
              sorter: (a, b) => a.accounts - b.accounts,
              defaultSortOrder: 'descend',
            },
            {
              title: t('accounts:overview.followers'),
              dataIndex: 'followers',
              align: 'right',
              sorter: (a, b) => a.followers - b.followers,
              render: (v: number) => formatFollowers(v, lang),
            },
          ]}
        />
      </Card>
    </div>
  );
}
