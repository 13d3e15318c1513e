import { createContext, useContext, type ReactNode } from 'react';
import { Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { TIER_COLORS } from '../../components/tags';
import { ConflictList } from './ConflictList';
import { worstSeverity } from './conflictText';
import { useDnd } from './dnd';
import { fullMoment, timeOfDay } from './time';
import type { CalendarItem, Holiday, SlotOccurrence } from './types';

/** What every part of the calendar shows things with. */
export interface CalendarDisplay {
  /** The zone the calendar is laid out in (the workspace's). */
  zone: string;
  today: string;
  stageName: (stage: string) => string;
  platformName: (code: string) => string;
  onOpen: (id: number) => void;
}

const DisplayContext = createContext<CalendarDisplay | null>(null);

export function DisplayProvider({ value, children }: { value: CalendarDisplay; children: ReactNode }) {
  return <DisplayContext.Provider value={value}>{children}</DisplayContext.Provider>;
}

export function useDisplay(): CalendarDisplay {
  const d = useContext(DisplayContext);
  if (!d) throw new Error('useDisplay outside DisplayProvider');
  return d;
}

const NO_TIER = '#8c8c8c';

/** What hovering an item shows: title, account, time, stage, and each conflict as a sentence. */
function ItemTip({ item }: { item: CalendarItem }) {
  const { t } = useTranslation();
  const { zone, stageName, platformName } = useDisplay();
  return (
    <div className="kox-cal-tip" data-testid={`cal-tip-${item.id}`}>
      <div style={{ fontWeight: 600 }}>{item.title}</div>
      {item.handle && (
        <div>
          {item.display_name ? `${item.display_name} ` : ''}@{item.handle}
          {item.platform ? ` · ${platformName(item.platform)}` : ''}
          {item.tier ? ` · ${t(`tier.${item.tier}`)}` : ''}
        </div>
      )}
      <div>
        {item.published_at
          ? t('calendar:item.published', { time: fullMoment(item.published_at, zone) })
          : item.planned_at
            ? t('calendar:item.planned', { time: fullMoment(item.planned_at, zone) })
            : t('calendar:item.unscheduled')}
        {' · '}
        {stageName(item.stage)}
      </div>
      {item.due_on && <div>{t('calendar:item.due', { day: item.due_on })}</div>}
      {item.conflicts.length > 0 && <ConflictList conflicts={item.conflicts} at={item.at} zone={zone} />}
      {!item.may_schedule && !item.published_at && <div className="kox-cal-tip-note">{t('calendar:item.readOnly')}</div>}
    </div>
  );
}

/**
 * One item on the calendar or in the backlog: tier colour, time, title, stage, conflict mark (the
 * account in the tooltip; the backlog, which has the room, names it after the title).
 */
export function ItemChip({ item, compact = false, withHandle = false, testId }: { item: CalendarItem; compact?: boolean; withHandle?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const { zone, stageName, onOpen } = useDisplay();
  const { dragProps } = useDnd();
  const color = item.tier ? TIER_COLORS[item.tier] : NO_TIER;
  const worst = worstSeverity(item.conflicts);
  const classes = ['kox-cal-item', compact ? 'kox-cal-compact' : '', item.published_at ? 'kox-cal-published' : '', worst ? `kox-cal-has-${worst}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <Tooltip title={<ItemTip item={item} />} mouseEnterDelay={0.3} placement="right" styles={{ root: { maxWidth: 420 } }}>
      <div
        className={classes}
        style={{ borderLeftColor: color, background: `${color}14` }}
        data-testid={testId ?? `cal-item-${item.id}`}
        data-tier={item.tier ?? ''}
        data-conflict={worst ?? ''}
        role="button"
        tabIndex={0}
        aria-label={item.title}
        onClick={() => onOpen(item.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onOpen(item.id);
          }
        }}
        {...dragProps(item)}
      >
        {worst && (
          <ExclamationCircleFilled
            className={`kox-cal-mark kox-cal-mark-${worst}`}
            aria-label={t(`calendar:marks.${worst}`)}
            data-testid="cal-item-mark"
          />
        )}
        {item.published_at && <CheckCircleFilled className="kox-cal-done" aria-label={t('calendar:item.publishedMark')} />}
        {item.at && <span className="kox-cal-time">{timeOfDay(item.at, zone)}</span>}
        {!compact && (
          <>
            <span className="kox-cal-title">
              {item.title}
              {withHandle && item.handle ? <Typography.Text type="secondary"> @{item.handle}</Typography.Text> : null}
            </span>
            <Tag className="kox-cal-stage" data-testid="cal-item-stage">
              {stageName(item.stage)}
            </Tag>
          </>
        )}
      </div>
    </Tooltip>
  );
}

/** An open occurrence of a recurring slot: a dashed box; dropping an item here schedules it at the slot's time. */
export function OpenSlot({ slot }: { slot: SlotOccurrence }) {
  const { t } = useTranslation();
  const { zone, platformName } = useDisplay();
  const { dropProps } = useDnd();
  const scope = slot.account_id
    ? t('calendar:slots.oneAccount')
    : [slot.tier ? t(`tier.${slot.tier}`) : t('calendar:slots.anyTier'), slot.platform ? platformName(slot.platform) : t('calendar:slots.anyPlatform')].join(' · ');
  return (
    <Tooltip title={t('calendar:slots.tip', { name: slot.name, scope, time: fullMoment(slot.at, zone) })}>
      <div className="kox-cal-slot" data-testid={`cal-open-slot-${slot.slot_id}-${slot.at}`} aria-label={t('calendar:slots.aria', { name: slot.name })} {...dropProps({ kind: 'slot', at: slot.at })}>
        <span className="kox-cal-time">{timeOfDay(slot.at, zone)}</span>
        <span className="kox-cal-title">{slot.name}</span>
      </div>
    </Tooltip>
  );
}

/** 休 or 班 with the holiday's name. */
export function HolidayMark({ holiday, short = false }: { holiday: Holiday; short?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`calendar:holidays.kindHint.${holiday.kind}`, { name: holiday.name })}>
      <span className={`kox-cal-holiday kox-cal-holiday-${holiday.kind}`} data-testid={`cal-holiday-${holiday.date}`}>
        <span className="kox-cal-holiday-badge">{t(`calendar:holidays.badge.${holiday.kind}`)}</span>
        {!short && <span className="kox-cal-holiday-name">{holiday.name}</span>}
      </span>
    </Tooltip>
  );
}

/** Slots nobody has filled yet: the ones the calendar shows. */
export const openSlots = (slots: readonly SlotOccurrence[]) => slots.filter((s) => s.filled_by.length === 0);
