import { useEffect } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Channel, ChannelKind } from '../../api/types';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';
import { notificationApi } from './api';
import { CHANNEL_KINDS, channelDraft, channelPatch, channelValues, DEFAULT_PORTS, needsSecret, needsUrl, SMTP_SECURITIES, type ChannelValues } from './channelForm';
import { notificationKeys } from './queries';

const HTTP_URL = /^https?:\/\/\S+$/i;

/** The address and secret of a bot or webhook. */
function WebhookFields({ kind, secretSet }: { kind: Exclude<ChannelKind, 'email'>; secretSet: boolean }) {
  const { t } = useTranslation();
  const urlRequired = needsUrl(kind);
  return (
    <>
      {kind === 'wecom' && <SecretField kind={kind} secretSet={secretSet} />}
      <Form.Item
        name="url"
        label={t(`notifications:channels.url.${kind}`)}
        extra={t(`notifications:channels.urlHelp.${kind}`)}
        rules={[
          { required: urlRequired, whitespace: true, message: t('notifications:channels.validation.url') },
          { pattern: HTTP_URL, message: t('notifications:channels.validation.urlFormat') },
        ]}
      >
        <Input autoComplete="off" placeholder="https://" />
      </Form.Item>
      {kind !== 'wecom' && <SecretField kind={kind} secretSet={secretSet} />}
      {kind === 'webhook' && <Alert type="info" showIcon title={t('notifications:channels.webhookSignature')} data-testid="webhook-signature-help" />}
    </>
  );
}

/** A write-only secret: a stored one shows as set and is kept when the input stays empty. */
function SecretField({ kind, secretSet }: { kind: ChannelKind; secretSet: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="secret"
      label={t(`notifications:channels.secret.${kind}`)}
      extra={t(`notifications:channels.secretHelp.${kind}`)}
      rules={[{ required: needsSecret(kind) && !secretSet, whitespace: true, message: t('notifications:channels.validation.secret') }]}
    >
      <Input.Password autoComplete="new-password" placeholder={secretSet ? t('notifications:channels.secretKeep') : undefined} visibilityToggle />
    </Form.Item>
  );
}

function EmailFields({ secretSet }: { secretSet: boolean }) {
  const { t } = useTranslation();
  const security = Form.useWatch('smtp_security') ?? 'starttls';
  return (
    <>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item
          name="smtp_host"
          label={t('notifications:channels.smtpHost')}
          style={{ flex: 1 }}
          rules={[{ required: true, whitespace: true, message: t('notifications:channels.validation.smtpHost') }]}
        >
          <Input autoComplete="off" placeholder="smtp.exmail.qq.com" />
        </Form.Item>
        <Form.Item name="smtp_port" label={t('notifications:channels.smtpPort')} tooltip={t('notifications:channels.smtpPortHelp')}>
          <InputNumber min={1} max={65535} precision={0} placeholder={String(DEFAULT_PORTS[security as keyof typeof DEFAULT_PORTS])} style={{ width: 110 }} />
        </Form.Item>
      </div>
      <Form.Item name="smtp_security" label={t('notifications:channels.smtpSecurity')}>
        <Select options={SMTP_SECURITIES.map((s) => ({ value: s, label: t(`notifications:smtpSecurity.${s}`) }))} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item name="smtp_user" label={t('notifications:channels.smtpUser')} style={{ flex: 1 }}>
          <Input autoComplete="off" />
        </Form.Item>
        <div style={{ flex: 1 }}>
          <SecretField kind="email" secretSet={secretSet} />
        </div>
      </div>
      <Form.Item
        name="from"
        label={t('notifications:channels.from')}
        rules={[{ required: true, whitespace: true, message: t('notifications:channels.validation.from') }]}
      >
        <Input autoComplete="off" placeholder={t('notifications:channels.fromPlaceholder')} />
      </Form.Item>
      <Form.Item name="to" label={t('notifications:channels.to')} extra={t('notifications:channels.toHelp')}>
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ';', ' ']} />
      </Form.Item>
    </>
  );
}

/** Creates a channel or edits one; the fields follow the kind. */
export function ChannelModal({ row, open, onClose }: { row?: Channel; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<ChannelValues>();
  const kind: ChannelKind = Form.useWatch('kind', form) ?? row?.kind ?? 'feishu';
  const secretSet = !!row?.secret_set;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(channelValues(row));
  }, [open, row, form]);

  const save = useApiMutation({
    mutationFn: async (v: ChannelValues) => {
      if (!row) return notificationApi.createChannel(wsId, channelDraft(v));
      const patch = channelPatch(row, v);
      return Object.keys(patch).length > 0 ? notificationApi.updateChannel(wsId, row.id, patch) : row;
    },
    form,
    // `config.url` → `url`, `config.to.2` → `to`.
    mapField: (field) => field.replace(/^config\./, '').replace(/^to\.\d+$/, 'to'),
    success: row ? t('notifications:channels.saved') : t('notifications:channels.created'),
    invalidate: [notificationKeys.channels(wsId)],
    onSuccess: onClose,
  });

  return (
    <Modal
      open={open}
      title={row ? t('notifications:channels.edit') : t('notifications:channels.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      data-testid="channel-modal"
    >
      <Form<ChannelValues> form={form} layout="vertical" name="notification_channel" onFinish={(v) => save.mutate(v)}>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item
            name="name"
            label={t('notifications:channels.fields.name')}
            style={{ flex: 1 }}
            rules={[{ required: true, whitespace: true, message: t('notifications:channels.validation.name') }]}
          >
            <Input maxLength={60} placeholder={t('notifications:channels.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="kind" label={t('notifications:channels.fields.kind')} style={{ width: 180 }}>
            <Select disabled={!!row} options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`notifications:channelKinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="enabled" label={t('notifications:channels.fields.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
        {kind === 'email' ? <EmailFields secretSet={secretSet} /> : <WebhookFields kind={kind} secretSet={secretSet} />}
      </Form>
    </Modal>
  );
}
