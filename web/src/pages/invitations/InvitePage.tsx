import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Result, Segmented, Space, Spin, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { invitationApi } from './api';
import { invitationKeys } from './queries';
import { qk } from '../../api/queries';
import { setCsrfToken } from '../../api/client';
import type { InvitationView, Me } from '../../api/types';
import { authApi } from '../auth/api';
import { rememberWorkspace, useMeQuery } from '../../auth/session';
import { formatTime } from '../../components/events';
import { setLocale, toLocale } from '../../i18n';
import { describeError } from '../../lib/errors';

interface RegisterForm {
  name: string;
  password: string;
  confirm: string;
}

/** The page an invitation link opens (`/invite/<secret>`), signed in or not. */
export default function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invitation = useQuery({ queryKey: invitationKeys.link(token), queryFn: () => invitationApi.open(token), retry: false });
  const signedIn = useMeQuery();
  const [mode, setMode] = useState<'new' | 'account'>('new');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const enter = async (me: Me, workspaceId: number) => {
    setCsrfToken(me.csrf_token);
    queryClient.clear();
    queryClient.setQueryData(qk.me, me);
    rememberWorkspace(workspaceId);
    await setLocale(toLocale(me.user.locale));
    navigate('/', { replace: true });
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  const register = (inv: InvitationView, v: RegisterForm) =>
    run(async () => enter(await invitationApi.register(token, { name: v.name.trim(), password: v.password }), inv.workspace_id));
  const accept = (inv: InvitationView) =>
    run(async () => {
      await invitationApi.accept(inv.id);
      rememberWorkspace(inv.workspace_id);
      await queryClient.invalidateQueries({ queryKey: qk.me });
      navigate('/', { replace: true });
    });
  const signOut = () =>
    run(async () => {
      await authApi.logout();
      setCsrfToken(null);
      queryClient.removeQueries({ queryKey: qk.me });
      await signedIn.refetch();
    });

  let body;
  if (invitation.isLoading || signedIn.isLoading) {
    body = <Spin size="large" />;
  } else if (!invitation.data) {
    body = (
      <Result
        status="warning"
        title={t('invitations:page.invalidTitle')}
        subTitle={describeError(invitation.error, t)}
        extra={<Link to="/login">{t('invitations:page.toLogin')}</Link>}
        data-testid="invitation-invalid"
      />
    );
  } else {
    const inv = invitation.data;
    const me = signedIn.data;
    const vars = { inviter: inv.invited_by_name, role: t(`roles.${inv.role}`), workspace: inv.workspace_name };
    body = (
      <Card style={{ width: 420 }} data-testid="invitation-card">
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('invitations:page.title', { workspace: inv.workspace_name })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {inv.invited_by_name ? t('invitations:banner', vars) : t('invitations:bannerNoInviter', vars)}
          <br />
          {t('invitations:page.forEmail', { email: inv.email })} · {t('invitations:page.expires', { time: formatTime(inv.expires_at) })}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} data-testid="invitation-error" />}
        {me && me.user.email === inv.email ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>{t('invitations:page.acceptAs', { name: me.user.name, email: me.user.email })}</Typography.Text>
            <Button type="primary" block loading={busy} onClick={() => void accept(inv)} data-testid="invitation-accept">
              {t('invitations:accept')}
            </Button>
          </Space>
        ) : me ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={t('invitations:page.otherUser', { email: inv.email, me: me.user.email })} />
            <Button block loading={busy} onClick={() => void signOut()}>
              {t('invitations:page.signOut')}
            </Button>
          </Space>
        ) : (
          <>
            <Segmented<'new' | 'account'>
              block
              value={mode}
              onChange={setMode}
              style={{ marginBottom: 16 }}
              options={[
                { value: 'new', label: t('invitations:page.newUser') },
                { value: 'account', label: t('invitations:page.haveAccount') },
              ]}
            />
            {mode === 'new' ? (
              <Form<RegisterForm> layout="vertical" name="register" requiredMark={false} onFinish={(v) => void register(inv, v)}>
                <Form.Item label={t('invitations:fields.email')}>
                  <Input value={inv.email} disabled />
                </Form.Item>
                <Form.Item name="name" label={t('invitations:fields.yourName')} rules={[{ required: true, whitespace: true, message: t('invitations:validation.yourName') }]}>
                  <Input prefix={<UserOutlined />} maxLength={50} autoComplete="name" />
                </Form.Item>
                <Form.Item name="password" label={t('invitations:fields.password')} rules={[{ required: true, min: 8, message: t('invitations:validation.password') }]}>
                  <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
                </Form.Item>
                <Form.Item
                  name="confirm"
                  label={t('invitations:fields.confirm')}
                  dependencies={['password']}
                  rules={[
                    { required: true, message: t('invitations:validation.confirm') },
                    ({ getFieldValue }) => ({
                      validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('invitations:validation.confirm')))),
                    }),
                  ]}
                >
                  <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="invitation-register">
                  {t('invitations:page.register')}
                </Button>
              </Form>
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text>{t('invitations:page.signInHint', { email: inv.email })}</Typography.Text>
                <Button type="primary" block onClick={() => navigate(`/login?next=${encodeURIComponent(`/invite/${token}`)}`)}>
                  {t('invitations:page.signIn')}
                </Button>
              </Space>
            )}
          </>
        )}
      </Card>
    );
  }
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: 'linear-gradient(135deg, #fff2e8 0%, #f0f5ff 100%)' }}>
      {body}
    </div>
  );
}
