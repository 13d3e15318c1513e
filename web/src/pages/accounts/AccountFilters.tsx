import { Button, Card, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AccountQuery } from './api';
import type { AccountStatus, CustomField, Platform, Tier } from '../../api/types';
import { TIERS } from '../../components/tags';
import { CustomFieldFilter } from '../../components/CustomFields';
import { MemberSelect } from '../../components/MemberSelect';

export type AccountFilterState = Omit<AccountQuery, 'limit' | 'offset'>;

export function AccountFilters({
  value,
  onChange,
  platforms,
  customFields,
}: {
  value: AccountFilterState;
  onChange: (v: AccountFilterState) => void;
  platforms: Platform[];
  customFields: CustomField[];
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<AccountFilterState>) => onChange({ ...value, ...patch });
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="account-filters">
      <Space wrap>
        <Input.Search
          key={`q-${value.q ?? ''}`}
          aria-label={t('common.search')}
          placeholder={t('accounts:filters.q')}
          defaultValue={value.q}
          allowClear
          style={{ width: 240 }}
          onSearch={(q) => set({ q: q.trim() || undefined })}
        />
        <Select
          aria-label={t('accounts:filters.tier')}
          placeholder={t('accounts:filters.tier')}
          allowClear
          style={{ width: 110 }}
          value={value.tier}
          onChange={(tier?: Tier) => set({ tier })}
          options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
        />
        <Select
          aria-label={t('accounts:filters.platform')}
          placeholder={t('accounts:filters.platform')}
          allowClear
          style={{ width: 130 }}
          value={value.platform}
          onChange={(platform?: string) => set({ platform })}
          options={platforms.map((p) => ({ value: p.code, label: p.name }))}
        />
        <MemberSelect
          aria-label={t('accounts:filters.owner')}
          placeholder={t('accounts:filters.owner')}
          style={{ width: 140 }}
          value={value.owner}
          onChange={(owner) => set({ owner: typeof owner === 'number' ? owner : undefined })}
        />
        <Select
          aria-label={t('accounts:filters.status')}
          placeholder={t('accounts:filters.statusDefault')}
          allowClear
          style={{ width: 120 }}
          value={value.status}
          onChange={(status?: AccountStatus) => set({ status })}
          options={(['active', 'paused', 'archived'] as const).map((s) => ({ value: s, label: t(`accountStatus.${s}`) }))}
        />
        <Input.Search
          key={`tag-${value.tag ?? ''}`}
          aria-label={t('accounts:filters.tag')}
          placeholder={t('accounts:filters.tag')}
          defaultValue={value.tag}
          allowClear
          style={{ width: 140 }}
          onSearch={(tag) => set({ tag: tag.trim() || undefined })}
        />
        {customFields.map((f) => (
          <CustomFieldFilter
            key={f.key}
            field={f}
            value={value.cf?.[f.key]}
            onChange={(v) => set({ cf: { ...value.cf, [f.key]: v } })}
          />
        ))}
        <Select
          aria-label={t('accounts:filters.sort')}
          style={{ width: 150 }}
          value={value.sort ?? 'created_desc'}
          onChange={(sort) => set({ sort })}
          options={(['created_desc', 'followers_desc', 'followers_asc', 'handle_asc'] as const).map((s) => ({
            value: s,
            label: t(`accounts:sort.${s}`),
          }))}
        />
        <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
      </Space>
    </Card>
  );
}
