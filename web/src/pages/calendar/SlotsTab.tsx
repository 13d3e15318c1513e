import { useEffect, useState } from 'react';
import { Button, Checkbox, DatePicker, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, TimePicker, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { TIERS } from '../../components/tags';
import { useApiMutation } from '../../lib/useApiMutation';
import { dateIn, timeZoneOptions } from '../../lib/timeZones';
import { AccountSelect } from '../content/AccountSelect';
import { AccountName } from './AccountName';
import { usePlatforms } from '../platforms/queries';
import { calendarApi } from './api';
import { calendarKeys, slotsQuery } from './queries';
import { looksLikeRrule, weekdaysOf, weeklyRule, WEEKDAYS } from './rrule';
import { slotBody, slotFormValues, type SlotFormValues } from './settingsForms';
import type { RecurringSlot } from './types';

/** `每周二、周四` for a plain weekly rule, the rule itself for anything else. */
function useRuleText(): (rrule: string) => string {
  const { t } = useTranslation();
  return (rrule) => {
    const days = weekdaysOf(rrule);
    if (!days) return rrule;
    return t('calendar:slots.weekly', { days: days.map((d) => t(`calendar:weekdays.${d}`)).join(t('common.listSeparator')) });
  };
}

function SlotModal({ row, open, onClose }: { row?: RecurringSlot; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { wsId, workspace } = useSession();
  const platforms = usePlatforms(wsId);
  const [form] = Form.useForm<SlotFormValues>();
  const advanced = Form.useWatch('advanced', form);
  const target = Form.useWatch('target', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(slotFormValues(row, dateIn(workspace.time_zone)));
  }, [open, row, form, workspace.time_zone]);

  const save = useApiMutation({
    mutationFn: (v: SlotFormValues) => (row ? calendarApi.updateSlot(wsId, row.id, slotBody(v)) : calendarApi.createSlot(wsId, slotBody(v))),
    form,
    // An invalid rule is shown where it was written: the raw field, or the weekday boxes.
    mapField: (f) => (f === 'rrule' && !form.getFieldValue('advanced') ? 'weekdays' : f),
    success: row ? t('calendar:slots.saved') : t('calendar:slots.created'),
    invalidate: [calendarKeys.slots(wsId), calendarKeys.shown(wsId)],
    onSuccess: onClose,
  });

  const onAdvanced = (on: boolean) => {
    // Carry the rule across: the boxes become its text, a plain weekly text becomes boxes.
    if (on) form.setFieldValue('rrule', weeklyRule(form.getFieldValue('weekdays') ?? []));
    else form.setFieldValue('weekdays', weekdaysOf(form.getFieldValue('rrule') ?? '') ?? []);
  };

  return (
    <Modal
      open={open}
      title={row ? t('calendar:slots.edit') : t('calendar:slots.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={620}
      destroyOnHidden
      data-testid="slot-modal"
    >
      <Form<SlotFormValues> form={form} layout="vertical" name="recurring_slot" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('calendar:slots.fields.name')} rules={[{ required: true, whitespace: true, message: t('calendar:slots.validation.name') }]}>
          <Input maxLength={100} placeholder={t('calendar:slots.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="advanced" label={t('calendar:slots.fields.advanced')} valuePropName="checked">
          <Switch onChange={onAdvanced} data-testid="slot-advanced" />
        </Form.Item>
        {advanced ? (
          <Form.Item
            name="rrule"
            label={t('calendar:slots.fields.rrule')}
            extra={t('calendar:slots.rruleHelp')}
            rules={[
              { required: true, message: t('calendar:slots.validation.rrule') },
              { validator: (_, v: string) => (!v || looksLikeRrule(v) ? Promise.resolve() : Promise.reject(new Error(t('calendar:slots.validation.rrule')))) },
            ]}
          >
            <Input placeholder="FREQ=WEEKLY;BYDAY=TU,TH" data-testid="slot-rrule" />
          </Form.Item>
        ) : (
          <Form.Item name="weekdays" label={t('calendar:slots.fields.weekdays')} rules={[{ required: true, type: 'array', min: 1, message: t('calendar:slots.validation.weekdays') }]}>
            <Checkbox.Group options={WEEKDAYS.map((d) => ({ value: d, label: t(`calendar:weekdays.${d}`) }))} />
          </Form.Item>
        )}
        <Space wrap size={16}>
          <Form.Item name="time" label={t('calendar:slots.fields.time')} rules={[{ required: true, message: t('calendar:slots.validation.time') }]}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
          </Form.Item>
          <Form.Item name="starts_on" label={t('calendar:slots.fields.starts_on')} rules={[{ required: true, message: t('calendar:slots.validation.starts_on') }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="time_zone" label={t('calendar:slots.fields.time_zone')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 240 }}
              placeholder={t('calendar:slots.workspaceZone', { zone: workspace.time_zone })}
              options={timeZoneOptions(i18n.language, row?.time_zone)}
            />
          </Form.Item>
        </Space>
        <Form.Item name="target" label={t('calendar:slots.fields.target')}>
          <Radio.Group
            options={[
              { value: 'group', label: t('calendar:slots.targets.group') },
              { value: 'account', label: t('calendar:slots.targets.account') },
            ]}
          />
        </Form.Item>
        {target === 'account' ? (
          <Form.Item name="account_id" label={t('calendar:slots.fields.account')} rules={[{ required: true, message: t('calendar:slots.validation.account') }]}>
            <AccountSelect />
          </Form.Item>
        ) : (
          <Space wrap size={16}>
            <Form.Item name="tier" label={t('calendar:slots.fields.tier')}>
              <Select allowClear style={{ width: 160 }} placeholder={t('calendar:slots.anyTier')} options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))} />
            </Form.Item>
            <Form.Item name="platform" label={t('calendar:slots.fields.platform')}>
              <Select
                allowClear
                style={{ width: 160 }}
                placeholder={t('calendar:slots.anyPlatform')}
                options={(platforms.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
              />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="enabled" label={t('calendar:slots.fields.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Recurring slots: open places on the calendar ("KOE 账号 每周二、四 20:00"). */
export function SlotsTab() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const slots = useQuery(slotsQuery(wsId));
  const platforms = usePlatforms(wsId);
  const ruleText = useRuleText();
  const [editing, setEditing] = useState<{ open: boolean; row?: RecurringSlot }>({ open: false });
  const platformName = (code: string) => platforms.data?.find((p) => p.code === code)?.name ?? code;

  const toggle = useApiMutation({
    mutationFn: (s: RecurringSlot) => {
      const { id: _id, created_at: _c, updated_at: _u, ...draft } = s;
      return calendarApi.updateSlot(wsId, s.id, { ...draft, enabled: !s.enabled });
    },
    success: (s) => (s.enabled ? t('calendar:slots.enabled') : t('calendar:slots.disabled')),
    invalidate: [calendarKeys.slots(wsId), calendarKeys.shown(wsId)],
  });
  const remove = useApiMutation({
    mutationFn: (id: number) => calendarApi.removeSlot(wsId, id),
    success: t('common.deleted'),
    invalidate: [calendarKeys.slots(wsId), calendarKeys.shown(wsId)],
  });

  const columns: TableColumnsType<RecurringSlot> = [
    { title: t('calendar:slots.fields.name'), dataIndex: 'name' },
    {
      title: t('calendar:slots.fields.rule'),
      key: 'rule',
      render: (_, s) => (
        <span>
          {ruleText(s.rrule)} {s.time}
          {s.time_zone && <Typography.Text type="secondary"> ({s.time_zone})</Typography.Text>}
        </span>
      ),
    },
    { title: t('calendar:slots.fields.starts_on'), dataIndex: 'starts_on', width: 120 },
    {
      title: t('calendar:slots.fields.target'),
      key: 'target',
      render: (_, s) =>
        s.account_id ? (
          <Tag color="cyan">
            <AccountName id={s.account_id} />
          </Tag>
        ) : (
          <Space size={4}>
            <Tag>{s.tier ? t(`tier.${s.tier}`) : t('calendar:slots.anyTier')}</Tag>
            <Tag>{s.platform ? platformName(s.platform) : t('calendar:slots.anyPlatform')}</Tag>
          </Space>
        ),
    },
    {
      title: t('calendar:slots.fields.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (_, s) => (
        <Switch size="small" checked={s.enabled} loading={toggle.isPending && toggle.variables?.id === s.id} aria-label={t('calendar:slots.fields.enabled')} onChange={() => toggle.mutate(s)} />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, s) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, row: s })}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('calendar:slots.deleteConfirm', { name: s.name })} onConfirm={() => remove.mutate(s.id)}>
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 16, gap: 16 }}>
        <Typography.Text type="secondary">{t('calendar:slots.intro')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="slot-add">
          {t('calendar:slots.add')}
        </Button>
      </div>
      {slots.isError ? (
        <ErrorResult error={slots.error} onRetry={() => void slots.refetch()} />
      ) : (
        <Table<RecurringSlot>
          rowKey="id"
          size="middle"
          data-testid="slots-table"
          loading={slots.isLoading}
          dataSource={slots.data ?? []}
          columns={columns}
          pagination={false}
        />
      )}
      <SlotModal row={editing.row} open={editing.open} onClose={() => setEditing({ open: false })} />
    </>
  );
}
