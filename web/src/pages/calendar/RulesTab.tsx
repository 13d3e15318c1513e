import { useEffect, type ReactNode } from 'react';
import { Button, Checkbox, Col, Form, InputNumber, Row, Segmented, Select, Skeleton, Space, TimePicker, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { TIERS } from '../../components/tags';
import { useApiMutation } from '../../lib/useApiMutation';
import { usePlatforms } from '../platforms/queries';
import { calendarApi } from './api';
import { calendarKeys, rulesQuery } from './queries';
import { clock, DEFAULT_RULES, RULE_KEYS, RULE_MODES, rulesBody, rulesFormField, rulesFormValues, type RulesFormValues } from './settingsForms';

function ModeSwitch({ rule }: { rule: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={[rule, 'mode']} noStyle>
      <Segmented
        data-testid={`rule-${rule}-mode`}
        aria-label={t(`calendar:rules.${rule}.name`)}
        options={RULE_MODES.map((m) => ({ value: m, label: t(`calendar:rules.modes.${m}`) }))}
      />
    </Form.Item>
  );
}

function Num({ path, min, max, unit }: { path: [string, string]; min: number; max: number; unit: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={path} noStyle rules={[{ required: true, message: t('calendar:rules.required') }]}>
      <InputNumber
        min={min}
        max={max}
        precision={0}
        suffix={unit}
        style={{ width: 130 }}
        aria-label={`${t(`calendar:rules.${path[0]}.name`)} (${unit})`}
        data-testid={`rule-${path.join('-')}`}
      />
    </Form.Item>
  );
}

/** One rule: its name and what it checks, its mode, its numbers. */
function RuleRow({ rule, children }: { rule: (typeof RULE_KEYS)[number]; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 8]} align="middle" className="kox-rule-row" data-testid={`rule-${rule}`} style={{ padding: '12px 0', borderBottom: '1px solid #f0f0f0' }}>
      <Col xs={24} md={9}>
        <Typography.Text strong>{t(`calendar:rules.${rule}.name`)}</Typography.Text>
        <br />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`calendar:rules.${rule}.help`)}
        </Typography.Text>
      </Col>
      <Col xs={24} md={6}>
        <ModeSwitch rule={rule} />
      </Col>
      <Col xs={24} md={9}>
        {children}
      </Col>
    </Row>
  );
}

function QuietWindows() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  return (
    <Form.List name={['quiet_hours', 'windows']}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          {fields.map((f) => (
            <Space key={f.key} wrap size={4} data-testid="quiet-window">
              <Form.Item name={[f.name, 'platform']} noStyle>
                <Select
                  allowClear
                  style={{ width: 120 }}
                  placeholder={t('calendar:rules.quiet_hours.allPlatforms')}
                  aria-label={t('calendar:rules.quiet_hours.platform')}
                  options={(platforms.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'start']} noStyle rules={[{ required: true, message: t('calendar:rules.required') }]}>
                <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: 90 }} aria-label={t('calendar:rules.quiet_hours.start')} />
              </Form.Item>
              <span>–</span>
              <Form.Item name={[f.name, 'end']} noStyle rules={[{ required: true, message: t('calendar:rules.required') }]}>
                <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: 90 }} aria-label={t('calendar:rules.quiet_hours.end')} />
              </Form.Item>
              <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(f.name)} />
            </Space>
          ))}
          <Button size="small" icon={<PlusOutlined />} onClick={() => add({ platform: null, start: clock('01:00'), end: clock('07:00') })} data-testid="quiet-window-add">
            {t('calendar:rules.quiet_hours.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

/** The conflict rules: each off, warn or block, with its numbers. */
export function RulesTab() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const rules = useQuery(rulesQuery(wsId));
  const [form] = Form.useForm<RulesFormValues>();

  useEffect(() => {
    if (rules.data) form.setFieldsValue(rulesFormValues(rules.data));
  }, [rules.data, form]);

  const save = useApiMutation({
    mutationFn: (v: RulesFormValues) => calendarApi.saveRules(wsId, rulesBody(v)),
    form,
    mapField: rulesFormField,
    success: t('calendar:rules.saved'),
    invalidate: [calendarKeys.rules(wsId), calendarKeys.shown(wsId)],
  });

  if (rules.isError) return <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />;
  if (!rules.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const h = t('calendar:units.hours');
  return (
    <Form<RulesFormValues> form={form} name="schedule_rules" initialValues={rulesFormValues(rules.data)} onFinish={(v) => save.mutate(v)}>
      <Typography.Paragraph type="secondary">{t('calendar:rules.intro')}</Typography.Paragraph>
      <RuleRow rule="min_gap">
        <Num path={['min_gap', 'hours']} min={1} max={168} unit={h} />
      </RuleRow>
      <RuleRow rule="account_daily">
        <Num path={['account_daily', 'max']} min={1} max={100} unit={t('calendar:units.posts')} />
      </RuleRow>
      <RuleRow rule="platform_daily">
        <Num path={['platform_daily', 'max']} min={1} max={100000} unit={t('calendar:units.posts')} />
      </RuleRow>
      <RuleRow rule="quiet_hours">
        <QuietWindows />
      </RuleRow>
      <RuleRow rule="embargo" />
      <RuleRow rule="topic_spacing">
        <Space wrap>
          <Num path={['topic_spacing', 'accounts']} min={1} max={10000} unit={t('calendar:units.accounts')} />
          <Num path={['topic_spacing', 'hours']} min={1} max={168} unit={h} />
        </Space>
      </RuleRow>
      <RuleRow rule="after_due" />
      <RuleRow rule="unapproved">
        <Num path={['unapproved', 'hours']} min={1} max={720} unit={h} />
      </RuleRow>
      <RuleRow rule="past_slot" />
      <RuleRow rule="holiday">
        <Form.Item name={['holiday', 'tiers']} noStyle>
          <Checkbox.Group options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))} aria-label={t('calendar:rules.holiday.tiers')} />
        </Form.Item>
      </RuleRow>
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rules-save">
          {t('common.save')}
        </Button>
        <Button onClick={() => form.setFieldsValue(rulesFormValues(DEFAULT_RULES))}>{t('calendar:rules.defaults')}</Button>
      </Space>
    </Form>
  );
}
