import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { AccountSelect } from '../content/AccountSelect';
import { useCampaigns } from '../content/hooks';
import { AccountName } from './AccountName';
import { calendarApi } from './api';
import { calendarKeys, feedsQuery } from './queries';
import type { CreatedIcsFeed, FeedScope, IcsFeed, IcsFeedDraft } from './types';

const SCOPES: FeedScope[] = ['member', 'account', 'campaign'];
const CLIENTS = ['feishu', 'outlook', 'apple'] as const;

interface FeedFormValues {
  scope: FeedScope;
  account_id?: number;
  campaign_id?: number;
  name?: string;
}

function feedDraft(v: FeedFormValues): IcsFeedDraft {
  const target = v.scope === 'account' ? (v.account_id ?? null) : v.scope === 'campaign' ? (v.campaign_id ?? null) : null;
  const name = v.name?.trim();
  return { scope: v.scope, target_id: target, ...(name ? { name } : {}) };
}

/** What a feed holds: my accounts, one account, or one campaign. */
function FeedScopeText({ feed }: { feed: IcsFeed }) {
  const { t } = useTranslation();
  const campaigns = useCampaigns();
  if (feed.scope === 'member' || feed.target_id == null) return <Tag>{t('calendar:feeds.scopes.member')}</Tag>;
  return (
    <span>
      <Tag>{t(`calendar:feeds.scopes.${feed.scope}`)}</Tag>
      {feed.scope === 'account' ? <AccountName id={feed.target_id} /> : campaigns.nameOf(feed.target_id)}
    </span>
  );
}

/** The secret address, shown once, with how to subscribe to it in each calendar app. */
function CreatedFeedModal({ created, onClose }: { created: CreatedIcsFeed | null; onClose: () => void }) {
  const { t } = useTranslation();
  // A server without a configured public address answers a path: calendar apps need the whole URL.
  const url = created ? new URL(created.url, window.location.origin).href : '';
  return (
    <Modal
      open={created !== null}
      title={t('calendar:feeds.createdTitle')}
      onCancel={onClose}
      width={640}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('calendar:feeds.onceHint')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable={{ text: url }} code data-testid="feed-url" style={{ wordBreak: 'break-all' }}>
        {url}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('calendar:feeds.howTo')}</Typography.Title>
      <ul style={{ paddingInlineStart: 20 }}>
        {CLIENTS.map((c) => (
          <li key={c} style={{ marginBottom: 6 }}>
            <Typography.Text strong>{t(`calendar:feeds.clients.${c}.name`)}</Typography.Text>: {t(`calendar:feeds.clients.${c}.steps`)}
          </li>
        ))}
      </ul>
      <Typography.Paragraph type="secondary">{t('calendar:feeds.refreshNote')}</Typography.Paragraph>
    </Modal>
  );
}

/** 日历订阅 in the profile: iCalendar feeds for Feishu, Outlook or Apple Calendar, revocable. */
export function IcsFeedsCard() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const feeds = useQuery(feedsQuery(wsId));
  const campaigns = useCampaigns();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedIcsFeed | null>(null);
  const [form] = Form.useForm<FeedFormValues>();
  const scope = Form.useWatch('scope', form);

  const create = useApiMutation({
    mutationFn: (v: FeedFormValues) => calendarApi.createFeed(wsId, feedDraft(v)),
    form,
    mapField: (f) => (f === 'target_id' ? (form.getFieldValue('scope') === 'campaign' ? 'campaign_id' : 'account_id') : f),
    invalidate: [calendarKeys.feeds(wsId)],
    onSuccess: (c) => {
      setCreating(false);
      setCreated(c);
      form.resetFields();
    },
  });
  const revoke = useApiMutation({
    mutationFn: (id: number) => calendarApi.revokeFeed(wsId, id),
    success: t('calendar:feeds.revoked'),
    invalidate: [calendarKeys.feeds(wsId)],
  });

  return (
    <Card
      title={t('calendar:feeds.title')}
      style={{ marginTop: 16 }}
      data-testid="ics-feeds"
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="feed-new">
          {t('calendar:feeds.new')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('calendar:feeds.intro')}</Typography.Paragraph>
      {feeds.isError ? (
        <ErrorResult error={feeds.error} onRetry={() => void feeds.refetch()} />
      ) : (
        <Table<IcsFeed>
          rowKey="id"
          size="small"
          data-testid="feeds-table"
          loading={feeds.isLoading}
          dataSource={feeds.data ?? []}
          pagination={false}
          columns={[
            { title: t('calendar:feeds.fields.name'), dataIndex: 'name', ellipsis: true },
            { title: t('calendar:feeds.fields.scope'), key: 'scope', render: (_, f) => <FeedScopeText feed={f} /> },
            { title: t('calendar:feeds.fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v) },
            {
              title: t('calendar:feeds.fields.last_used_at'),
              dataIndex: 'last_used_at',
              render: (v: string | null) => (v ? formatTime(v) : <Typography.Text type="secondary">{t('calendar:feeds.neverUsed')}</Typography.Text>),
            },
            {
              title: t('calendar:feeds.fields.state'),
              key: 'state',
              render: (_, f) =>
                f.revoked_at ? (
                  <Tag data-testid="feed-revoked">{t('calendar:feeds.revokedAt', { time: formatTime(f.revoked_at) })}</Tag>
                ) : (
                  <Tag color="green">{t('calendar:feeds.active')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, f) =>
                f.revoked_at ? null : (
                  <Popconfirm title={t('calendar:feeds.revokeConfirm', { name: f.name })} onConfirm={() => revoke.mutate(f.id)}>
                    <Button type="link" danger size="small">
                      {t('calendar:feeds.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
      <Modal
        open={creating}
        title={t('calendar:feeds.new')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={create.isPending}
        destroyOnHidden
        data-testid="feed-modal"
      >
        <Form<FeedFormValues> form={form} layout="vertical" name="ics_feed" initialValues={{ scope: 'member' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="scope" label={t('calendar:feeds.fields.scope')}>
            <Radio.Group options={SCOPES.map((s) => ({ value: s, label: t(`calendar:feeds.scopes.${s}`) }))} />
          </Form.Item>
          {scope === 'account' && (
            <Form.Item name="account_id" label={t('calendar:feeds.fields.account')} rules={[{ required: true, message: t('calendar:feeds.validation.account') }]}>
              <AccountSelect />
            </Form.Item>
          )}
          {scope === 'campaign' && (
            <Form.Item name="campaign_id" label={t('calendar:feeds.fields.campaign')} rules={[{ required: true, message: t('calendar:feeds.validation.campaign') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={campaigns.items.map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('calendar:feeds.fields.name')} extra={t('calendar:feeds.nameHelp')}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
      <CreatedFeedModal created={created} onClose={() => setCreated(null)} />
    </Card>
  );
}
