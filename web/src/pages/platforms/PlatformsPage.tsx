import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Switch, Table, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi } from '../../api/endpoints';
import { qk, usePlatforms } from '../../api/queries';
import type { Platform } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { applyApiError } from '../../components/formErrors';
import { describeError } from '../../lib/errors';

export const PLATFORM_CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

function PlatformModal({ platform, open, onClose }: { platform?: Platform; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ code: string; name: string }>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (platform) form.setFieldsValue({ code: platform.code, name: platform.name });
  }, [open, platform, form]);

  const save = useMutation({
    mutationFn: (v: { code: string; name: string }) =>
      platform ? platformApi.update(wsId, platform.code, { name: v.name }) : platformApi.create(wsId, v),
    onSuccess: () => {
      void message.success(platform ? t('platforms.saved') : t('platforms.created'));
      void queryClient.invalidateQueries({ queryKey: qk.platforms(wsId) });
      onClose();
    },
    onError: (e) => {
      const f = applyApiError(form, e, t);
      if (f.kind === 'other') void message.error(f.text);
    },
  });

  return (
    <Modal
      open={open}
      title={platform ? t('platforms.rename') : t('platforms.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="platform" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="code"
          label={t('platforms.fields.code')}
          extra={platform ? undefined : t('platforms.codeHelp')}
          rules={[{ required: true, pattern: PLATFORM_CODE_PATTERN, message: t('platforms.validation.code') }]}
        >
          <Input disabled={Boolean(platform)} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('platforms.fields.name')} rules={[{ required: true, whitespace: true, message: t('platforms.validation.name') }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function PlatformsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { wsId, can } = useSession();
  const queryClient = useQueryClient();
  const platforms = usePlatforms(wsId);
  const manage = can('platforms.manage');
  const [editing, setEditing] = useState<{ open: boolean; platform?: Platform }>({ open: false });

  const toggle = useMutation({
    mutationFn: (p: Platform) => platformApi.update(wsId, p.code, { active: !p.active }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: qk.platforms(wsId) }),
    onError: (e) => void message.error(describeError(e, t)),
  });

  const columns: TableColumnsType<Platform> = [
    { title: t('platforms.fields.name'), dataIndex: 'name' },
    { title: t('platforms.fields.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
    {
      title: t('platforms.fields.active'),
      dataIndex: 'active',
      width: 100,
      render: (_, p) => (
        <Switch
          checked={p.active}
          disabled={!manage}
          loading={toggle.isPending && toggle.variables?.code === p.code}
          aria-label={`${t('platforms.fields.active')} ${p.name}`}
          onChange={() => toggle.mutate(p)}
        />
      ),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, p: Platform) => (
              <Button type="link" size="small" onClick={() => setEditing({ open: true, platform: p })}>
                {t('platforms.rename')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('platforms.title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
            {t('platforms.add')}
          </Button>
        )
      }
    >
      {platforms.isError ? (
        <ErrorResult error={platforms.error} onRetry={() => void platforms.refetch()} />
      ) : (
        <Table<Platform>
          rowKey="code"
          size="middle"
          data-testid="platforms-table"
          loading={platforms.isLoading}
          dataSource={(platforms.data ?? []).slice().sort((a, b) => a.position - b.position)}
          columns={columns}
          pagination={false}
        />
      )}
      <PlatformModal platform={editing.platform} open={editing.open} onClose={() => setEditing({ open: false })} />
    </Card>
  );
}
