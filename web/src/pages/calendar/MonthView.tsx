import { useMemo } from 'react';
import { Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDnd } from './dnd';
import { HolidayMark, ItemChip, OpenSlot, openSlots, useDisplay } from './ItemChip';
import { WEEKDAYS } from './rrule';
import { byDay, viewDays } from './time';
import type { CalendarItem, CalendarView, Holiday, SlotOccurrence } from './types';

/** Items a day cell lists before "+N more". */
const SHOWN_PER_DAY = 4;

function DayCell({
  date,
  inMonth,
  items,
  slots,
  holiday,
}: {
  date: string;
  inMonth: boolean;
  items: CalendarItem[];
  slots: SlotOccurrence[];
  holiday?: Holiday;
}) {
  const { t } = useTranslation();
  const { today } = useDisplay();
  const { dropProps } = useDnd();
  const hidden = items.length - SHOWN_PER_DAY;
  const classes = ['kox-cal-day', inMonth ? '' : 'kox-cal-outside', date === today ? 'kox-cal-today' : '', holiday ? `kox-cal-day-${holiday.kind}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-testid={`cal-day-${date}`} aria-label={date} {...dropProps({ kind: 'day', date })}>
      <div className="kox-cal-day-head">
        <span className="kox-cal-day-number">{Number(date.slice(8))}</span>
        {holiday && <HolidayMark holiday={holiday} />}
      </div>
      {slots.map((s) => (
        <OpenSlot key={`${s.slot_id}-${s.at}`} slot={s} />
      ))}
      {items.slice(0, SHOWN_PER_DAY).map((it) => (
        <ItemChip key={it.id} item={it} />
      ))}
      {hidden > 0 && (
        <Popover
          trigger="click"
          title={date}
          content={
            <div className="kox-cal-more" data-testid={`cal-more-list-${date}`}>
              {items.slice(SHOWN_PER_DAY).map((it) => (
                <ItemChip key={it.id} item={it} />
              ))}
            </div>
          }
        >
          <button type="button" className="kox-cal-more-button" data-testid={`cal-more-${date}`}>
            {t('calendar:more', { count: hidden })}
          </button>
        </Popover>
      )}
    </div>
  );
}

/** The month as whole weeks, Monday first; each day lists its open slots and items. */
export function MonthView({ anchor, data }: { anchor: string; data: CalendarView }) {
  const { t } = useTranslation();
  const { zone } = useDisplay();
  const days = useMemo(() => viewDays('month', anchor), [anchor]);
  const items = useMemo(() => byDay(data.items, (i) => i.at, zone), [data.items, zone]);
  const slots = useMemo(() => byDay(openSlots(data.slots), (s) => s.at, zone), [data.slots, zone]);
  const holidays = useMemo(() => new Map(data.holidays.map((h) => [h.date, h])), [data.holidays]);
  const month = anchor.slice(0, 7);
  return (
    <div className="kox-cal-month" data-testid="cal-month">
      <div className="kox-cal-weekdays">
        {WEEKDAYS.map((d) => (
          <div key={d}>{t(`calendar:weekdays.${d}`)}</div>
        ))}
      </div>
      <div className="kox-cal-month-grid">
        {days.map((d) => (
          <DayCell key={d} date={d} inMonth={d.startsWith(month)} items={items.get(d) ?? []} slots={slots.get(d) ?? []} holiday={holidays.get(d)} />
        ))}
      </div>
    </div>
  );
}
