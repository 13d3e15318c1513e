import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../api/types';
import { MemberSelect, useMemberNames } from './MemberSelect';

function inputFor(field: CustomField) {
  switch (field.kind) {
    case 'number':
      return <InputNumber style={{ width: '100%' }} />;
    case 'select':
      return <Select allowClear options={field.options.map((o) => ({ value: o, label: o }))} />;
    case 'multi_select':
      return <Select mode="multiple" allowClear options={field.options.map((o) => ({ value: o, label: o }))} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} />;
    case 'person':
      return <MemberSelect />;
    case 'url':
      return <Input type="url" placeholder="https://" />;
    case 'checkbox':
      return <Checkbox />;
    case 'text':
    default:
      return <Input />;
  }
}

/** One Form.Item per custom field, stored in the form under `custom.<key>`. */
export function CustomFieldItems({ fields }: { fields: CustomField[] }) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((f) => {
        const dateProps =
          f.kind === 'date'
            ? {
                getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined }),
                normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
              }
            : {};
        return (
          <Form.Item
            key={f.key}
            name={['custom', f.key]}
            label={f.label}
            valuePropName={f.kind === 'checkbox' ? 'checked' : 'value'}
            rules={
              f.required && f.kind !== 'checkbox'
                ? [{ required: true, message: t('errors.required') }]
                : f.kind === 'url'
                  ? [{ type: 'url', message: t('errors.url') }]
                  : []
            }
            data-testid={`custom-field-${f.key}`}
            {...dateProps}
          >
            {inputFor(f)}
          </Form.Item>
        );
      })}
    </>
  );
}

/** Read-only rendering of a custom value. */
export function CustomValueView({ field, value }: { field: CustomField; value: unknown }) {
  const { t } = useTranslation();
  const memberName = useMemberNames();
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    return field.kind === 'checkbox' ? <span>{t('custom.no')}</span> : <Typography.Text type="secondary">—</Typography.Text>;
  }
  switch (field.kind) {
    case 'checkbox':
      return <span>{value ? t('custom.yes') : t('custom.no')}</span>;
    case 'select':
      return <Tag>{String(value)}</Tag>;
    case 'multi_select':
      return (
        <Space size={[0, 4]} wrap>
          {(Array.isArray(value) ? value : [value]).map((v) => (
            <Tag key={String(v)}>{String(v)}</Tag>
          ))}
        </Space>
      );
    case 'person':
      return <span>{memberName(Number(value))}</span>;
    case 'url':
      return (
        <Typography.Link href={String(value)} target="_blank" rel="noreferrer" ellipsis>
          {String(value)}
        </Typography.Link>
      );
    case 'number':
      return <span>{typeof value === 'number' ? value.toLocaleString() : String(value)}</span>;
    default:
      return <span>{Array.isArray(value) ? value.join(', ') : String(value)}</span>;
  }
}

/** Filter control for the accounts filter bar, producing the string sent as `cf.<key>`. */
export function CustomFieldFilter({
  field,
  value,
  onChange,
}: {
  field: CustomField;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const common = { style: { width: 160 }, 'aria-label': field.label, placeholder: field.label, allowClear: true };
  switch (field.kind) {
    case 'select':
    case 'multi_select':
      return (
        <Select
          {...common}
          value={value}
          onChange={(v?: string) => onChange(v ?? undefined)}
          options={field.options.map((o) => ({ value: o, label: o }))}
        />
      );
    case 'checkbox':
      return (
        <Select
          {...common}
          value={value}
          onChange={(v?: string) => onChange(v ?? undefined)}
          options={[
            { value: 'true', label: t('custom.yes') },
            { value: 'false', label: t('custom.no') },
          ]}
        />
      );
    case 'person':
      return (
        <MemberSelect
          {...common}
          value={value ? Number(value) : undefined}
          onChange={(v) => onChange(v === undefined || v === null ? undefined : String(v))}
        />
      );
    default:
      return (
        <Input.Search
          {...common}
          defaultValue={value}
          onSearch={(v) => onChange(v.trim() || undefined)}
        />
      );
  }
}
