import { Button, Card, Checkbox, Input, Segmented, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Campaign, CustomField, Platform, Tier } from '../../api/types';
import { TIERS } from '../../components/tags';
import { CustomFieldFilter } from '../../components/CustomFields';
import { MemberSelect } from '../../components/MemberSelect';
import { LANE_MODES, type LaneMode } from './board';
import { AccountSelect } from './AccountSelect';
import type { BoardFilters } from './urlState';

export function ContentFilters({
  value,
  lanes,
  onChange,
  onLanes,
  platforms,
  campaigns,
  customFields,
}: {
  value: BoardFilters;
  lanes: LaneMode;
  onChange: (v: BoardFilters) => void;
  onLanes: (v: LaneMode) => void;
  platforms: Platform[];
  campaigns: Campaign[];
  customFields: CustomField[];
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<BoardFilters>) => onChange({ ...value, ...patch });
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="content-filters">
      <Space wrap>
        <Input.Search
          key={`q-${value.q ?? ''}`}
          aria-label={t('common.search')}
          placeholder={t('content:filters.q')}
          defaultValue={value.q}
          allowClear
          style={{ width: 220 }}
          onSearch={(q) => set({ q: q.trim() || undefined })}
        />
        <AccountSelect
          aria-label={t('content:filters.account')}
          placeholder={t('content:filters.account')}
          style={{ width: 180 }}
          value={value.account}
          onChange={(account) => set({ account: typeof account === 'number' ? account : undefined })}
        />
        <Select
          aria-label={t('content:filters.tier')}
          placeholder={t('content:filters.tier')}
          allowClear
          style={{ width: 100 }}
          value={value.tier}
          onChange={(tier?: Tier) => set({ tier })}
          options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
        />
        <Select
          aria-label={t('content:filters.platform')}
          placeholder={t('content:filters.platform')}
          allowClear
          style={{ width: 120 }}
          value={value.platform}
          onChange={(platform?: string) => set({ platform })}
          options={platforms.map((p) => ({ value: p.code, label: p.name }))}
        />
        <Select
          aria-label={t('content:filters.campaign')}
          placeholder={t('content:filters.campaign')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 170 }}
          value={value.campaign}
          onChange={(campaign?: number) => set({ campaign })}
          options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
        />
        <MemberSelect
          aria-label={t('content:filters.assignee')}
          placeholder={t('content:filters.assignee')}
          style={{ width: 130 }}
          value={value.assignee}
          onChange={(assignee) => set({ assignee: typeof assignee === 'number' ? assignee : undefined })}
        />
        <Input.Search
          key={`tag-${value.tag ?? ''}`}
          aria-label={t('content:filters.tag')}
          placeholder={t('content:filters.tag')}
          defaultValue={value.tag}
          allowClear
          style={{ width: 130 }}
          onSearch={(tag) => set({ tag: tag.trim() || undefined })}
        />
        {customFields.map((f) => (
          <CustomFieldFilter key={f.key} field={f} value={value.cf?.[f.key]} onChange={(v) => set({ cf: { ...value.cf, [f.key]: v } })} />
        ))}
        <Checkbox checked={!!value.mine} onChange={(e) => set({ mine: e.target.checked || undefined })} data-testid="filter-mine">
          {t('content:filters.mine')}
        </Checkbox>
        <Checkbox checked={!!value.overdue} onChange={(e) => set({ overdue: e.target.checked || undefined })} data-testid="filter-overdue">
          {t('content:filters.overdue')}
        </Checkbox>
        <Checkbox
          checked={!!value.cancelled}
          onChange={(e) => set({ cancelled: e.target.checked || undefined })}
          data-testid="filter-cancelled"
        >
          {t('content:filters.cancelled')}
        </Checkbox>
        <Segmented<LaneMode>
          aria-label={t('content:lanes.label')}
          data-testid="lanes-switch"
          value={lanes}
          onChange={onLanes}
          options={LANE_MODES.map((m) => ({ value: m, label: t(`content:lanes.${m}`) }))}
        />
        <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
      </Space>
    </Card>
  );
}
