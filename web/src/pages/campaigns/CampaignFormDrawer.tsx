import { useEffect, useState } from 'react';
import { Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { campaignApi } from './api';
import { campaignKeys } from './queries';
import type { Campaign, CampaignInput, CampaignStatus, CustomField, CustomValues, Tier } from '../../api/types';
import { useSession } from '../../auth/session';
import { TIERS } from '../../components/tags';
import { CustomFieldItems } from '../../components/CustomFields';
import { ConflictAlert } from '../../components/ConflictAlert';
import { changedFields } from '../../lib/diff';
import { apiFieldLabel } from '../../lib/fieldLabel';
import { useApiMutation } from '../../lib/useApiMutation';
import { fenToYuan, formatYuan, yuanToFen } from '../../lib/money';

const STATUSES: CampaignStatus[] = ['planned', 'active', 'completed', 'cancelled'];

/** Thousands separators while editing yuan amounts (the default parser drops them again). */
const yuanInput = {
  min: 0,
  precision: 2,
  formatter: (v: number | string | undefined) => (v === undefined || v === '' ? '' : String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',')),
};

/** What the form edits: money in yuan, dates as dayjs. */
interface FormValues {
  name: string;
  theme?: string;
  period?: [Dayjs, Dayjs];
  budget_yuan?: number | null;
  tier_yuan?: Partial<Record<Tier, number | null>>;
  required_hashtags?: string[];
  embargo_at?: Dayjs | null;
  target_kpis?: string;
  status: CampaignStatus;
  custom?: CustomValues;
}

function toFormValues(c: Campaign): FormValues {
  return {
    name: c.name,
    theme: c.theme,
    period: [dayjs(c.starts_on), dayjs(c.ends_on)],
    budget_yuan: fenToYuan(c.budget_fen ?? 0),
    tier_yuan: Object.fromEntries(
      TIERS.map((tier) => {
        const fen = c.budget_by_tier?.[tier];
        return [tier, fen != null ? fenToYuan(fen) : null];
      }),
    ),
    required_hashtags: c.required_hashtags ?? [],
    embargo_at: c.embargo_at ? dayjs(c.embargo_at) : null,
    target_kpis: c.target_kpis,
    status: c.status ?? 'planned',
    custom: { ...c.custom },
  };
}

/** Form values → API body (yuan → fen, dates → YYYY-MM-DD, datetime → RFC3339 UTC). */
export function toInput(v: FormValues): CampaignInput {
  const budgetByTier: Partial<Record<Tier, number>> = {};
  for (const tier of TIERS) {
    const y = v.tier_yuan?.[tier];
    if (y !== undefined && y !== null) budgetByTier[tier] = yuanToFen(y);
  }
  const custom = Object.fromEntries(
    Object.entries(v.custom ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0)),
  );
  return {
    name: v.name.trim(),
    theme: v.theme ?? '',
    starts_on: v.period ? v.period[0].format('YYYY-MM-DD') : '',
    ends_on: v.period ? v.period[1].format('YYYY-MM-DD') : '',
    budget_fen: yuanToFen(v.budget_yuan),
    budget_by_tier: budgetByTier,
    currency: 'CNY',
    required_hashtags: v.required_hashtags ?? [],
    embargo_at: v.embargo_at ? v.embargo_at.second(0).millisecond(0).toISOString().replace('.000Z', 'Z') : null,
    target_kpis: v.target_kpis ?? '',
    status: v.status,
    custom,
  };
}

/** API error field names → form item names. */
function formFieldFor(field: string): string {
  if (field === 'starts_on' || field === 'ends_on') return 'period';
  if (field === 'budget_fen') return 'budget_yuan';
  if (field.startsWith('budget_by_tier.')) return `tier_yuan.${field.slice('budget_by_tier.'.length)}`;
  return field;
}

