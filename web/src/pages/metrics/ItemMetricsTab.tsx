import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, Button, Col, DatePicker, Descriptions, Empty, Form, InputNumber, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ContentItem } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { accountApi } from '../accounts/api';
import { accountKeys } from '../accounts/queries';
import { contentKeys } from '../content/queries';
import { metricsApi, type Snapshot } from './api';
import { ENTRY_COUNTS, entryBody, entryHasNumbers, mayEnterMetrics, type EntryFormValues } from './entry';
import { countsPresent, countText, formatCount, formatRate, formatSeconds, gradeReason, newestFirst, replyText, snapshotChart, type SnapshotCount } from './grade';
import { GradeTag } from './GradeTag';
import { itemMetricsQuery, metricImportsQuery, metricsKeys, registryQuery } from './queries';
import { importName, METRICS_MANAGE, METRICS_WRITE_OWN } from './wizard';

// ECharts is loaded when a post with data opens its 数据 tab, not with the board.
const Chart = lazy(() => import('../../components/Chart').then((m) => ({ default: m.Chart })));

/** The hand-entry form: a day and the counts as the platform's back end shows them. */
function EntryForm({ item, onDone }: { item: ContentItem; onDone: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EntryFormValues>();
  const [empty, setEmpty] = useState(false);
  const save = useApiMutation({
    mutationFn: (v: EntryFormValues) => metricsApi.enter(wsId, item.id, entryBody(v)),
    form,
    success: t('metrics:item.entered'),
    onSuccess: (m) => {
      queryClient.setQueryData(metricsKeys.item(wsId, item.id), m);
      form.resetFields();
      onDone();
    },
    // The grade it may change shows in the drawer's header and on the board's card.
    invalidate: [metricsKeys.grades(wsId), metricsKeys.imports(wsId), contentKeys.item(wsId, item.id), contentKeys.board(wsId)],
  });
  return (
    <Form<EntryFormValues>
      form={form}
      layout="vertical"
      name="metric-entry"
      data-testid="metric-entry"
      initialValues={{ as_of: dayjs() }}
      onFinish={(v) => {
        if (!entryHasNumbers(v)) {
          setEmpty(true);
          return;
        }
        setEmpty(false);
        save.mutate(v);
      }}
    >
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="as_of" label={t('metrics:item.asOf')} rules={[{ required: true, message: t('errors.required') }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        {ENTRY_COUNTS.map((c) => (
          <Col span={8} key={c}>
            <Form.Item name={c} label={t(`metrics:fields.${c}`)}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`metric-entry-${c}`} />
            </Form.Item>
          </Col>
        ))}
        <Col span={8}>
          <Form.Item name="completion_rate" label={t('metrics:fields.completion_rate')}>
            <InputNumber min={0} max={100} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="avg_watch_seconds" label={t('metrics:fields.avg_watch_seconds')}>
            <InputNumber min={0} suffix={t('metrics:units.s')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      {empty && <Alert type="warning" showIcon title={t('metrics:item.entryEmpty')} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('metrics:item.entryHelp')}
      </Typography.Paragraph>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="metric-entry-save">
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

/**
 * 数据 in the content drawer: the latest numbers, interactions and rate, the grade and why, the
 * comments' 24 h reply status once comments are imported, the snapshots, hand entry.
 */
export function ItemMetricsTab({ item }: { item: ContentItem }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { wsId, me, workspace } = useSession();
  const caps = workspace.capabilities;
  const metrics = useQuery(itemMetricsQuery(wsId, item.id));
  const registry = useQuery(registryQuery(wsId));
  // Operators enter numbers for the posts of their own accounts: whose is it?
  const needsOwner = !caps.includes(METRICS_MANAGE) && caps.includes(METRICS_WRITE_OWN) && item.account_id != null;
  const account = useQuery({
    queryKey: accountKeys.one(wsId, item.account_id ?? 0),
    queryFn: () => accountApi.get(wsId, item.account_id!),
    enabled: needsOwner,
    staleTime: 60_000,
  });
  const mayEnter = mayEnterMetrics(caps, me.user.id, account.data);
  const [entering, setEntering] = useState(false);

  // What wrote each snapshot: a file, a push or a hand entry (each is an import of its own).
  const imports = useQuery(metricImportsQuery(wsId, 'post_metrics'));
  const importNames = useMemo(() => new Map((imports.data ?? []).map((i) => [i.id, importName(i.file_name, t)])), [imports.data, t]);

  const countLabel = (c: SnapshotCount) => t(`metrics:fields.${c}`);
  const chart = useMemo(
    () => (metrics.data ? snapshotChart(metrics.data, (c) => t(`metrics:fields.${c}`)) : null),
    [metrics.data, t],
  );

  if (metrics.isError) return <ErrorResult error={metrics.error} onRetry={() => void metrics.refetch()} />;
  if (!metrics.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const m = metrics.data;
  const latest = m.latest;
  const present = countsPresent(m.snapshots);
  const defs = registry.data?.definitions;
  const g = m.grade;

  // 评论 12 条，24 小时内回复 9 条（75%）: from imported comments, with or without numbers.
  const replies = m.replies ? (
    <Descriptions
      size="small"
      column={1}
      style={{ marginTop: 12 }}
      items={[
        {
          key: 'replies',
          label: t('metrics:item.repliesTitle'),
          children: <span data-testid="item-replies">{replyText(m.replies, locale, t)}</span>,
        },
      ]}
    />
  ) : null;

  const entry = mayEnter ? (
    entering ? (
      <EntryForm item={item} onDone={() => setEntering(false)} />
    ) : (
      <Button icon={<EditOutlined />} onClick={() => setEntering(true)} data-testid="metric-entry-open">
        {t('metrics:item.enter')}
      </Button>
    )
  ) : null;

  if (!latest) {
    return (
      <div data-testid="item-metrics">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('metrics:item.none')} />
        {replies && <div style={{ marginBottom: 12 }}>{replies}</div>}
        {entry}
      </div>
    );
  }

  return (
    <div data-testid="item-metrics">
      <Space align="start" style={{ marginBottom: 12 }} data-testid="item-grade">
        {g?.grade ? <GradeTag grade={g.grade} /> : <Tag>{t('metrics:grade.none')}</Tag>}
        {g && <Typography.Text data-testid="item-grade-reason">{gradeReason(g, locale, t, defs?.grades.min_history)}</Typography.Text>}
        {!g && <Typography.Text type="secondary">{t('metrics:grade.notYet')}</Typography.Text>}
      </Space>
      <Descriptions
        size="small"
        bordered
        column={2}
        data-testid="item-latest"
        title={t('metrics:item.latest', { day: latest.as_of })}
        items={[
          ...present.map((c) => ({ key: c, label: countLabel(c), children: countText(latest, c, locale) })),
          ...(latest.completion_rate != null ? [{ key: 'cr', label: t('metrics:fields.completion_rate'), children: formatRate(latest.completion_rate, locale) }] : []),
          ...(latest.avg_watch_seconds != null
            ? [{ key: 'aw', label: t('metrics:fields.avg_watch_seconds'), children: formatSeconds(latest.avg_watch_seconds, t) }]
            : []),
          {
            key: 'interactions',
            label: defs ? t('metrics:item.interactionsOf', { parts: partsLabel(defs.interactions, t) }) : t('metrics:item.interactions'),
            children: <span data-testid="item-interactions">{formatCount(m.interactions, locale)}</span>,
          },
          {
            key: 'rate',
            label: defs ? t('metrics:item.rateOf', { base: t(`metrics:rateBase.${defs.rate_base}`) }) : t('metrics:item.rate'),
            children: formatRate(m.interaction_rate, locale, 2),
          },
        ]}
      />
      {replies}
      {m.snapshots.length > 1 && chart && (
        <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 220 }} />}>
          <div style={{ marginTop: 16 }}>
            <Chart option={chart} height={220} testId="item-metrics-chart" />
          </div>
        </Suspense>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('metrics:item.snapshots', { count: m.snapshots.length })}
      </Typography.Title>
      <Table<Snapshot>
        rowKey="as_of"
        size="small"
        data-testid="item-snapshots"
        dataSource={newestFirst(m.snapshots)}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('metrics:item.asOf'), dataIndex: 'as_of', width: 110, fixed: 'left' },
          ...present.map((c) => ({ title: countLabel(c), key: c, align: 'right' as const, render: (_: unknown, s: Snapshot) => countText(s, c, locale) })),
          {
            title: t('metrics:item.source'),
            key: 'source',
            render: (_, s) =>
              s.import_id == null ? t('metrics:list.sources.handEntry') : (importNames.get(s.import_id) ?? t('metrics:item.fromImport', { id: s.import_id })),
          },
          { title: t('metrics:item.updatedAt'), key: 'updated', render: (_, s) => formatTime(s.updated_at) },
        ]}
      />
      {entry && <div style={{ marginTop: 16 }}>{entry}</div>}
    </div>
  );
}

/** 赞 + 藏 + 评: the parts the workspace counts as interactions. */
function partsLabel(parts: Record<'likes' | 'saves' | 'comments' | 'shares', boolean>, t: (k: string) => string): string {
  return (['likes', 'saves', 'comments', 'shares'] as const)
    .filter((p) => parts[p])
    .map((p) => t(`metrics:parts.${p}`))
    .join(' + ');
}
