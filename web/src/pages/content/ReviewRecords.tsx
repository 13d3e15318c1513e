import { Empty, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReviewRecord } from '../../api/types';
import { formatTime } from '../../components/events';
import { redLineNote } from '../../lib/builtinNames';

const DECISION_COLORS: Record<ReviewRecord['decision'], string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  overridden: 'warning',
  withdrawn: 'default',
};

/** The review history of one item: every submission round and each step's decision. */
export function ReviewRecords({ records }: { records: ReviewRecord[] }) {
  const { t } = useTranslation();
  if (records.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('content:review.none')} />;
  const columns: TableColumnsType<ReviewRecord> = [
    { title: t('content:review.round'), dataIndex: 'round', width: 60 },
    { title: t('content:review.step'), dataIndex: 'step', width: 60 },
    { title: t('content:review.requester'), dataIndex: 'requester_name', width: 90 },
    { title: t('content:review.approver'), dataIndex: 'approver_name', width: 90, render: (v: string | null | undefined) => v ?? '—' },
    {
      title: t('content:review.decision'),
      dataIndex: 'decision',
      width: 90,
      render: (_, r) => <Tag color={DECISION_COLORS[r.decision]}>{t(`content:review.decisions.${r.decision}`)}</Tag>,
    },
    { title: t('content:review.reason'), dataIndex: 'reason', render: (v: string | null | undefined) => v || '—' },
    {
      // What an approval or override passed, as the red lines stood when it was decided.
      title: t('content:review.redLines'),
      key: 'red_lines',
      render: (_, r) =>
        r.red_line_hits.length === 0
          ? '—'
          : r.red_line_hits.map((h) => (
              <Tooltip key={`${h.field}:${h.start}`} title={h.note ? redLineNote(h.note, t) : undefined}>
                <Tag color={h.severity === 'block' ? 'error' : 'warning'} data-testid="review-red-line">
                  {h.phrase}
                </Tag>
              </Tooltip>
            )),
    },
    { title: t('content:review.time'), key: 'time', width: 140, render: (_, r) => formatTime(r.decided_at ?? r.requested_at) },
  ];
  return (
    <Table<ReviewRecord>
      rowKey="id"
      size="small"
      data-testid="review-records"
      columns={columns}
      dataSource={[...records].reverse()}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
