import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { Pagination, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TIER_COLORS } from '../../components/tags';
import { useDnd } from './dnd';
import { HolidayMark, ItemChip, OpenSlot, openSlots, useDisplay } from './ItemChip';
import { WEEKDAYS } from './rrule';
import { timelineRows, type TimelineRow } from './timeline';
import { byDay, weekday } from './time';
import type { CalendarView, Holiday, SlotOccurrence } from './types';

/** Account rows per page: a month of a thousand accounts is read a page at a time. */
const ROWS_PER_PAGE = 30;

function DayHead({ date, holiday }: { date: string; holiday?: Holiday }) {
  const { t } = useTranslation();
  const { today } = useDisplay();
  const { dropProps } = useDnd();
  const wd = weekday(date);
  return (
    <div
      className={`kox-cal-tl-head${date === today ? ' kox-cal-today' : ''}${wd >= 5 ? ' kox-cal-weekend' : ''}`}
      data-testid={`cal-day-${date}`}
      aria-label={date}
      {...dropProps({ kind: 'day', date })}
    >
      <div>{Number(date.slice(8))}</div>
      <div className="kox-cal-tl-wd">{t(`calendar:weekdays.${WEEKDAYS[wd]}`)}</div>
      {holiday && <HolidayMark holiday={holiday} short />}
    </div>
  );
}

function RowHead({ row }: { row: TimelineRow }) {
  const { t } = useTranslation();
  const { platformName } = useDisplay();
  return (
    <div className="kox-cal-tl-account" style={{ borderLeftColor: row.tier ? TIER_COLORS[row.tier] : '#d9d9d9' }} data-testid={`cal-row-${row.key}`}>
      {row.accountId === null ? (
        <Typography.Text type="secondary">{t('calendar:timeline.noAccount')}</Typography.Text>
      ) : (
        <>
          <div className="kox-cal-tl-name">{row.handle ? `@${row.handle}` : t('calendar:timeline.accountById', { id: row.accountId })}</div>
          <Typography.Text type="secondary" className="kox-cal-tl-meta">
            {[row.tier ? t(`tier.${row.tier}`) : '', row.platform ? platformName(row.platform) : ''].filter(Boolean).join(' · ')}
          </Typography.Text>
        </>
      )}
    </div>
  );
}

function Cell({ date, accountId, children }: { date: string; accountId: number | null | undefined; children: ReactNode }) {
  const { dropProps } = useDnd();
  const target = accountId === undefined ? { kind: 'day' as const, date } : { kind: 'day' as const, date, accountId };
  return (
    <div className="kox-cal-tl-cell" data-testid={`cal-cell-${accountId ?? 'slots'}-${date}`} {...dropProps(target)}>
      {children}
    </div>
  );
}

/** One row per account, the month's days across (like a Gantt chart); tier and platform slots on top. */
export function TimelineView({ days, data }: { days: string[]; data: CalendarView }) {
  const { t } = useTranslation();
  const { zone } = useDisplay();
  const [page, setPage] = useState(1);
  const { rows, groupSlots } = useMemo(() => timelineRows(data.items, openSlots(data.slots)), [data.items, data.slots]);
  const holidays = useMemo(() => new Map(data.holidays.map((h) => [h.date, h])), [data.holidays]);
  const groupByDay = useMemo(() => byDay(groupSlots, (s: SlotOccurrence) => s.at, zone), [groupSlots, zone]);
  const shown = rows.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE);
  const style = { '--kox-days': days.length } as CSSProperties;

  return (
    <div data-testid="cal-timeline">
      <div className="kox-cal-timeline" style={style}>
        <div className="kox-cal-tl-corner">{t('calendar:timeline.accounts', { count: rows.length })}</div>
        {days.map((d) => (
          <DayHead key={d} date={d} holiday={holidays.get(d)} />
        ))}
        {groupSlots.length > 0 && (
          <>
            <div className="kox-cal-tl-account" data-testid="cal-row-slots">
              <Typography.Text type="secondary">{t('calendar:timeline.groupSlots')}</Typography.Text>
            </div>
            {days.map((d) => (
              <Cell key={d} date={d} accountId={undefined}>
                {(groupByDay.get(d) ?? []).map((s) => (
                  <OpenSlot key={`${s.slot_id}-${s.at}`} slot={s} />
                ))}
              </Cell>
            ))}
          </>
        )}
        {shown.map((row) => (
          <TimelineRowCells key={row.key} row={row} days={days} />
        ))}
      </div>
      {rows.length === 0 && (
        <Typography.Paragraph type="secondary" style={{ padding: 24, textAlign: 'center' }}>
          {t('calendar:empty')}
        </Typography.Paragraph>
      )}
      {rows.length > ROWS_PER_PAGE && (
        <Pagination
          style={{ marginTop: 12, textAlign: 'right' }}
          current={page}
          pageSize={ROWS_PER_PAGE}
          total={rows.length}
          showSizeChanger={false}
          onChange={setPage}
        />
      )}
    </div>
  );
}

function TimelineRowCells({ row, days }: { row: TimelineRow; days: string[] }) {
  const { zone } = useDisplay();
  const items = useMemo(() => byDay(row.items, (i) => i.at, zone), [row.items, zone]);
  const slots = useMemo(() => byDay(row.slots, (s) => s.at, zone), [row.slots, zone]);
  return (
    <>
      <RowHead row={row} />
      {days.map((d) => (
        <Cell key={d} date={d} accountId={row.accountId}>
          {(slots.get(d) ?? []).map((s) => (
            <OpenSlot key={`${s.slot_id}-${s.at}`} slot={s} />
          ))}
          {(items.get(d) ?? []).map((it) => (
            <ItemChip key={it.id} item={it} compact />
          ))}
        </Cell>
      ))}
    </>
  );
}
