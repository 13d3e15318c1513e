import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { qk } from '../../api/queries';
import { authApi } from './api';
import { meApi } from '../me/api';
import { setCsrfToken } from '../../api/client';
import type { Locale } from '../../api/types';
import { LOCALES, setLocale, toLocale } from '../../i18n';
import { describeError } from '../../lib/errors';
import { useMeQuery } from '../../auth/session';

interface LoginForm {
  email: string;
  password: string;
}

/** Only same-site paths are accepted as a post-login destination; everyone else lands on their home page. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/home';
}

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // A language chosen here is the user's from now on: it is kept after signing in.
  const [picked, setPicked] = useState<Locale | null>(null);
  const signedIn = useMeQuery();

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const me = await authApi.login(values);
      setCsrfToken(me.csrf_token);
      queryClient.clear();
      queryClient.setQueryData(qk.me, me);
      if (picked && picked !== toLocale(me.user.locale)) {
        await setLocale(picked);
        queryClient.setQueryData(qk.me, await meApi.update({ locale: picked }));
      } else {
        await setLocale(toLocale(me.user.locale));
      }
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSubmitting(false);
    }
  };

  // Someone who is already signed in goes straight on.
  if (signedIn.data && !submitting) return <Navigate to={safeNext(params.get('next'))} replace />;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(135deg, #fff2e8 0%, #f0f5ff 100%)',
      }}
    >
      <Card style={{ width: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Segmented<Locale>
            size="small"
            aria-label={t('app.language')}
            value={i18n.language as Locale}
            options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
            onChange={(l) => {
              setPicked(l);
              void setLocale(l);
            }}
          />
        </div>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          {t('auth:title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('auth:subtitle')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false} name="login">
          <Form.Item
            label={t('auth:email')}
            name="email"
            rules={[
              { required: true, message: t('auth:emailRequired') },
              { type: 'email', message: t('auth:emailInvalid') },
            ]}
          >
            <Input prefix={<MailOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('auth:password')} name="password" rules={[{ required: true, message: t('auth:passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            {t('auth:submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