export function CampaignFormDrawer({
  open,
  campaign,
  customFields,
  onClose,
}: {
  open: boolean;
  campaign?: Campaign;
  customFields: CustomField[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [base, setBase] = useState<Campaign | undefined>(campaign);

  const save = useApiMutation({
    mutationFn: async (values: FormValues) => {
      const input = toInput(values);
      if (!base) return campaignApi.create(wsId, input);
      const patch = changedFields<CampaignInput>(toInput(toFormValues(base)), input);
      if (Object.keys(patch).length === 0) return base;
      return campaignApi.update(wsId, base.id, { ...patch, version: base.version });
    },
    form,
    mapField: formFieldFor,
    conflictAlert: true,
    success: base ? t('campaigns:saved') : t('campaigns:created'),
    invalidate: [campaignKeys.all(wsId)],
    onSuccess: onClose,
  });
  const { conflict, clearConflict } = save;

  useEffect(() => {
    if (!open) return;
    setBase(campaign);
    clearConflict();
    form.resetFields();
    form.setFieldsValue(campaign ? toFormValues(campaign) : { status: 'planned', required_hashtags: [], tier_yuan: {}, custom: {} });
  }, [open, campaign, form, clearConflict]);

  const budget = Form.useWatch('budget_yuan', form);
  const tierYuan = Form.useWatch('tier_yuan', form);
  const tierSumFen = TIERS.reduce((s, tier) => s + yuanToFen(tierYuan?.[tier] ?? 0), 0);
  const budgetFen = yuanToFen(budget ?? 0);

  const reloadLatest = async () => {
    if (!base) return;
    const fresh = await campaignApi.get(wsId, base.id);
    setBase(fresh);
    form.resetFields();
    form.setFieldsValue(toFormValues(fresh));
    clearConflict();
    void queryClient.invalidateQueries({ queryKey: campaignKeys.all(wsId) });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={600}
      destroyOnHidden
      title={base ? t('campaigns:edit') : t('campaigns:new')}
      data-testid="campaign-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="campaign-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict && (
        <ConflictAlert
          fields={conflict}
          fieldLabel={(f) => apiFieldLabel(t, customFields, 'campaigns:fields', f)}
          onReload={() => void reloadLatest()}
        />
      )}
      <Form<FormValues> form={form} layout="vertical" name="campaign" onFinish={(v) => save.mutate(v)} scrollToFirstError>
        <Form.Item name="name" label={t('campaigns:fields.name')} rules={[{ required: true, whitespace: true, message: t('campaigns:validation.name') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="theme" label={t('campaigns:fields.theme')}>
          <Input />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="period" label={t('campaigns:fields.period')} rules={[{ required: true, message: t('campaigns:validation.period') }]}>
              <DatePicker.RangePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="status" label={t('campaigns:fields.status')}>
              <Select options={STATUSES.map((s) => ({ value: s, label: t(`campaignStatus.${s}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="budget_yuan" label={t('campaigns:fields.budget')}>
          <InputNumber<number> {...yuanInput} step={1000} prefix="¥" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t('campaigns:fields.budget_by_tier')}
          help={
            tierSumFen > 0 ? (
              <Typography.Text type={tierSumFen > budgetFen ? 'danger' : 'secondary'} data-testid="budget-split-hint">
                {tierSumFen > budgetFen
                  ? t('campaigns:budgetSplitOver')
                  : t('campaigns:budgetSplitHint', { sum: formatYuan(tierSumFen), total: formatYuan(budgetFen) })}
              </Typography.Text>
            ) : undefined
          }
        >
          <Row gutter={8}>
            {TIERS.map((tier) => (
              <Col span={6} key={tier}>
                <Form.Item name={['tier_yuan', tier]} noStyle>
                  <InputNumber<number> {...yuanInput} prefix={tier} aria-label={`${tier} ${t('campaigns:fields.budget_by_tier')}`} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form.Item>
        <Form.Item name="required_hashtags" label={t('campaigns:fields.required_hashtags')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} placeholder={t('campaigns:hashtagPlaceholder')} />
        </Form.Item>
        <Form.Item name="embargo_at" label={t('campaigns:fields.embargo_at')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="target_kpis" label={t('campaigns:fields.target_kpis')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        {customFields.length > 0 && (
          <>
            <Divider titlePlacement="start">{t('campaigns:fields.custom')}</Divider>
            <CustomFieldItems fields={customFields} />
          </>
        )}
      </Form>
    </Drawer>
  );
}
