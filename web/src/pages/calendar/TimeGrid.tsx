import { Fragment, useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDnd } from './dnd';
import { HolidayMark, ItemChip, OpenSlot, openSlots, useDisplay } from './ItemChip';
import { WEEKDAYS } from './rrule';
import { byHour, hourKey, monthDay, weekday } from './time';
import type { CalendarItem, CalendarView, Holiday, SlotOccurrence } from './types';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
/** Items an hour cell lists before "+N more". */
const SHOWN_PER_HOUR = 3;
/** The hour the grid opens scrolled to. */
const FIRST_SHOWN_HOUR = 8;

function DayHead({ date, holiday }: { date: string; holiday?: Holiday }) {
  const { t } = useTranslation();
  const { today } = useDisplay();
  const { dropProps } = useDnd();
  return (
    <div className={`kox-cal-tg-day${date === today ? ' kox-cal-today' : ''}`} data-testid={`cal-day-${date}`} aria-label={date} {...dropProps({ kind: 'day', date })}>
      <span>
        {t(`calendar:weekdays.${WEEKDAYS[weekday(date)]}`)} {monthDay(date)}
      </span>
      {holiday && <HolidayMark holiday={holiday} />}
    </div>
  );
}

function HourCell({ date, hour, items, slots }: { date: string; hour: number; items: CalendarItem[]; slots: SlotOccurrence[] }) {
  const { t } = useTranslation();
  const { dropProps } = useDnd();
  const key = hourKey(date, hour);
  const hidden = items.length - SHOWN_PER_HOUR;
  return (
    <div className="kox-cal-hour" data-testid={`cal-slot-${key}`} data-hour={hour} aria-label={`${date} ${key.slice(11)}:00`} {...dropProps({ kind: 'hour', date, hour })}>
      {slots.map((s) => (
        <OpenSlot key={`${s.slot_id}-${s.at}`} slot={s} />
      ))}
      {items.slice(0, SHOWN_PER_HOUR).map((it) => (
        <ItemChip key={it.id} item={it} />
      ))}
      {hidden > 0 && (
        <Popover
          trigger="click"
          content={
            <div className="kox-cal-more">
              {items.slice(SHOWN_PER_HOUR).map((it) => (
                <ItemChip key={it.id} item={it} />
              ))}
            </div>
          }
        >
          <button type="button" className="kox-cal-more-button" data-testid={`cal-more-${key}`}>
            {t('calendar:more', { count: hidden })}
          </button>
        </Popover>
      )}
    </div>
  );
}

/** The week and day views: days across, one row per hour. */
export function TimeGrid({ days, data }: { days: string[]; data: CalendarView }) {
  const { zone } = useDisplay();
  const items = useMemo(() => byHour(data.items, (i) => i.at, zone), [data.items, zone]);
  const slots = useMemo(() => byHour(openSlots(data.slots), (s) => s.at, zone), [data.slots, zone]);
  const holidays = useMemo(() => new Map(data.holidays.map((h) => [h.date, h])), [data.holidays]);
  const body = useRef<HTMLDivElement>(null);
  const style = { '--kox-days': days.length } as CSSProperties;

  // Open on the working day, not at midnight.
  useEffect(() => {
    const row = body.current?.querySelector<HTMLElement>(`[data-hour="${FIRST_SHOWN_HOUR}"]`);
    if (body.current && row) body.current.scrollTop = row.offsetTop;
  }, [days]);

  return (
    <div className="kox-cal-timegrid" style={style} data-testid="cal-timegrid">
      <div className="kox-cal-tg-row kox-cal-tg-head">
        <div />
        {days.map((d) => (
          <DayHead key={d} date={d} holiday={holidays.get(d)} />
        ))}
      </div>
      <div className="kox-cal-tg-body" ref={body}>
        <div className="kox-cal-tg-row">
          {HOURS.map((h) => (
            <Fragment key={h}>
              <div className="kox-cal-hour-label">{`${String(h).padStart(2, '0')}:00`}</div>
              {days.map((d) => (
                <HourCell key={d} date={d} hour={h} items={items.get(hourKey(d, h)) ?? []} slots={slots.get(hourKey(d, h)) ?? []} />
              ))}
            </Fragment>
          ))}
        </div>
      </div>
    </div>
  );
}
