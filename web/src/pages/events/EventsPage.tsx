import { useState } from 'react';
import { Button, Card, Col, Result, Row, Select, Table, Typography, type TableColumnsType } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { eventApi } from './api';
import { eventKeys } from './queries';
import type { Event } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime, useActionLabel } from '../../components/events';
import { AUDIT_ACTIONS } from './actions';

const PAGE = 50;

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <pre className="kox-json">{JSON.stringify(value, null, 2)}</pre>;
}

export default function EventsPage() {
  const { t, i18n } = useTranslation();
  const { wsId, can } = useSession();
  const actionLabel = useActionLabel();
  const allowed = can('audit.read');
  const [action, setAction] = useState<string | undefined>();

  const events = useInfiniteQuery({
    queryKey: [...eventKeys.all(wsId), 'audit', action ?? null],
    queryFn: ({ pageParam }) => eventApi.list(wsId, { limit: PAGE, before: pageParam, action }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.items.length < PAGE ? undefined : last.items[last.items.length - 1]?.id),
    enabled: allowed,
  });

  if (!allowed) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;

  const entityLabel = (type: string) => (i18n.exists(`entities.${type}`) ? t(`entities.${type}`) : type);
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<Event> = [
    { title: t('events:time'), dataIndex: 'created_at', width: 170, render: (_, e) => formatTime(e.created_at) },
    { title: t('events:actor'), dataIndex: 'actor_name', width: 140, render: (_, e) => e.actor_name ?? t('common.system') },
    {
      title: t('events:action'),
      dataIndex: 'action',
      width: 200,
      render: (_, e) => <span data-testid="audit-action">{actionLabel(e.action)}</span>,
    },
    {
      title: t('events:entity'),
      key: 'entity',
      render: (_, e) => (
        <span>
          {entityLabel(e.entity_type)}
          {e.entity_id != null && <Typography.Text type="secondary"> #{e.entity_id}</Typography.Text>}
        </span>
      ),
    },
    { title: t('events:ip'), dataIndex: 'ip', width: 140, render: (_, e) => e.ip ?? '—' },
  ];

  return (
    <Card
      title={t('events:title')}
      extra={
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('events:filterAction')}
          placeholder={t('events:filterAction')}
          style={{ width: 220 }}
          value={action}
          onChange={(v?: string) => setAction(v)}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
        />
      }
    >
      {events.isError ? (
        <ErrorResult error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <>
          <Table<Event>
            rowKey="id"
            size="middle"
            data-testid="audit-table"
            loading={events.isFetching && !events.isFetchingNextPage}
            columns={columns}
            dataSource={rows}
            pagination={false}
            expandable={{
              rowExpandable: (e) => e.before != null || e.after != null,
              expandedRowRender: (e) => (
                <Row gutter={16}>
                  <Col span={12}>
                    <Typography.Text strong>{t('events:before')}</Typography.Text>
                    <Json value={e.before} />
                  </Col>
                  <Col span={12}>
                    <Typography.Text strong>{t('events:after')}</Typography.Text>
                    <Json value={e.after} />
                  </Col>
                </Row>
              ),
            }}
          />
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            {events.hasNextPage ? (
              <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            ) : (
              rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            )}
          </div>
        </>
      )}
    </Card>
  );
}
