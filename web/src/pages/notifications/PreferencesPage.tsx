import { Alert, Button, Card, Checkbox, Divider, Form, Input, Skeleton, Space, Table, TimePicker, Typography, type TableColumnsType } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { NotificationKind } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { notificationApi } from './api';
import {
  formatClock,
  mobileValid,
  openIdValid,
  preferencesBody,
  preferenceValues,
  quietPeriodError,
  toggleKind,
  type KindChoice,
  type PreferenceValues,
} from './preferences';
import { notificationKeys, preferencesQuery } from './queries';
import { KINDS } from './text';

const WAYS = ['in_app', 'email'] as const;

/** Kinds × (站内, 邮件) checkboxes; a header box turns a whole column on or off. */
function KindMatrix({ value, onChange }: { value?: KindChoice; onChange?: (v: KindChoice) => void }) {
  const { t } = useTranslation();
  const choice = value ?? { in_app: [], email: [] };
  const column = (way: (typeof WAYS)[number]): TableColumnsType<NotificationKind>[number] => {
    const count = choice[way].length;
    return {
      key: way,
      width: 110,
      align: 'center',
      title: (
        <Checkbox
          checked={count === KINDS.length}
          indeterminate={count > 0 && count < KINDS.length}
          onChange={(e) => onChange?.({ ...choice, [way]: e.target.checked ? [...KINDS] : [] })}
          aria-label={`${t(`notifications:prefs.${way}`)} ${t('notifications:prefs.all')}`}
        >
          {t(`notifications:prefs.${way}`)}
        </Checkbox>
      ),
      render: (_, kind) => (
        <Checkbox
          checked={choice[way].includes(kind)}
          onChange={(e) => onChange?.(toggleKind(choice, way, kind, e.target.checked))}
          aria-label={`${t(`notifications:kinds.${kind}`)} ${t(`notifications:prefs.${way}`)}`}
        />
      ),
    };
  };
  return (
    <Table<NotificationKind>
      rowKey={(k) => k}
      size="small"
      pagination={false}
      dataSource={[...KINDS]}
      data-testid="notification-kinds"
      columns={[
        {
          key: 'kind',
          title: t('notifications:prefs.kind'),
          render: (_, kind) => (
            <Space orientation="vertical" size={0}>
              <Typography.Text>{t(`notifications:kinds.${kind}`)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`notifications:kindHints.${kind}`)}
              </Typography.Text>
            </Space>
          ),
        },
        column('in_app'),
        column('email'),
      ]}
    />
  );
}

function PreferencesForm({ initial }: { initial: PreferenceValues }) {
  const { t } = useTranslation();
  const { wsId, me } = useSession();
  const [form] = Form.useForm<PreferenceValues>();
  const save = useApiMutation({
    mutationFn: (v: PreferenceValues) => notificationApi.setPreferences(wsId, me.user.id, preferencesBody(v)),
    form,
    mapField: (f) => (f === 'in_app' || f === 'email' ? 'kinds' : f),
    success: t('notifications:prefs.saved'),
    invalidate: [notificationKeys.preferences(wsId, me.user.id)],
  });
  const quietRule = (field: 'quiet_from' | 'quiet_until') => ({
    validator: async () => {
      const err = quietPeriodError(formatClock(form.getFieldValue('quiet_from')), formatClock(form.getFieldValue('quiet_until')));
      if (err?.field === field) throw new Error(err.reason === 'same' ? t('notifications:prefs.quietSame') : t('notifications:prefs.quietMissing'));
    },
  });

  return (
    <Form<PreferenceValues> form={form} layout="vertical" name="notification_preferences" initialValues={initial} onFinish={(v) => save.mutate(v)}>
      <Form.Item name="kinds" extra={t('notifications:prefs.emailHelp', { email: me.user.email })}>
        <KindMatrix />
      </Form.Item>
      <Divider titlePlacement="start">{t('notifications:prefs.quiet')}</Divider>
      <Typography.Paragraph type="secondary">{t('notifications:prefs.quietHelp')}</Typography.Paragraph>
      <Space wrap align="start">
        <Form.Item name="quiet_from" label={t('notifications:prefs.quietFrom')} dependencies={['quiet_until']} rules={[quietRule('quiet_from')]}>
          <TimePicker format="HH:mm" minuteStep={5} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="quiet_until" label={t('notifications:prefs.quietUntil')} dependencies={['quiet_from']} rules={[quietRule('quiet_until')]}>
          <TimePicker format="HH:mm" minuteStep={5} style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Divider titlePlacement="start">{t('notifications:prefs.mentionTitle')}</Divider>
      <Typography.Paragraph type="secondary">{t('notifications:prefs.mentionHelp')}</Typography.Paragraph>
      <Space wrap align="start" size="large">
        <Form.Item
          name="mobile"
          label={t('notifications:prefs.mobile')}
          extra={t('notifications:prefs.mobileHelp')}
          rules={[{ validator: async (_, v?: string) => (mobileValid(v) ? undefined : Promise.reject(new Error(t('notifications:prefs.mobileInvalid')))) }]}
          style={{ width: 320 }}
        >
          <Input autoComplete="tel" placeholder="13800138000" maxLength={24} />
        </Form.Item>
        <Form.Item
          name="feishu_open_id"
          label={t('notifications:prefs.openId')}
          extra={t('notifications:prefs.openIdHelp')}
          rules={[{ validator: async (_, v?: string) => (openIdValid(v) ? undefined : Promise.reject(new Error(t('notifications:prefs.openIdInvalid')))) }]}
          style={{ width: 320 }}
        >
          <Input autoComplete="off" placeholder="ou_…" maxLength={64} />
        </Form.Item>
      </Space>
      <Form.Item style={{ marginTop: 8, marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="preferences-save">
          {t('common.save')}
        </Button>
      </Form.Item>
    </Form>
  );
}

export default function PreferencesPage() {
  const { t } = useTranslation();
  const { wsId, me } = useSession();
  const prefs = useQuery(preferencesQuery(wsId, me.user.id));
  const test = useApiMutation({ mutationFn: () => notificationApi.sendTest(wsId), success: t('notifications:prefs.testSent') });

  return (
    <Card
      title={t('notifications:prefs.title')}
      style={{ maxWidth: 960 }}
      extra={
        <Button icon={<SendOutlined />} onClick={() => test.mutate()} loading={test.isPending} data-testid="notifications-send-test">
          {t('notifications:prefs.sendTest')}
        </Button>
      }
    >
      <Alert type="info" showIcon title={t('notifications:prefs.intro')} style={{ marginBottom: 16 }} />
      {prefs.isError ? (
        <ErrorResult error={prefs.error} onRetry={() => void prefs.refetch()} />
      ) : prefs.data ? (
        <PreferencesForm initial={preferenceValues(prefs.data)} />
      ) : (
        <Skeleton active />
      )}
    </Card>
  );
}
