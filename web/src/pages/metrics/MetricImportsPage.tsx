import { useState } from 'react';
import { App, Button, Card, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Import } from '../imports/api';
import { importApi } from '../imports/api';
import { contentKeys } from '../content/queries';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useMemberNames } from '../../components/MemberSelect';
import { useApiMutation } from '../../lib/useApiMutation';
import { MetricImportWizard } from './MetricImportWizard';
import { metricImportsQuery, metricsKeys, presetsQuery } from './queries';
import {
  canUndo,
  importKind,
  importName,
  importState,
  METRIC_KINDS,
  METRICS_MANAGE,
  presetText,
  resultCounts,
  type ImportState,
  type MetricKind,
} from './wizard';

/** A colour per kind, so a list of mixed imports reads at a glance. */
const KIND_COLORS: Record<MetricKind, string> = {
  post_metrics: 'blue',
  account_metrics: 'cyan',
  comments: 'purple',
  spend: 'orange',
  revenue: 'green',
  search_index: 'geekblue',
};

const STATE_COLORS: Record<ImportState, string> = {
  uploaded: 'default',
  committing: 'processing',
  done: 'success',
  cancelled: 'warning',
  failed: 'error',
  undone: 'default',
};

/**
 * 数据 → 导入: the data imports (post numbers, followers, comments, spend, revenue, the search
 * index) with their kind, who, when and what they wrote, filtered by kind; upload and undo for
 * data managers.
 */
export default function MetricImportsPage() {
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const { wsId, can } = useSession();
  const manage = can(METRICS_MANAGE);
  const memberName = useMemberNames();
  // 'all', or the one kind the list shows.
  const [kindFilter, setKindFilter] = useState<MetricKind | 'all'>('all');
  const imports = useQuery(metricImportsQuery(wsId, kindFilter === 'all' ? null : kindFilter));
  const presets = useQuery(presetsQuery(wsId));
  // null: closed; 'new': a new upload; a number: that import.
  const [wizard, setWizard] = useState<number | 'new' | null>(null);

  const undo = useApiMutation({
    mutationFn: (id: number) => importApi.undo(wsId, id),
    success: t('metrics:list.undone'),
    invalidate: [metricsKeys.all(wsId), contentKeys.all(wsId)],
  });
  const askUndo = (imp: Import) =>
    modal.confirm({
      title: t('metrics:list.undoTitle', { file: fileLabel(imp) }),
      content: t('metrics:list.undoBody'),
      okText: t('metrics:list.undo'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => undo.mutateAsync(imp.id),
    });

  const fileLabel = (imp: Import) => importName(imp.file_name, t);
  const presetLabel = (id: string | null | undefined) => {
    const p = presets.data?.find((x) => x.id === id);
    return p ? presetText(p, i18n.language).name : null;
  };
  const counts = (imp: Import) => {
    const r = imp.result;
    if (!r) return '—';
    // A cancelled commit's counts are not kept; how far it got is.
    if (r.cancelled) return t('metrics:list.cancelledAt', { done: imp.done_rows, total: imp.total_rows });
    const c = resultCounts(importKind(imp), r);
    return t(`metrics:list.${c.key}`, c.params);
  };

  if (imports.isError) return <ErrorResult error={imports.error} onRetry={() => void imports.refetch()} />;

  return (
    <Card
      title={t('metrics:list.title')}
      extra={
        manage && (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setWizard('new')} data-testid="metric-import-new">
            {t('metrics:list.upload')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{manage ? t('metrics:list.intro') : t('metrics:list.readOnly')}</Typography.Paragraph>
      <Segmented<MetricKind | 'all'>
        value={kindFilter}
        onChange={setKindFilter}
        options={[
          { value: 'all', label: t('common.all') },
          ...METRIC_KINDS.map((k) => ({ value: k, label: t(`metrics:kinds.${k}`) })),
        ]}
        aria-label={t('metrics:list.kindFilter')}
        data-testid="metric-import-kind-filter"
        style={{ marginBottom: 16 }}
      />
      <Table<Import>
        rowKey="id"
        loading={imports.isLoading}
        dataSource={imports.data ?? []}
        data-testid="metric-imports"
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          {
            title: t('metrics:list.file'),
            key: 'file',
            minWidth: 180,
            render: (_, imp) => (
              <span data-user-data>
                <Typography.Text strong>{fileLabel(imp)}</Typography.Text>
                {presetLabel(imp.options.preset) && (
                  <>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {presetLabel(imp.options.preset)}
                    </Typography.Text>
                  </>
                )}
              </span>
            ),
          },
          {
            title: t('metrics:list.kind'),
            key: 'kind',
            width: 110,
            render: (_, imp) => {
              const kind = importKind(imp);
              return (
                <Tag color={KIND_COLORS[kind]} data-testid="metric-import-kind">
                  {t(`metrics:kinds.${kind}`)}
                </Tag>
              );
            },
          },
          {
            title: t('metrics:list.who'),
            key: 'who',
            width: 110,
            render: (_, imp) => <span data-user-data>{imp.created_by != null ? memberName(imp.created_by) : t('common.system')}</span>,
          },
          { title: t('metrics:list.when'), key: 'when', width: 150, render: (_, imp) => formatTime(imp.created_at) },
          {
            title: t('metrics:list.status'),
            key: 'status',
            width: 120,
            render: (_, imp) => {
              const state = importState(imp);
              const tag = (
                <Tag color={STATE_COLORS[state]} data-testid="metric-import-state">
                  {state === 'committing' ? t('metrics:list.committing', { done: imp.done_rows, total: imp.total_rows }) : t(`metrics:list.states.${state}`)}
                </Tag>
              );
              return state === 'undone' && imp.undone_at ? <Tooltip title={t('metrics:list.undoneAt', { time: formatTime(imp.undone_at) })}>{tag}</Tooltip> : tag;
            },
          },
          { title: t('metrics:list.rows'), dataIndex: 'total_rows', width: 70, align: 'right' },
          { title: t('metrics:list.result'), key: 'result', render: (_, imp) => <Typography.Text type={imp.undone_at ? 'secondary' : undefined}>{counts(imp)}</Typography.Text> },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_, imp) => (
              <Space size={4}>
                {(manage || imp.status !== 'uploaded') && (
                  <Button size="small" type="link" onClick={() => setWizard(imp.id)} data-testid={`metric-import-open-${imp.id}`}>
                    {t('metrics:list.open')}
                  </Button>
                )}
                {manage && canUndo(imp) && (
                  <Button size="small" type="link" danger onClick={() => askUndo(imp)} data-testid={`metric-import-undo-${imp.id}`}>
                    {t('metrics:list.undo')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <MetricImportWizard wsId={wsId} open={wizard !== null} importId={typeof wizard === 'number' ? wizard : null} onClose={() => setWizard(null)} />
    </Card>
  );
}
