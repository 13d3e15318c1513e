import { useState } from 'react';
import { App, Button, Popconfirm, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Channel, ChannelTest } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { notificationApi } from './api';
import { channelTarget } from './channelForm';
import { ChannelModal } from './ChannelModal';
import { channelsQuery, notificationKeys } from './queries';

const KIND_COLORS: Record<Channel['kind'], string> = { feishu: 'blue', wecom: 'green', dingtalk: 'geekblue', webhook: 'purple', email: 'gold' };

/** A channel's provider, as a coloured tag. */
export function ChannelKindTag({ kind }: { kind: Channel['kind'] }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind]}>{t(`notifications:channelKinds.${kind}`)}</Tag>;
}

/** What a channel's test answered: delivered or not, the HTTP status, the provider's words. */
function TestResult({ result }: { result: ChannelTest }) {
  const { t } = useTranslation();
  return (
    <div data-testid="channel-test-result">
      {result.status != null && <Typography.Paragraph>{t('notifications:channels.testStatus', { status: result.status })}</Typography.Paragraph>}
      <Typography.Text type="secondary">{t('notifications:channels.testAnswer')}</Typography.Text>
      <Typography.Paragraph code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', marginTop: 4 }}>
        {result.answer || t('notifications:channels.testNoAnswer')}
      </Typography.Paragraph>
    </div>
  );
}

export function ChannelsTab() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { wsId } = useSession();
  const channels = useQuery(channelsQuery(wsId));
  const [editing, setEditing] = useState<{ open: boolean; row?: Channel }>({ open: false });

  const toggle = useApiMutation({
    mutationFn: (c: Channel) => notificationApi.updateChannel(wsId, c.id, { enabled: !c.enabled }),
    success: (c) => (c.enabled ? t('notifications:channels.enabled') : t('notifications:channels.disabled')),
    invalidate: [notificationKeys.channels(wsId)],
  });
  const remove = useApiMutation({
    mutationFn: (id: number) => notificationApi.removeChannel(wsId, id),
    success: t('notifications:channels.deleted'),
    // The channel's rules go with it.
    invalidate: [notificationKeys.channels(wsId), notificationKeys.rules(wsId)],
  });
  const test = useApiMutation({
    mutationFn: (c: Channel) => notificationApi.testChannel(wsId, c.id),
    onSuccess: (result, c) => {
      const show = result.ok ? modal.success : modal.error;
      show({
        title: `${c.name} · ${result.ok ? t('notifications:channels.testOk') : t('notifications:channels.testFailed')}`,
        content: <TestResult result={result} />,
        width: 520,
      });
    },
  });

  const columns: TableColumnsType<Channel> = [
    { title: t('notifications:channels.fields.name'), dataIndex: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t('notifications:channels.fields.kind'), dataIndex: 'kind', width: 130, render: (_, c) => <ChannelKindTag kind={c.kind} /> },
    {
      title: t('notifications:channels.fields.target'),
      key: 'target',
      ellipsis: true,
      render: (_, c) => <Typography.Text type="secondary">{channelTarget(c) || '—'}</Typography.Text>,
    },
    {
      title: t('notifications:channels.fields.secret'),
      dataIndex: 'secret_set',
      width: 110,
      render: (set: boolean) =>
        set ? (
          <Typography.Text data-testid="channel-secret" aria-label={t('notifications:channels.secretSet')}>
            ••••••
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('notifications:channels.secretNone')}</Typography.Text>
        ),
    },
    {
      title: t('notifications:channels.fields.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (_, c) => (
        <Switch
          size="small"
          checked={c.enabled}
          loading={toggle.isPending && toggle.variables?.id === c.id}
          aria-label={`${t('notifications:channels.fields.enabled')} ${c.name}`}
          onChange={() => toggle.mutate(c)}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      render: (_, c) => (
        <Space size={0}>
          <Button type="link" size="small" loading={test.isPending && test.variables?.id === c.id} onClick={() => test.mutate(c)}>
            {t('notifications:channels.test')}
          </Button>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, row: c })}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('notifications:channels.deleteConfirm', { name: c.name })} onConfirm={() => remove.mutate(c.id)}>
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="channel-add">
          {t('notifications:channels.add')}
        </Button>
      </div>
      {channels.isError ? (
        <ErrorResult error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <Table<Channel>
          rowKey="id"
          size="middle"
          data-testid="channels-table"
          loading={channels.isLoading}
          dataSource={channels.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('notifications:channels.empty') }}
        />
      )}
      <ChannelModal row={editing.row} open={editing.open} onClose={() => setEditing({ open: false })} />
    </>
  );
}
