import { useMemo, useState } from 'react';
import { Card, DatePicker, Empty, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { dateIn } from '../../lib/timeZones';
import { useTranslation } from 'react-i18next';
import { type FirstPassQuery, contentApi } from './api';
import { contentKeys } from './queries';
import type { FirstPassRow } from '../../api/types';
import { useSession } from '../../auth/session';
import { Chart } from '../../components/Chart';
import { ErrorResult } from '../../components/ErrorResult';
import { formatInteger } from '../../lib/numbers';
import { FIRST_PASS_BY, FIRST_PASS_TARGET, formatPercent, onTarget, rowLabel, sortRows, type FirstPassBy } from './firstPass';

const GREEN = '#389e0d';
const ORANGE = '#d46b08';

type Range = [Dayjs | null, Dayjs | null] | null;

function RateTag({ rate }: { rate: number | null }) {
  const { t, i18n } = useTranslation();
  if (rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const ok = onTarget(rate);
  return (
    <Tag color={ok ? 'success' : 'warning'} title={ok ? t('content:firstPass.onTarget') : t('content:firstPass.belowTarget')} data-on-target={ok}>
      {formatPercent(rate, i18n.language)}
    </Tag>
  );
}

export default function FirstPassPage() {
  const { t, i18n } = useTranslation();
  const { wsId, workspace } = useSession();
  // "Today" is the workspace's, not the browser's: a reader in another zone still sees today's reviews.
  const today = dayjs(dateIn(workspace.time_zone));
  const [by, setBy] = useState<FirstPassBy>('person');
  const [range, setRange] = useState<Range>(() => [today.subtract(29, 'day'), today]);

  const query = useMemo<FirstPassQuery>(() => {
    const q: FirstPassQuery = { by };
    if (range?.[0]) q.from = range[0].format('YYYY-MM-DD');
    if (range?.[1]) q.to = range[1].format('YYYY-MM-DD');
    return q;
  }, [by, range]);

  const report = useQuery({ queryKey: contentKeys.firstPass(wsId, query), queryFn: () => contentApi.firstPass(wsId, query) });
  const rows = useMemo(() => sortRows(report.data ?? []), [report.data]);
  const target = formatPercent(FIRST_PASS_TARGET, i18n.language);

  const option = useMemo(
    () => ({
      grid: { left: 48, right: 72, top: 24, bottom: 64 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: number) => formatPercent(v / 100, i18n.language),
      },
      xAxis: { type: 'category', data: rows.map((r) => rowLabel(r, t)), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('content:firstPass.rate'),
          type: 'bar',
          barMaxWidth: 40,
          data: rows.map((r) => ({
            value: r.rate === null || r.rate === undefined ? null : Math.round(r.rate * 1000) / 10,
            itemStyle: { color: onTarget(r.rate) ? GREEN : ORANGE },
          })),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: GREEN, type: 'dashed' },
            label: { formatter: t('content:firstPass.target', { target }), position: 'end' },
            data: [{ yAxis: FIRST_PASS_TARGET * 100 }],
          },
        },
      ],
    }),
    [rows, t, i18n.language, target],
  );

  const columns: TableColumnsType<FirstPassRow> = [
    { title: by === 'all' ? t('content:firstPass.label') : t(`content:firstPass.by.${by}`), key: 'label', render: (_, r) => rowLabel(r, t) },
    {
      title: t('content:firstPass.reviewed'),
      dataIndex: 'reviewed',
      align: 'right',
      width: 120,
      sorter: (a, b) => a.reviewed - b.reviewed,
      render: (n: number) => formatInteger(n, i18n.language),
    },
    {
      title: t('content:firstPass.firstPass'),
      dataIndex: 'first_pass',
      align: 'right',
      width: 120,
      sorter: (a, b) => a.first_pass - b.first_pass,
      render: (n: number) => formatInteger(n, i18n.language),
    },
    {
      title: t('content:firstPass.rate'),
      dataIndex: 'rate',
      align: 'right',
      width: 140,
      sorter: (a, b) => (a.rate ?? -1) - (b.rate ?? -1),
      render: (r: number | null | undefined) => <RateTag rate={r ?? null} />,
    },
  ];

  return (
    <Card title={t('content:firstPass.title')}>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <Segmented<FirstPassBy>
          aria-label={t('content:firstPass.groupBy')}
          data-testid="first-pass-by"
          value={by}
          onChange={setBy}
          options={FIRST_PASS_BY.map((b) => ({ value: b, label: t(`content:firstPass.by.${b}`) }))}
        />
        <Space>
          <Typography.Text type="secondary">{t('content:firstPass.period')}</Typography.Text>
          <DatePicker.RangePicker
            aria-label={t('content:firstPass.period')}
            value={range}
            allowEmpty={[true, true]}
            onChange={(v) => setRange(v as Range)}
            disabledDate={(d) => d.isAfter(today, 'day')}
          />
        </Space>
      </Space>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('content:firstPass.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('content:firstPass.help', { target })}</Typography.Paragraph>
      {report.isError ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          {rows.length > 0 ? (
            <Chart option={option} height={300} testId="first-pass-chart" />
          ) : (
            !report.isLoading && <Empty description={t('content:firstPass.empty')} style={{ margin: '32px 0' }} />
          )}
          <Table<FirstPassRow>
            rowKey="key"
            size="middle"
            data-testid="first-pass-table"
            loading={report.isLoading}
            dataSource={rows}
            columns={columns}
            pagination={false}
            locale={{ emptyText: t('content:firstPass.empty') }}
            style={{ marginTop: 16 }}
          />
        </>
      )}
    </Card>
  );
}
