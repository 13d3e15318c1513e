import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Empty, Form, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Channel, NotificationRule } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { AccountSelect } from '../content/AccountSelect';
import { useCampaigns } from '../content/hooks';
import { notificationApi } from './api';
import { ChannelKindTag } from './ChannelsTab';
import { channelsQuery, notificationKeys, rulesQuery } from './queries';
import { coversEverything, ruleBody, ruleValues, TIERS, type RuleValues } from './rules';
import { KINDS } from './text';

function RuleModal({ row, open, channels, onClose }: { row?: NotificationRule; open: boolean; channels: readonly Channel[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const campaigns = useCampaigns();
  const [form] = Form.useForm<RuleValues>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(ruleValues(row));
  }, [open, row, form]);

  const save = useApiMutation({
    mutationFn: (v: RuleValues) => (row ? notificationApi.updateRule(wsId, row.id, ruleBody(v)) : notificationApi.createRule(wsId, ruleBody(v))),
    form,
    mapField: (f) => f.replace(/\.\d+$/, ''),
    success: row ? t('notifications:rules.saved') : t('notifications:rules.created'),
    invalidate: [notificationKeys.rules(wsId)],
    onSuccess: onClose,
  });

  return (
    <Modal
      open={open}
      title={row ? t('notifications:rules.edit') : t('notifications:rules.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      data-testid="rule-modal"
    >
      <Form<RuleValues> form={form} layout="vertical" name="notification_rule" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kinds" label={t('notifications:rules.fields.kinds')} rules={[{ required: true, message: t('notifications:rules.validation.kinds') }]}>
          <Select mode="multiple" allowClear options={KINDS.map((k) => ({ value: k, label: t(`notifications:kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="channel_id" label={t('notifications:rules.fields.channel')} rules={[{ required: true, message: t('notifications:rules.validation.channel') }]}>
          <Select
            showSearch={{ optionFilterProp: 'title' }}
            options={channels.map((c) => ({
              value: c.id,
              title: c.name,
              label: (
                <Space size={4}>
                  <ChannelKindTag kind={c.kind} />
                  {c.name}
                </Space>
              ),
            }))}
          />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('notifications:rules.scopeHelp')}</Typography.Paragraph>
        <Form.Item name="campaign_ids" label={t('notifications:rules.fields.campaigns')}>
          <Select
            mode="multiple"
            allowClear
            loading={campaigns.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            options={campaigns.items.map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="tiers" label={t('notifications:rules.fields.tiers')}>
          <Select mode="multiple" allowClear options={TIERS.map((tier) => ({ value: tier, label: `${t(`tier.${tier}`)} · ${t(`tierHint.${tier}`)}` }))} />
        </Form.Item>
        <Form.Item name="account_ids" label={t('notifications:rules.fields.accounts')}>
          <AccountSelect mode="multiple" />
        </Form.Item>
        <Form.Item name="enabled" label={t('notifications:rules.fields.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** What a rule limits itself to: campaigns, tiers, a number of accounts, or everything. */
function RuleScope({ rule, campaignName }: { rule: NotificationRule; campaignName: (id: number) => string }) {
  const { t } = useTranslation();
  if (coversEverything(rule)) return <Typography.Text type="secondary">{t('notifications:rules.scopeAll')}</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {rule.campaign_ids.map((id) => (
        <Tag key={`c${id}`} color="blue">
          {campaignName(id)}
        </Tag>
      ))}
      {rule.tiers.map((tier) => (
        <Tag key={tier}>{t(`tier.${tier}`)}</Tag>
      ))}
      {rule.account_ids.length > 0 && <Tag color="cyan">{t('notifications:rules.accountCount', { count: rule.account_ids.length })}</Tag>}
    </Space>
  );
}

export function RulesTab() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const rules = useQuery(rulesQuery(wsId));
  const channels = useQuery(channelsQuery(wsId));
  const campaigns = useCampaigns();
  const [editing, setEditing] = useState<{ open: boolean; row?: NotificationRule }>({ open: false });
  const channelById = useMemo(() => new Map((channels.data ?? []).map((c) => [c.id, c])), [channels.data]);
  const noChannels = channels.isSuccess && channels.data.length === 0;

  const toggle = useApiMutation({
    mutationFn: (r: NotificationRule) => notificationApi.updateRule(wsId, r.id, { enabled: !r.enabled }),
    success: (r) => (r.enabled ? t('notifications:rules.enabled') : t('notifications:rules.disabled')),
    invalidate: [notificationKeys.rules(wsId)],
  });
  const remove = useApiMutation({
    mutationFn: (id: number) => notificationApi.removeRule(wsId, id),
    success: t('notifications:rules.deleted'),
    invalidate: [notificationKeys.rules(wsId)],
  });

  const columns: TableColumnsType<NotificationRule> = [
    {
      title: t('notifications:rules.fields.kinds'),
      dataIndex: 'kinds',
      render: (_, r) => (
        <Space size={[0, 4]} wrap>
          {r.kinds.map((k) => (
            <Tag key={k}>{t(`notifications:kinds.${k}`)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('notifications:rules.fields.scope'), key: 'scope', render: (_, r) => <RuleScope rule={r} campaignName={campaigns.nameOf} /> },
    {
      title: t('notifications:rules.fields.channel'),
      dataIndex: 'channel_id',
      render: (id: number) => {
        const c = channelById.get(id);
        return c ? (
          <Space size={4}>
            <ChannelKindTag kind={c.kind} />
            {c.name}
          </Space>
        ) : (
          t('notifications:rules.unknownChannel', { id })
        );
      },
    },
    {
      title: t('notifications:rules.fields.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.enabled}
          loading={toggle.isPending && toggle.variables?.id === r.id}
          aria-label={t('notifications:rules.fields.enabled')}
          onChange={() => toggle.mutate(r)}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, row: r })}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('notifications:rules.deleteConfirm')} onConfirm={() => remove.mutate(r.id)}>
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t('notifications:rules.empty')}
          </Typography.Paragraph>
          <Typography.Text code>{t('notifications:rules.example')}</Typography.Text>
        </>
      }
    />
  );

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} disabled={noChannels} onClick={() => setEditing({ open: true })} data-testid="rule-add">
          {t('notifications:rules.add')}
        </Button>
      </div>
      {noChannels && <Alert type="info" showIcon title={t('notifications:rules.noChannels')} style={{ marginBottom: 16 }} />}
      {rules.isError ? (
        <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Table<NotificationRule>
          rowKey="id"
          size="middle"
          data-testid="rules-table"
          loading={rules.isLoading}
          dataSource={rules.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: empty }}
        />
      )}
      <RuleModal row={editing.row} open={editing.open} channels={channels.data ?? []} onClose={() => setEditing({ open: false })} />
    </>
  );
}
