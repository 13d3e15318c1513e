import { useEffect, useMemo } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Skeleton, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contentSettingsApi } from './api';
import { contentSettingsKeys, useContentSettings } from './queries';
import { contentKeys } from '../content/queries';
import type { ContentSettings, Member, Stage } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { MemberSelect } from '../../components/MemberSelect';
import { useApiMutation } from '../../lib/useApiMutation';
import {
  APPROVAL_MODES,
  APPROVAL_RULES,
  APPROVER_ROLES,
  formToSettings,
  settingsChanged,
  settingsToForm,
  STAGES,
  WIP_STAGES,
  type SettingsValues,
} from './settingsForm';

export const STAGE_NAME_MAX = 20;
export const WIP_MAX = 10_000;
export const MAX_STEPS = 5;
export const MAX_APPROVERS = 20;

const isApprover = (m: Member) => APPROVER_ROLES.includes(m.role);

function SettingsForm({ settings, manage }: { settings: ContentSettings; manage: boolean }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsValues>();
  const values = Form.useWatch([], form) as SettingsValues | undefined;
  const mode = Form.useWatch(['approval', 'mode'], form);
  const defaults = useMemo(() => Object.fromEntries(STAGES.map((s) => [s, t(`stages.${s}`)])) as Record<Stage, string>, [t]);
  const dirty = values ? settingsChanged(settings, values, defaults) : false;
  const renamed = (stage: Stage) => {
    const name = values?.stage_names?.[stage]?.trim();
    return Boolean(name) && name !== defaults[stage];
  };

  useEffect(() => {
    form.setFieldsValue(settingsToForm(settings));
  }, [settings, form]);

  const save = useApiMutation({
    mutationFn: (body: ContentSettings) => contentSettingsApi.update(wsId, body),
    form,
    success: t('content-settings:saved'),
    onSuccess: (updated) => queryClient.setQueryData(contentSettingsKeys.one(wsId), updated),
    // Column names, WIP limits and the approval flow show on the board.
    invalidate: [contentKeys.all(wsId)],
  });

  return (
    <Form<SettingsValues>
      form={form}
      layout="vertical"
      name="content_settings"
      disabled={!manage}
      initialValues={settingsToForm(settings)}
      onFinish={(v) => save.mutate(formToSettings(v, defaults))}
      style={{ maxWidth: 760 }}
    >
      <Typography.Title level={5}>{t('content-settings:columns')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('content-settings:columnsHelp')}</Typography.Paragraph>
      <Row gutter={16} style={{ fontWeight: 500, marginBottom: 8 }}>
        <Col span={6}>{t('content-settings:stage')}</Col>
        <Col span={10}>{t('content-settings:columnName')}</Col>
        <Col span={8}>{t('content-settings:wipLimit')}</Col>
      </Row>
      {STAGES.map((stage) => (
        <Row gutter={16} key={stage} align="top" data-testid={`stage-row-${stage}`}>
          <Col span={6} style={{ paddingTop: 5 }}>
            <Typography.Text>{defaults[stage]}</Typography.Text>
          </Col>
          <Col span={10}>
            <Form.Item
              name={['stage_names', stage]}
              rules={[{ max: STAGE_NAME_MAX, message: t('content-settings:validation.nameTooLong', { max: STAGE_NAME_MAX }) }]}
              extra={renamed(stage) ? t('content-settings:defaultName', { name: defaults[stage] }) : undefined}
              style={{ marginBottom: 12 }}
            >
              <Input
                aria-label={`${t('content-settings:columnName')} ${defaults[stage]}`}
                placeholder={t('content-settings:defaultName', { name: defaults[stage] })}
                maxLength={STAGE_NAME_MAX}
                autoComplete="off"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            {WIP_STAGES.includes(stage) ? (
              <Form.Item name={['wip_limits', stage]} style={{ marginBottom: 12 }}>
                <InputNumber
                  aria-label={`${t('content-settings:wipLimit')} ${defaults[stage]}`}
                  min={1}
                  max={WIP_MAX}
                  precision={0}
                  placeholder={t('content-settings:noLimit')}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            ) : (
              <Typography.Text type="secondary" style={{ display: 'inline-block', paddingTop: 5 }}>
                —
              </Typography.Text>
            )}
          </Col>
        </Row>
      ))}

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('content-settings:approval')}
      </Typography.Title>
      <Form.Item name={['approval', 'mode']} label={t('content-settings:mode')} extra={mode ? t(`content-settings:modeHints.${mode}`) : undefined}>
        <Radio.Group optionType="button" options={APPROVAL_MODES.map((m) => ({ value: m, label: t(`content-settings:modes.${m}`) }))} />
      </Form.Item>

      {mode === 'multi_level' && (
        <Form.List
          name={['approval', 'steps']}
          rules={[
            {
              validator: async (_, steps?: unknown[]) => {
                if (!steps || steps.length === 0) throw new Error(t('errors.approvalStepsRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="approval-steps">
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  type="inner"
                  title={t('content-settings:step', { n: index + 1 })}
                  style={{ marginBottom: 12 }}
                  extra={
                    manage && (
                      <Button
                        type="text"
                        danger
                        size="small"
                        icon={<DeleteOutlined />}
                        aria-label={t('content-settings:removeStep')}
                        onClick={() => remove(field.name)}
                      />
                    )
                  }
                >
                  <Row gutter={16}>
                    <Col span={12}>
                      <Form.Item
                        name={[field.name, 'name']}
                        label={t('content-settings:stepName')}
                        rules={[{ required: true, whitespace: true, message: t('content-settings:validation.stepName') }]}
                      >
                        <Input placeholder={t('content-settings:stepNamePlaceholder')} autoComplete="off" maxLength={40} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name={[field.name, 'rule']} label={t('content-settings:rule')} initialValue="any">
                        <Radio.Group options={APPROVAL_RULES.map((r) => ({ value: r, label: t(`content-settings:rules.${r}`) }))} />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item
                    name={[field.name, 'approver_ids']}
                    label={t('content-settings:approvers')}
                    extra={t('content-settings:approversHelp')}
                    rules={[{ required: true, type: 'array', min: 1, max: MAX_APPROVERS, message: t('errors.approversRequired') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <MemberSelect mode="multiple" include={isApprover} />
                  </Form.Item>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              {manage && fields.length < MAX_STEPS && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', rule: 'any', approver_ids: [] })} style={{ marginBottom: 24 }}>
                  {t('content-settings:addStep')}
                </Button>
              )}
            </div>
          )}
        </Form.List>
      )}

      {manage && (
        <Form.Item style={{ marginBottom: 0 }}>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!dirty}>
              {t('common.save')}
            </Button>
            <Button htmlType="button" disabled={!dirty} onClick={() => form.setFieldsValue(settingsToForm(settings))}>
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
      )}
    </Form>
  );
}

export default function ContentSettingsPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const settings = useContentSettings(wsId);
  const manage = can('workspace.manage');

  return (
    <Card title={t('content-settings:title')}>
      {settings.isError ? (
        <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.data ? (
        <>
          {!manage && <Alert type="info" showIcon title={t('content-settings:readOnly')} style={{ marginBottom: 24, maxWidth: 760 }} />}
          <SettingsForm settings={settings.data} manage={manage} />
        </>
      ) : (
        <Skeleton active />
      )}
    </Card>
  );
}
