import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { customFieldApi } from './api';
import { customFieldKeys, useCustomFields } from './queries';
import type { CustomField, CustomFieldInput, FieldEntity, FieldKind } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';

export const FIELD_KINDS: FieldKind[] = ['text', 'number', 'select', 'multi_select', 'date', 'person', 'url', 'checkbox'];
export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const hasOptions = (k?: FieldKind) => k === 'select' || k === 'multi_select';

interface FormValues {
  key: string;
  label: string;
  kind: FieldKind;
  options?: string[];
  required?: boolean;
}

function FieldModal({
  entity,
  field,
  open,
  onClose,
}: {
  entity: FieldEntity;
  field?: CustomField;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      field
        ? { key: field.key, label: field.label, kind: field.kind, options: field.options, required: field.required }
        : { kind: 'text', options: [], required: false },
    );
  }, [open, field, form]);

  const save = useApiMutation({
    mutationFn: (v: FormValues) => {
      const options = hasOptions(v.kind) ? (v.options ?? []) : [];
      // The label is sent only when changed: a demo field's label shows translated, not as stored.
      if (field) return customFieldApi.update(wsId, field.id, { label: v.label !== field.label ? v.label : undefined, options, required: Boolean(v.required) });
      const body: CustomFieldInput = { entity, key: v.key, label: v.label, kind: v.kind, options, required: Boolean(v.required) };
      return customFieldApi.create(wsId, body);
    },
    form,
    success: field ? t('custom-fields:saved') : t('custom-fields:created'),
    invalidate: [customFieldKeys.all(wsId, entity)],
    onSuccess: onClose,
  });

  return (
    <Modal
      open={open}
      title={field ? t('custom-fields:edit') : t('custom-fields:new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<FormValues> form={form} layout="vertical" name="custom_field" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="key"
          label={t('custom-fields:fields.key')}
          extra={t('custom-fields:keyHelp')}
          rules={[{ required: true, pattern: FIELD_KEY_PATTERN, message: t('custom-fields:validation.key') }]}
        >
          <Input disabled={Boolean(field)} autoComplete="off" />
        </Form.Item>
        <Form.Item name="label" label={t('custom-fields:fields.label')} rules={[{ required: true, whitespace: true, message: t('custom-fields:validation.label') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('custom-fields:fields.kind')} rules={[{ required: true, message: t('custom-fields:validation.kind') }]}>
          <Select disabled={Boolean(field)} options={FIELD_KINDS.map((k) => ({ value: k, label: t(`fieldKinds.${k}`) }))} />
        </Form.Item>
        {hasOptions(kind) && (
          <Form.Item
            name="options"
            label={t('custom-fields:fields.options')}
            extra={t('custom-fields:optionsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('custom-fields:validation.options') }]}
          >
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
          </Form.Item>
        )}
        <Form.Item name="required" valuePropName="checked">
          <Checkbox>{t('custom-fields:fields.required')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FieldList({ entity }: { entity: FieldEntity }) {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const fields = useCustomFields(wsId, entity);
  const manage = can('custom_fields.manage');
  const [editing, setEditing] = useState<{ open: boolean; field?: CustomField }>({ open: false });

  const remove = useApiMutation({
    mutationFn: (id: number) => customFieldApi.remove(wsId, id),
    success: t('custom-fields:deleted'),
    invalidate: [customFieldKeys.all(wsId, entity)],
  });

  const columns: TableColumnsType<CustomField> = [
    { title: t('custom-fields:fields.label'), dataIndex: 'label' },
    { title: t('custom-fields:fields.key'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
    { title: t('custom-fields:fields.kind'), dataIndex: 'kind', render: (k: FieldKind) => t(`fieldKinds.${k}`) },
    {
      title: t('custom-fields:fields.options'),
      dataIndex: 'options',
      render: (opts: string[]) => (
        <Space size={[0, 4]} wrap>
          {opts.map((o) => (
            <Tag key={o}>{o}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('custom-fields:fields.required'), dataIndex: 'required', width: 80, render: (r: boolean) => (r ? t('common.yes') : t('common.no')) },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, f: CustomField) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing({ open: true, field: f })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('custom-fields:deleteConfirm', { label: f.label })} onConfirm={() => remove.mutate(f.id)}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {manage && (
        <div style={{ marginBottom: 16, textAlign: 'right' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid={`field-new-${entity}`}>
            {t('custom-fields:new')}
          </Button>
        </div>
      )}
      {fields.isError ? (
        <ErrorResult error={fields.error} onRetry={() => void fields.refetch()} />
      ) : (
        <Table<CustomField>
          rowKey="id"
          size="middle"
          data-testid={`fields-table-${entity}`}
          loading={fields.isLoading}
          dataSource={fields.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('custom-fields:noFields') }}
        />
      )}
      <FieldModal entity={entity} field={editing.field} open={editing.open} onClose={() => setEditing({ open: false })} />
    </>
  );
}

export default function CustomFieldsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('custom-fields:title')}>
      <Tabs
        items={(['account', 'campaign'] as const).map((entity) => ({
          key: entity,
          label: t(`entities.${entity}`),
          children: <FieldList entity={entity} />,
        }))}
      />
    </Card>
  );
}
