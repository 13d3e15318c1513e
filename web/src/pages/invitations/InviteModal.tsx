import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Result, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { invitationApi } from './api';
import { invitationKeys } from './queries';
import type { CreatedInvitation, Group, InvitationInput, Role } from '../../api/types';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';

export const ROLES: Role[] = ['admin', 'director', 'editor', 'planner', 'operator', 'analyst', 'media', 'viewer'];
export const GROUPS: Group[] = ['strategy', 'content_hub', 'operations', 'data_support'];

/** Invites a person by e-mail, then shows the link once for the admin to send. */
export function InviteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<InvitationInput>();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const create = useApiMutation({
    mutationFn: (v: InvitationInput) => invitationApi.create(wsId, v),
    form,
    invalidate: [invitationKeys.all(wsId)],
    onSuccess: (data) => setCreated(data),
  });
  const close = () => {
    setCreated(null);
    form.resetFields();
    onClose();
  };
  const link = created ? `${window.location.origin}${created.link}` : '';
  return (
    <Modal
      open={open}
      title={t('invitations:invite')}
      onCancel={close}
      destroyOnHidden
      footer={
        created ? (
          <Button type="primary" onClick={close}>
            {t('invitations:done')}
          </Button>
        ) : (
          [
            <Button key="cancel" onClick={close}>
              {t('common.cancel')}
            </Button>,
            <Button key="ok" type="primary" loading={create.isPending} onClick={() => form.submit()}>
              {t('invitations:send')}
            </Button>,
          ]
        )
      }
    >
      {created ? (
        <Result
          status="success"
          title={t('invitations:created')}
          subTitle={created.invitation.email}
          extra={
            <div style={{ textAlign: 'left' }}>
              <Alert type="info" showIcon title={t('invitations:linkOnce')} style={{ marginBottom: 12 }} />
              <Typography.Paragraph copyable={{ text: link }} code data-testid="invitation-link" style={{ wordBreak: 'break-all' }}>
                {link}
              </Typography.Paragraph>
            </div>
          }
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('invitations:inviteHint')}</Typography.Paragraph>
          <Form<InvitationInput>
            form={form}
            layout="vertical"
            name="invitation"
            initialValues={{ role: 'operator', group: 'operations' }}
            onFinish={(v) => create.mutate(v)}
          >
            <Form.Item name="email" label={t('invitations:fields.email')} rules={[{ required: true, type: 'email', message: t('invitations:validation.email') }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="name" label={t('invitations:fields.name')} rules={[{ required: true, whitespace: true, message: t('invitations:validation.name') }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="role" label={t('invitations:fields.role')} rules={[{ required: true, message: t('invitations:validation.role') }]}>
              <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
            </Form.Item>
            <Form.Item name="group" label={t('invitations:fields.group')} rules={[{ required: true, message: t('invitations:validation.group') }]}>
              <Select options={GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
