import { useEffect, useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contentKeys } from '../content/queries';
import { platformApi } from './api';
import { platformKeys, usePlatforms } from './queries';
import type { Platform } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { normalizeUrlPattern, platformPatch, platformValues, URL_PATTERN, type PlatformValues } from './platformForm';

export const PLATFORM_CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

function PlatformModal({ platform, open, onClose }: { platform?: Platform; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<PlatformValues>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(platformValues(platform));
  }, [open, platform, form]);

  const save = useApiMutation({
    mutationFn: async (v: PlatformValues) => {
      if (!platform) return platformApi.create(wsId, { code: v.code, name: v.name });
      const patch = platformPatch(platform, v);
      return Object.keys(patch).length > 0 ? platformApi.update(wsId, platform.code, patch) : platform;
    },
    form,
    // `url_patterns.1` points at one tag of the link rules input.
    mapField: (field) => field.replace(/^url_patterns\.\d+$/, 'url_patterns'),
    success: platform ? t('platforms:saved') : t('platforms:created'),
    // Length limits and link rules feed the content checks on the board.
    invalidate: platform ? [platformKeys.all(wsId), contentKeys.all(wsId)] : [platformKeys.all(wsId)],
    onSuccess: onClose,
  });

  return (
    <Modal
      open={open}
      title={platform ? t('platforms:edit') : t('platforms:add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="platform" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="code"
          label={t('platforms:fields.code')}
          extra={platform ? undefined : t('platforms:codeHelp')}
          rules={[{ required: true, pattern: PLATFORM_CODE_PATTERN, message: t('platforms:validation.code') }]}
        >
          <Input disabled={Boolean(platform)} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('platforms:fields.name')} rules={[{ required: true, whitespace: true, message: t('platforms:validation.name') }]}>
          <Input />
        </Form.Item>
        {platform && (
          <>
            <Typography.Title level={5}>{t('platforms:publishRules')}</Typography.Title>
            <Space size="large" align="start">
              <Form.Item name="title_max" label={t('platforms:fields.title_max')}>
                <InputNumber min={1} max={100000} precision={0} placeholder={t('platforms:unlimited')} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="body_max" label={t('platforms:fields.body_max')}>
                <InputNumber min={1} max={100000} precision={0} placeholder={t('platforms:unlimited')} style={{ width: 160 }} />
              </Form.Item>
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
              {t('platforms:limitHelp')}
            </Typography.Paragraph>
            <Form.Item
              name="url_patterns"
              label={t('platforms:fields.url_patterns')}
              extra={t('platforms:urlPatternsHelp')}
              normalize={(v: string[] | undefined) => (v ?? []).map(normalizeUrlPattern).filter(Boolean)}
              rules={[
                {
                  validator: async (_, v?: string[]) => {
                    if ((v ?? []).some((p) => !URL_PATTERN.test(p))) throw new Error(t('errors.urlPattern'));
                  },
                },
              ]}
            >
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} placeholder={t('platforms:unlimited')} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

export default function PlatformsPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const platforms = usePlatforms(wsId);
  const manage = can('platforms.manage');
  const [editing, setEditing] = useState<{ open: boolean; platform?: Platform }>({ open: false });

  const toggle = useApiMutation({
    mutationFn: (p: Platform) => platformApi.update(wsId, p.code, { active: !p.active }),
    invalidate: [platformKeys.all(wsId)],
  });

  const columns: TableColumnsType<Platform> = [
    { title: t('platforms:fields.name'), dataIndex: 'name' },
    { title: t('platforms:fields.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
    {
      title: t('platforms:fields.title_max'),
      dataIndex: 'title_max',
      width: 120,
      render: (n: number | null) => n ?? <Typography.Text type="secondary">{t('platforms:unlimited')}</Typography.Text>,
    },
    {
      title: t('platforms:fields.body_max'),
      dataIndex: 'body_max',
      width: 120,
      render: (n: number | null) => n ?? <Typography.Text type="secondary">{t('platforms:unlimited')}</Typography.Text>,
    },
    {
      title: t('platforms:fields.url_patterns'),
      dataIndex: 'url_patterns',
      render: (list: string[] | undefined) =>
        list && list.length > 0 ? (
          <Space size={[0, 4]} wrap>
            {list.map((u) => (
              <Tag key={u}>{u}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('platforms:unlimited')}</Typography.Text>
        ),
    },
    {
      title: t('platforms:fields.active'),
      dataIndex: 'active',
      width: 100,
      render: (_, p) => (
        <Switch
          checked={p.active}
          disabled={!manage}
          loading={toggle.isPending && toggle.variables?.code === p.code}
          aria-label={`${t('platforms:fields.active')} ${p.name}`}
          onChange={() => toggle.mutate(p)}
        />
      ),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, p: Platform) => (
              <Button type="link" size="small" onClick={() => setEditing({ open: true, platform: p })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('platforms:title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
            {t('platforms:add')}
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
