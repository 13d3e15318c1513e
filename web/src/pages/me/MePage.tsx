import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { qk } from '../../api/queries';
import { meApi } from './api';
import { meKeys } from './queries';
import type { ApiToken, CreatedApiToken, Session } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { IcsFeedsCard } from '../calendar/IcsFeedsCard';

function MeCard() {
  const { t } = useTranslation();
  const { me, workspace } = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const rename = useApiMutation({
    mutationFn: (n: string) => meApi.update({ name: n }),
    success: t('common.saved'),
    onSuccess: (updated) => queryClient.setQueryData(qk.me, updated),
  });
  return (
    <Card title={t('me:me')}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('members:fields.email')}>{me.user.email}</Descriptions.Item>
        <Descriptions.Item label={t('members:fields.role')}>{t(`roles.${workspace.role}`)}</Descriptions.Item>
        <Descriptions.Item label={t('members:fields.group')}>{t(`groups.${workspace.group}`)}</Descriptions.Item>
        <Descriptions.Item label={t('me:displayName')}>
          <Space.Compact>
            <Input aria-label={t('me:displayName')} value={name} onChange={(e) => setName(e.target.value)} style={{ width: 220 }} />
            <Button
              type="primary"
              disabled={!name.trim() || name.trim() === me.user.name}
              loading={rename.isPending}
              onClick={() => rename.mutate(name.trim())}
            >
              {t('common.save')}
            </Button>
          </Space.Compact>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

interface PasswordValues {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

function PasswordCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordValues>();
  const change = useApiMutation({
    mutationFn: (v: PasswordValues) => meApi.changePassword({ current_password: v.current_password, new_password: v.new_password }),
    form,
    success: t('me:passwordChanged'),
    // Changing the password signs out the other sessions.
    invalidate: [meKeys.sessions],
    onSuccess: () => form.resetFields(),
  });
  return (
    <Card title={t('me:changePassword')} style={{ marginTop: 16 }}>
      <Form form={form} layout="vertical" name="password" style={{ maxWidth: 360 }} onFinish={(v) => change.mutate(v)}>
        <Form.Item
          name="current_password"
          label={t('me:currentPassword')}
          rules={[{ required: true, message: t('me:validation.currentPassword') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="new_password" label={t('me:newPassword')} rules={[{ required: true, min: 8, message: t('me:validation.newPassword') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm_password"
          label={t('me:confirmPassword')}
          dependencies={['new_password']}
          rules={[
            { required: true, message: t('me:validation.confirmPassword') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('me:validation.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('me:changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const sessions = useQuery({ queryKey: meKeys.sessions, queryFn: meApi.sessions });
  const revoke = useApiMutation({
    mutationFn: (id: number) => meApi.revokeSession(id),
    success: t('me:revoked'),
    invalidate: [meKeys.sessions],
  });
  return (
    <Card title={t('me:sessions')} style={{ marginTop: 16 }}>
      {sessions.isError ? (
        <ErrorResult error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <Table<Session>
          rowKey="id"
          size="small"
          data-testid="sessions-table"
          loading={sessions.isLoading}
          dataSource={sessions.data ?? []}
          pagination={false}
          columns={[
            {
              title: t('me:fields.user_agent'),
              dataIndex: 'user_agent',
              ellipsis: true,
              width: '40%',
              render: (_, s) => (
                <span>
                  {s.current && <Tag color="green">{t('me:current')}</Tag>}
                  {s.user_agent ?? '—'}
                </span>
              ),
            },
            { title: t('me:fields.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
            { title: t('me:fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v) },
            { title: t('me:fields.last_seen_at'), dataIndex: 'last_seen_at', render: (v: string) => formatTime(v) },
            { title: t('me:fields.expires_at'), dataIndex: 'expires_at', render: (v: string) => formatTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, s) =>
                s.current ? null : (
                  <Popconfirm title={t('me:revokeConfirm')} onConfirm={() => revoke.mutate(s.id)}>
                    <Button type="link" danger size="small">
                      {t('me:revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function TokensCard() {
  const { t } = useTranslation();
  const tokens = useQuery({ queryKey: meKeys.tokens, queryFn: meApi.tokens });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [form] = Form.useForm<{ name: string }>();

  const create = useApiMutation({
    mutationFn: (name: string) => meApi.createToken(name),
    form,
    invalidate: [meKeys.tokens],
    onSuccess: (tok) => {
      setCreating(false);
      setCreated(tok);
      form.resetFields();
    },
  });
  const revoke = useApiMutation({
    mutationFn: (id: number) => meApi.revokeToken(id),
    success: t('me:revoked'),
    invalidate: [meKeys.tokens],
  });

  return (
    <Card
      title={t('me:tokens')}
      style={{ marginTop: 16 }}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('me:newToken')}
        </Button>
      }
    >
      {tokens.isError ? (
        <ErrorResult error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          size="small"
          data-testid="tokens-table"
          loading={tokens.isLoading}
          dataSource={tokens.data ?? []}
          pagination={false}
          columns={[
            { title: t('me:fields.name'), dataIndex: 'name' },
            { title: t('me:fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v) },
            {
              title: t('me:fields.last_used_at'),
              dataIndex: 'last_used_at',
              render: (v: string | null) => (v ? formatTime(v) : <Typography.Text type="secondary">{t('me:neverUsed')}</Typography.Text>),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, tok) => (
                <Popconfirm title={t('me:revokeTokenConfirm', { name: tok.name })} onConfirm={() => revoke.mutate(tok.id)}>
                  <Button type="link" danger size="small">
                    {t('me:revokeToken')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={creating}
        title={t('me:newToken')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="token" onFinish={(v) => create.mutate(v.name.trim())}>
          <Form.Item name="name" label={t('me:tokenName')} rules={[{ required: true, whitespace: true, message: t('me:tokenNameRequired') }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={created !== null}
        title={t('me:tokenCreatedTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('common.close')}
          </Button>
        }
      >
        <Typography.Paragraph type="warning">{t('me:tokenCreatedHint')}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: created?.token }} code data-testid="created-token">
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

export default function MePage() {
  return (
    <div>
      <MeCard />
      <PasswordCard />
      <SessionsCard />
      <TokensCard />
      <IcsFeedsCard />
    </div>
  );
}
