import { useEffect, useRef } from 'react';
import { Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { GetRef, InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { TIERS } from '../../components/tags';
import { useApiMutation } from '../../lib/useApiMutation';
import { usePlatforms } from '../platforms/queries';
import { calendarApi } from './api';
import {
  delayMinutes,
  insertAt,
  MAX_DELAY_MINUTES,
  orderDraft,
  orderFormField,
  orderFormValues,
  PLACEHOLDERS,
  token,
  unknownPlaceholders,
  type DelayUnit,
  type OrderFormValues,
} from './orders';
import { calendarKeys } from './queries';
import type { CoordinationOrder } from './types';

const UNITS: DelayUnit[] = ['minutes', 'hours', 'days'];

/** Which accounts: tiers, platforms, account tags (empty = any). */
function SpecFields({ path }: { path: (string | number)[] }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  return (
    <Row gutter={8}>
      <Col span={8}>
        <Form.Item name={[...path, 'tiers']} label={t('calendar:orders.spec.tiers')}>
          <Select mode="multiple" allowClear placeholder={t('calendar:orders.spec.any')} options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[...path, 'platforms']} label={t('calendar:orders.spec.platforms')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('calendar:orders.spec.any')}
            options={(platforms.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[...path, 'account_tags']} label={t('calendar:orders.spec.tags')} tooltip={t('calendar:orders.spec.tagsHelp')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} placeholder={t('calendar:orders.spec.any')} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** A template input with a button per placeholder that inserts it at the caret. */
function TemplateInput({ value = '', onChange, multiline, testId }: { value?: string; onChange?: (v: string) => void; multiline?: boolean; testId: string }) {
  const { t } = useTranslation();
  const area = useRef<GetRef<typeof Input.TextArea>>(null);
  const line = useRef<InputRef>(null);
  const element = (): HTMLInputElement | HTMLTextAreaElement | null | undefined =>
    multiline ? area.current?.resizableTextArea?.textArea : line.current?.input;

  const insert = (p: string) => {
    const el = element();
    const next = insertAt(value, el?.selectionStart ?? null, el?.selectionEnd ?? null, token(p));
    onChange?.(next.text);
    // Put the caret after the placeholder once React has written the new text.
    requestAnimationFrame(() => {
      const e = element();
      e?.focus();
      e?.setSelectionRange(next.caret, next.caret);
    });
  };

  return (
    <>
      {multiline ? (
        <Input.TextArea ref={area} value={value} onChange={(e) => onChange?.(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} data-testid={testId} />
      ) : (
        <Input ref={line} value={value} onChange={(e) => onChange?.(e.target.value)} maxLength={200} data-testid={testId} />
      )}
      <Space size={[4, 4]} wrap style={{ marginTop: 6 }}>
        {PLACEHOLDERS.map((p) => (
          <Tooltip key={p} title={token(p)}>
            <Button size="small" onClick={() => insert(p)} data-testid={`${testId}-insert-${p}`}>
              {t(`calendar:orders.placeholders.${p.replace('.', '_')}`)}
            </Button>
          </Tooltip>
        ))}
      </Space>
    </>
  );
}

const noUnknownPlaceholders = (message: (names: string) => string) => ({
  validator: (_: unknown, v: string | undefined) => {
    const bad = unknownPlaceholders(v ?? '');
    return bad.length ? Promise.reject(new Error(message(bad.map(token).join(' ')))) : Promise.resolve();
  },
});

export function OrderModal({ campaignId, row, open, onClose }: { campaignId: number; row?: CoordinationOrder; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<OrderFormValues>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(orderFormValues(row));
  }, [open, row, form]);

  const save = useApiMutation({
    mutationFn: (v: OrderFormValues) => {
      const body = orderDraft(campaignId, v);
      return row ? calendarApi.updateOrder(wsId, row.id, body) : calendarApi.createOrder(wsId, body);
    },
    form,
    mapField: orderFormField,
    success: row ? t('calendar:orders.saved') : t('calendar:orders.created'),
    invalidate: [calendarKeys.orders(wsId)],
    onSuccess: onClose,
  });

  const unknown = (names: string) => t('calendar:orders.validation.unknownPlaceholder', { names });
  return (
    <Modal
      open={open}
      title={row ? t('calendar:orders.edit') : t('calendar:orders.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={760}
      destroyOnHidden
      data-testid="order-modal"
    >
      <Form<OrderFormValues> form={form} layout="vertical" name="coordination_order" onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col flex="auto">
            <Form.Item name="name" label={t('calendar:orders.fields.name')} rules={[{ required: true, whitespace: true, message: t('calendar:orders.validation.name') }]}>
              <Input maxLength={100} placeholder={t('calendar:orders.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col>
            <Form.Item name="enabled" label={t('calendar:orders.fields.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('calendar:orders.trigger')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('calendar:orders.triggerHelp')}</Typography.Paragraph>
        <SpecFields path={['trigger']} />
        <Typography.Title level={5}>{t('calendar:orders.followUps')}</Typography.Title>
        <Form.List
          name="follow_ups"
          rules={[{ validator: (_, v?: unknown[]) => (v && v.length ? Promise.resolve() : Promise.reject(new Error(t('calendar:orders.validation.followUps')))) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="kox-order-group" data-testid="order-follow-up" style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '8px 12px', marginBottom: 8 }}>
                  <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                    <Typography.Text strong>{t('calendar:orders.group', { n: i + 1 })}</Typography.Text>
                    {fields.length > 1 && <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(f.name)} />}
                  </Space>
                  <SpecFields path={[f.name, 'spec']} />
                  <Space align="start" wrap>
                    <Typography.Text style={{ lineHeight: '32px' }}>{t('calendar:orders.delayBefore')}</Typography.Text>
                    <Form.Item
                      name={[f.name, 'delay']}
                      dependencies={[['follow_ups', f.name, 'unit']]}
                      rules={[
                        { required: true, message: t('calendar:orders.validation.delay') },
                        ({ getFieldValue }) => ({
                          validator: (_, v: number | null) => {
                            const unit = getFieldValue(['follow_ups', f.name, 'unit']) as DelayUnit;
                            const m = delayMinutes(v ?? 0, unit);
                            return m >= 0 && m <= MAX_DELAY_MINUTES ? Promise.resolve() : Promise.reject(new Error(t('calendar:orders.validation.delay')));
                          },
                        }),
                      ]}
                    >
                      <InputNumber min={0} precision={0} style={{ width: 100 }} aria-label={t('calendar:orders.fields.delay')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']}>
                      <Select style={{ width: 90 }} aria-label={t('calendar:orders.fields.unit')} options={UNITS.map((u) => ({ value: u, label: t(`calendar:units.${u}`) }))} />
                    </Form.Item>
                    <Typography.Text style={{ lineHeight: '32px' }}>{t('calendar:orders.delayAfter')}</Typography.Text>
                  </Space>
                </div>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ spec: { tiers: [], platforms: [], account_tags: [] }, delay: 1, unit: 'hours' })} data-testid="order-add-group">
                {t('calendar:orders.addGroup')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('calendar:orders.templates')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('calendar:orders.templatesHelp')}</Typography.Paragraph>
        <Form.Item
          name="title_template"
          label={t('calendar:orders.fields.title_template')}
          rules={[{ required: true, whitespace: true, message: t('calendar:orders.validation.title') }, noUnknownPlaceholders(unknown)]}
        >
          <TemplateInput testId="order-title-template" />
        </Form.Item>
        <Form.Item name="body_template" label={t('calendar:orders.fields.body_template')} rules={[noUnknownPlaceholders(unknown)]}>
          <TemplateInput multiline testId="order-body-template" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
