import { useState } from 'react';
import { Button, Card, DatePicker, Result, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { eventApi } from './api';
import { eventKeys } from './queries';
import type { Event } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { ExportButton } from '../../components/ExportButton';
import { MemberSelect } from '../../components/MemberSelect';
import { formatTime, useActionLabel } from '../../components/events';
import { dateIn } from '../../lib/timeZones';
import { FIELD_NAMESPACES, fieldChanges } from '../../lib/eventDiff';
import { AUDIT_ACTIONS } from './actions';

const PAGE = 50;

export default function EventsPage() {
  const { t, i18n } = useTranslation();
  const { wsId, can, workspace } = useSession();
  const actionLabel = useActionLabel();
  const allowed = can('audit.read');
  const [action, setAction] = useState<string | undefined>();
  const [actor, setActor] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  // Days are the workspace's days: the server reads `from`/`to` in its time zone.
  const today = dayjs(dateIn(workspace.time_zone));
  const filters = {
    action,
    actor,
    from: range?.[0].format('YYYY-MM-DD'),
    to: range?.[1].format('YYYY-MM-DD'),
  };

  const events = useInfiniteQuery({
    queryKey: [...eventKeys.all(wsId), 'audit', filters],
    queryFn: ({ pageParam }) => eventApi.list(wsId, { limit: PAGE, before: pageParam, ...filters }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.items.length < PAGE ? undefined : last.items[last.items.length - 1]?.id),
    enabled: allowed,
  });

  if (!allowed) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;

  const entityLabel = (type: string) => (i18n.exists(`entities.${type}`) ? t(`entities.${type}`) : type);
  /** 内容《标题》, 平台 小红书, 账号 @handle — or the kind and id when the record has no name. */
  const objectLabel = (e: Event) => {
    const kind = entityLabel(e.entity_type);
    if (e.entity_name) {
      return e.entity_type === 'content_item' ? t('events:contentObject', { kind, name: e.entity_name }) : `${kind} ${e.entity_name}`;
    }
    return e.entity_id != null ? `${kind} #${e.entity_id}` : kind;
  };
  const fieldLabel = (e: Event, key: string) => {
    const ns = FIELD_NAMESPACES[e.entity_type];
    return ns && i18n.exists(`${ns}:fields.${key}`) ? t(`${ns}:fields.${key}`) : key;
  };
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  const loadingFirst = events.isPending || (events.isFetching && !events.isFetchingNextPage && rows.length === 0);

  const columns: TableColumnsType<Event> = [
    { title: t('events:time'), dataIndex: 'created_at', width: 150, render: (_, e) => formatTime(e.created_at) },
    { title: t('events:actor'), dataIndex: 'actor_name', width: 110, render: (_, e) => e.actor_name ?? t('common.system') },
    {
      title: t('events:action'),
      dataIndex: 'action',
      width: 150,
      render: (_, e) => <span data-testid="audit-action">{actionLabel(e.action)}</span>,
    },
    {
      title: t('events:entity'),
      key: 'entity',
      ellipsis: true,
      render: (_, e) => <span data-testid="audit-object">{objectLabel(e)}</span>,
    },
    {
      title: t('events:changes'),
      key: 'changes',
      ellipsis: true,
      render: (_, e) => {
        const keys = fieldChanges(e.before, e.after).map((c) => fieldLabel(e, c.key));
        return keys.length ? <Typography.Text type="secondary">{keys.join(t('common.listSeparator'))}</Typography.Text> : null;
      },
    },
    { title: t('events:ip'), dataIndex: 'ip', width: 130, render: (_, e) => e.ip ?? '—' },
  ];

  return (
    <Card
      title={t('events:title')}
      extra={
        <ExportButton wsId={wsId} path="events/export" params={filters} fallbackName="audit-log.xlsx" />
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('events:filterAction')}
          placeholder={t('events:filterAction')}
          style={{ width: 200 }}
          value={action}
          onChange={(v?: string) => setAction(v)}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
        />
        <MemberSelect
          aria-label={t('events:filterActor')}
          placeholder={t('events:filterActor')}
          style={{ width: 180 }}
          value={actor}
          onChange={(v) => setActor(typeof v === 'number' ? v : undefined)}
        />
        <DatePicker.RangePicker
          aria-label={t('events:filterDates')}
          value={range}
          allowClear
          disabledDate={(d) => d.isAfter(today, 'day')}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
        />
      </Space>
      {events.isError ? (
        <ErrorResult error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <>
          <Table<Event>
            rowKey="id"
            size="middle"
            data-testid="audit-table"
            loading={events.isFetching && !events.isFetchingNextPage}
            locale={loadingFirst ? { emptyText: <span /> } : undefined}
            columns={columns}
            dataSource={rows}
            pagination={false}
            expandable={{
              rowExpandable: (e) => fieldChanges(e.before, e.after).length > 0,
              expandedRowRender: (e) => (
                <Table
                  size="small"
                  rowKey="key"
                  data-testid="audit-diff"
                  pagination={false}
                  dataSource={fieldChanges(e.before, e.after, t('common.listSeparator'))}
                  columns={[
                    { title: t('events:field'), dataIndex: 'key', width: 160, render: (k: string) => fieldLabel(e, k) },
                    {
                      title: t('events:before'),
                      dataIndex: 'before',
                      render: (v: string) => <Typography.Text delete={v !== '—'} type="secondary" style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text>,
                    },
                    { title: t('events:after'), dataIndex: 'after', render: (v: string) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text> },
                  ]}
                />
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
