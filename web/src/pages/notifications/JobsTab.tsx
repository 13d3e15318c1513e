import { useState } from 'react';
import { Button, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Job, JobState } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { notificationApi } from './api';
import { jobsQuery, notificationKeys } from './queries';
import { mergeJobs } from './rules';

const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'dead', 'cancelled'];
const STATE_COLORS: Record<JobState, string> = { queued: 'default', running: 'processing', done: 'success', dead: 'error', cancelled: 'default' };

/** The filter: one state, everything, or (first) what waits and what died. */
type Filter = JobState | 'open' | 'all';
const statesOf = (f: Filter): (JobState | undefined)[] => (f === 'open' ? ['queued', 'dead'] : f === 'all' ? [undefined] : [f]);

export function JobsTab() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [filter, setFilter] = useState<Filter>('open');
  const results = useQueries({ queries: statesOf(filter).map((s) => jobsQuery(wsId, s)) });
  const rows = mergeJobs(results.map((r) => r.data ?? []));
  const failed = results.find((r) => r.isError);

  const retry = useApiMutation({
    mutationFn: (j: Job) => notificationApi.retryJob(wsId, j.id),
    success: t('notifications:jobs.retried'),
    invalidate: [notificationKeys.jobs(wsId), notificationKeys.deliveries(wsId)],
  });

  const columns: TableColumnsType<Job> = [
    { title: t('notifications:jobs.fields.id'), dataIndex: 'id', width: 80 },
    { title: t('notifications:jobs.fields.kind'), dataIndex: 'kind', width: 170, render: (k: Job['kind']) => t(`notifications:jobKind.${k}`) },
    {
      title: t('notifications:jobs.fields.state'),
      dataIndex: 'state',
      width: 100,
      render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{t(`notifications:jobState.${s}`)}</Tag>,
    },
    { title: t('notifications:jobs.fields.attempts'), key: 'attempts', width: 100, render: (_, j) => `${j.attempts}/${j.max_attempts}` },
    { title: t('notifications:jobs.fields.run_at'), dataIndex: 'run_at', width: 150, render: (v: string) => formatTime(v) },
    {
      title: t('notifications:jobs.fields.last_error'),
      dataIndex: 'last_error',
      ellipsis: { showTitle: false },
      render: (v?: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text type="danger">{v}</Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    { title: t('notifications:jobs.fields.key'), dataIndex: 'idempotency_key', ellipsis: true, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, j) =>
        j.state === 'dead' && (
          <Button type="link" size="small" loading={retry.isPending && retry.variables?.id === j.id} onClick={() => retry.mutate(j)}>
            {t('notifications:jobs.retry')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select<Filter>
          aria-label={t('notifications:jobs.fields.state')}
          value={filter}
          onChange={setFilter}
          style={{ width: 180 }}
          options={[
            { value: 'open', label: t('notifications:jobs.open') },
            { value: 'all', label: t('notifications:jobs.all') },
            ...JOB_STATES.map((s) => ({ value: s, label: t(`notifications:jobState.${s}`) })),
          ]}
        />
      </Space>
      {failed ? (
        <ErrorResult error={failed.error} onRetry={() => results.forEach((r) => void r.refetch())} />
      ) : (
        <Table<Job>
          rowKey="id"
          size="middle"
          data-testid="jobs-table"
          loading={results.some((r) => r.isLoading)}
          dataSource={rows}
          columns={columns}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: t('notifications:jobs.empty') }}
        />
      )}
    </>
  );
}
