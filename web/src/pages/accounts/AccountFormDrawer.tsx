import { useEffect, useState } from 'react';
import { Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accountApi } from './api';
import { accountKeys } from './queries';
import { eventKeys } from '../events/queries';
import type { Account, AccountInput, CustomField, Ownership, Platform } from '../../api/types';
import { useSession } from '../../auth/session';
import { TIERS } from '../../components/tags';
import { CustomFieldItems } from '../../components/CustomFields';
import { MemberSelect } from '../../components/MemberSelect';
import { ConflictAlert } from '../../components/ConflictAlert';
import { applyApiError } from '../../components/formErrors';
import { changedFields } from '../../lib/diff';
import { useApiMutation } from '../../lib/useApiMutation';
import { accountFieldLabel } from './labels';

const OWNERSHIPS: Ownership[] = ['brand_owned', 'employee_authorized', 'partner', 'paid'];

type FormValues = AccountInput;

function toFormValues(a: Account): FormValues {
  return {
    tier: a.tier,
    platform: a.platform,
    handle: a.handle,
    display_name: a.display_name,
    profile_url: a.profile_url ?? '',
    persona: a.persona,
    ownership: a.ownership,
    status: a.status,
    followers: a.followers,
    tags: a.tags,
    owner_ids: a.owner_ids,
    custom: { ...a.custom },
  };
}

/** Drops empty custom values and turns an empty URL into null before sending. */
function cleanInput(v: FormValues): FormValues {
  const custom = Object.fromEntries(
    Object.entries(v.custom ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0)),
  );
  return { ...v, profile_url: v.profile_url ? v.profile_url : null, persona: v.persona ?? '', custom };
}

export function AccountFormDrawer({
  open,
  account,
  platforms,
  customFields,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** undefined: create a new account */
  account?: Account;
  platforms: Platform[];
  customFields: CustomField[];
  onClose: () => void;
  onSaved?: (a: Account) => void;
}) {
  const { t } = useTranslation();
  const { wsId, me, can } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [base, setBase] = useState<Account | undefined>(account);

  const save = useApiMutation({
    mutationFn: async (values: FormValues) => {
      const input = cleanInput(values);
      if (!base) return accountApi.create(wsId, input);
      const prev = cleanInput(toFormValues(base));
      const patch = changedFields<FormValues>(prev, input);
      if (Object.keys(patch).length === 0) return base;
      return accountApi.update(wsId, base.id, { ...patch, version: base.version });
    },
    form,
    conflictAlert: true,
    success: base ? t('accounts:saved') : t('accounts:created'),
    invalidate: [accountKeys.all(wsId), eventKeys.all(wsId)],
    onSuccess: (saved) => {
      onSaved?.(saved);
      onClose();
    },
  });
  const { conflict, clearConflict } = save;

  useEffect(() => {
    if (!open) return;
    setBase(account);
    clearConflict();
    form.resetFields();
    if (account) {
      form.setFieldsValue(toFormValues(account));
    } else {
      form.setFieldsValue({
        tier: 'KOC',
        ownership: 'brand_owned',
        status: 'active',
        followers: 0,
        tags: [],
        owner_ids: can('accounts.write_any') ? [] : [me.user.id],
        custom: {},
      });
    }
  }, [open, account, form, can, me.user.id, clearConflict]);

  const reloadLatest = async () => {
    if (!base) return;
    try {
      const fresh = await accountApi.get(wsId, base.id);
      setBase(fresh);
      form.resetFields();
      form.setFieldsValue(toFormValues(fresh));
      clearConflict();
      void queryClient.invalidateQueries({ queryKey: accountKeys.all(wsId) });
    } catch (e) {
      applyApiError(form, e, t);
    }
  };

  const platformOptions = platforms
    .filter((p) => p.active || p.code === base?.platform)
    .map((p) => ({ value: p.code, label: p.name }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={base ? t('accounts:edit') : t('accounts:new')}
      destroyOnHidden
      data-testid="account-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="account-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict && (
        <ConflictAlert fields={conflict} fieldLabel={(f) => accountFieldLabel(t, customFields, f)} onReload={() => void reloadLatest()} />
      )}
      <Form<FormValues> form={form} layout="vertical" name="account" onFinish={(v) => save.mutate(v)} scrollToFirstError>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="tier" label={t('accounts:fields.tier')} rules={[{ required: true, message: t('accounts:validation.tier') }]}>
              <Select options={TIERS.map((tier) => ({ value: tier, label: `${tier} · ${t(`tierHint.${tier}`)}` }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="platform"
              label={t('accounts:fields.platform')}
              rules={[{ required: true, message: t('accounts:validation.platform') }]}
            >
              <Select options={platformOptions} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="handle"
              label={t('accounts:fields.handle')}
              rules={[{ required: true, whitespace: true, message: t('accounts:validation.handle') }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="display_name"
              label={t('accounts:fields.display_name')}
              rules={[{ required: true, whitespace: true, message: t('accounts:validation.display_name') }]}
            >
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="profile_url" label={t('accounts:fields.profile_url')} rules={[{ type: 'url', message: t('accounts:validation.url') }]}>
          <Input placeholder="https://" />
        </Form.Item>
        <Form.Item name="persona" label={t('accounts:fields.persona')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="ownership"
              label={t('accounts:fields.ownership')}
              rules={[{ required: true, message: t('accounts:validation.ownership') }]}
            >
              <Select options={OWNERSHIPS.map((o) => ({ value: o, label: t(`ownership.${o}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="status" label={t('accounts:fields.status')}>
              <Select options={(['active', 'paused', 'archived'] as const).map((s) => ({ value: s, label: t(`accountStatus.${s}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="followers" label={t('accounts:fields.followers')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="owner_ids" label={t('accounts:fields.owner_ids')}>
              <MemberSelect mode="multiple" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t('accounts:fields.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
        </Form.Item>
        {customFields.length > 0 && (
          <>
            <Divider titlePlacement="start">{t('accounts:customSection')}</Divider>
            <CustomFieldItems fields={customFields} />
          </>
        )}
      </Form>
    </Drawer>
  );
}
