import { Badge, Button, Card, Segmented, Select, Space, Tooltip, Typography } from 'antd';
import { LeftOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Campaign, Platform } from '../../api/types';
import { TIER_COLORS, TIERS } from '../../components/tags';
import { MemberSelect } from '../../components/MemberSelect';
import { AccountSelect } from '../content/AccountSelect';
import { WEEKDAYS } from './rrule';
import { CALENDAR_VIEWS, monthDay, viewDays, weekday, type CalendarViewMode } from './time';
import type { CalendarFilters } from './urlState';
import type { Stage } from './types';

const STAGES: Stage[] = ['topic', 'draft', 'review', 'publish', 'retro', 'cancelled'];

/** The toolbar's title: the month, the week's first and last day, or the day. */
export function useViewTitle(view: CalendarViewMode, anchor: string): string {
  const { t } = useTranslation();
  const days = viewDays(view, anchor);
  switch (view) {
    case 'month':
    case 'timeline':
      return t('calendar:nav.month', { year: Number(anchor.slice(0, 4)), month: Number(anchor.slice(5, 7)) });
    case 'week':
      return t('calendar:nav.week', { from: days[0], to: monthDay(days[6]) });
    case 'day':
      return `${anchor} ${t(`calendar:weekdays.${WEEKDAYS[weekday(anchor)]}`)}`;
  }
}

export function CalendarToolbar({
  view,
  anchor,
  onView,
  onStep,
  onToday,
  filters,
  onFilters,
  platforms,
  campaigns,
  stageName,
  conflictCount,
  conflictsOpen,
  onConflicts,
}: {
  view: CalendarViewMode;
  anchor: string;
  onView: (v: CalendarViewMode) => void;
  onStep: (dir: -1 | 1) => void;
  onToday: () => void;
  filters: CalendarFilters;
  onFilters: (f: CalendarFilters) => void;
  platforms: Platform[];
  campaigns: Campaign[];
  stageName: (s: string) => string;
  conflictCount: number | undefined;
  conflictsOpen: boolean;
  onConflicts: () => void;
}) {
  const { t } = useTranslation();
  const title = useViewTitle(view, anchor);
  const set = (patch: Partial<CalendarFilters>) => onFilters({ ...filters, ...patch });
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="cal-toolbar">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Segmented<CalendarViewMode>
            aria-label={t('calendar:views.label')}
            data-testid="cal-view-switch"
            value={view}
            onChange={onView}
            options={CALENDAR_VIEWS.map((v) => ({ value: v, label: t(`calendar:views.${v}`) }))}
          />
          <Space.Compact>
            <Button icon={<LeftOutlined />} aria-label={t('calendar:nav.prev')} onClick={() => onStep(-1)} data-testid="cal-prev" />
            <Button onClick={onToday} data-testid="cal-today">
              {t('calendar:nav.today')}
            </Button>
            <Button icon={<RightOutlined />} aria-label={t('calendar:nav.next')} onClick={() => onStep(1)} data-testid="cal-next" />
          </Space.Compact>
          <Typography.Text strong data-testid="cal-title">
            {title}
          </Typography.Text>
        </Space>
        <Badge count={conflictCount ?? 0} size="small" overflowCount={999}>
          <Button
            icon={<WarningOutlined />}
            type={conflictsOpen ? 'primary' : 'default'}
            danger={!!conflictCount}
            aria-pressed={conflictsOpen}
            onClick={onConflicts}
            data-testid="cal-conflicts-toggle"
          >
            {t('calendar:conflicts.toggle')}
          </Button>
        </Badge>
      </Space>
      <Space wrap style={{ marginTop: 12 }} data-testid="cal-filters">
        <AccountSelect
          aria-label={t('calendar:filters.account')}
          placeholder={t('calendar:filters.account')}
          style={{ width: 200 }}
          value={filters.account}
          onChange={(account) => set({ account: typeof account === 'number' ? account : undefined })}
        />
        <Select
          aria-label={t('calendar:filters.tier')}
          placeholder={t('calendar:filters.tier')}
          allowClear
          style={{ width: 100 }}
          value={filters.tier}
          onChange={(tier) => set({ tier })}
          options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
        />
        <Select
          aria-label={t('calendar:filters.platform')}
          placeholder={t('calendar:filters.platform')}
          allowClear
          style={{ width: 120 }}
          value={filters.platform}
          onChange={(platform?: string) => set({ platform })}
          options={platforms.map((p) => ({ value: p.code, label: p.name }))}
        />
        <Select
          aria-label={t('calendar:filters.campaign')}
          placeholder={t('calendar:filters.campaign')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 170 }}
          value={filters.campaign}
          onChange={(campaign?: number) => set({ campaign })}
          options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
        />
        <MemberSelect
          aria-label={t('calendar:filters.operator')}
          placeholder={t('calendar:filters.operator')}
          style={{ width: 130 }}
          value={filters.operator}
          onChange={(operator) => set({ operator: typeof operator === 'number' ? operator : undefined })}
        />
        <Select
          aria-label={t('calendar:filters.stage')}
          placeholder={t('calendar:filters.stage')}
          allowClear
          style={{ width: 110 }}
          value={filters.stage}
          onChange={(stage?: Stage) => set({ stage })}
          options={STAGES.map((s) => ({ value: s, label: stageName(s) }))}
        />
        <Button onClick={() => onFilters({})}>{t('common.reset')}</Button>
      </Space>
    </Card>
  );
}

/** What the colours and marks mean. */
export function Legend() {
  const { t } = useTranslation();
  return (
    <div className="kox-cal-legend" data-testid="cal-legend">
      {TIERS.map((tier) => (
        <Tooltip key={tier} title={t(`tierHint.${tier}`)}>
          <span className="kox-cal-legend-entry">
            <span className="kox-cal-swatch" style={{ background: TIER_COLORS[tier] }} />
            {t(`tier.${tier}`)}
          </span>
        </Tooltip>
      ))}
      <span className="kox-cal-legend-entry">
        <WarningOutlined className="kox-cal-mark-block" /> {t('calendar:marks.block')}
      </span>
      <span className="kox-cal-legend-entry">
        <WarningOutlined className="kox-cal-mark-warn" /> {t('calendar:marks.warn')}
      </span>
      <span className="kox-cal-legend-entry">
        <span className="kox-cal-swatch kox-cal-swatch-slot" /> {t('calendar:legend.openSlot')}
      </span>
      <span className="kox-cal-legend-entry">
        <span className="kox-cal-holiday-badge kox-cal-holiday-holiday">{t('calendar:holidays.badge.holiday')}</span> {t('calendar:legend.holiday')}
      </span>
      <span className="kox-cal-legend-entry">
        <span className="kox-cal-holiday-badge kox-cal-holiday-workday">{t('calendar:holidays.badge.workday')}</span> {t('calendar:legend.workday')}
      </span>
    </div>
  );
}
