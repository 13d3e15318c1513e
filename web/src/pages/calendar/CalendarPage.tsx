import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Card, Col, Row, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { stageName as builtinStageName } from '../../lib/builtinNames';
import { dateIn } from '../../lib/timeZones';
import { useContentSettings } from '../content-settings/queries';
import { ContentItemDrawer } from '../content/ContentItemDrawer';
import { useCampaigns } from '../content/hooks';
import { useCustomFields } from '../custom-fields/queries';
import { usePlatforms } from '../platforms/queries';
import { CalendarToolbar, Legend } from './CalendarToolbar';
import { CalendarDnd } from './dnd';
import { DisplayProvider, type CalendarDisplay } from './ItemChip';
import { useLiveCalendar } from './live';
import { MonthView } from './MonthView';
import { backlogQuery, calendarViewQuery, conflictsQuery } from './queries';
import { BacklogPanel, ConflictsPanel } from './SidePanels';
import { TimeGrid } from './TimeGrid';
import { TimelineView } from './TimelineView';
import { stepAnchor, viewDays, viewRange } from './time';
import { calendarQuery, readCalendarState, writeCalendarState, type CalendarState } from './urlState';
import { useSchedule } from './useSchedule';
import './calendar.css';

/** 内容日历: every account's planned and published items by month, week, day or account timeline. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const { wsId, workspace } = useSession();
  // The view, the day, the filters and the open item live in the address bar, as on the board.
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => readCalendarState(searchParams), [searchParams]);
  const setState = useCallback((next: CalendarState) => setSearchParams(writeCalendarState(next), { replace: true }), [setSearchParams]);

  // Days are laid out in the workspace's zone (the answer names it too; they are the same).
  const wsZone = workspace.time_zone;
  const today = dateIn(wsZone);
  const anchor = state.date ?? today;
  const range = useMemo(() => viewRange(state.view, anchor, wsZone), [state.view, anchor, wsZone]);
  const filters = useMemo(() => calendarQuery(state.filters), [state.filters]);

  const view = useQuery(calendarViewQuery(wsId, range, filters));
  const backlog = useQuery(backlogQuery(wsId, filters));
  const conflicts = useQuery({ ...conflictsQuery(wsId, range, filters), enabled: !!state.conflicts });
  useLiveCalendar();

  const zone = view.data?.time_zone ?? wsZone;
  const platforms = usePlatforms(wsId);
  const campaigns = useCampaigns();
  const settings = useContentSettings(wsId);
  const customFields = useCustomFields(wsId, 'content_item');
  const { schedule } = useSchedule(zone);

  const stageName = useCallback(
    (stage: string) => builtinStageName(stage, (settings.data?.stage_names as Record<string, string> | undefined)?.[stage], t),
    [settings.data, t],
  );
  const platformName = useMemo(() => {
    const m = new Map((platforms.data ?? []).map((p) => [p.code, p.name]));
    return (code: string) => m.get(code) ?? code;
  }, [platforms.data]);
  const openItem = useCallback((id: number | undefined) => setState({ ...state, item: id }), [setState, state]);
  const display = useMemo<CalendarDisplay>(() => ({ zone, today, stageName, platformName, onOpen: openItem }), [zone, today, stageName, platformName, openItem]);
  const days = useMemo(() => viewDays(state.view, anchor), [state.view, anchor]);

  const data = view.data;
  return (
    <Card title={t('calendar:title')} extra={<Legend />} data-testid="calendar-page">
      <CalendarToolbar
        view={state.view}
        anchor={anchor}
        onView={(v) => setState({ ...state, view: v })}
        onStep={(dir) => setState({ ...state, date: stepAnchor(state.view, anchor, dir) })}
        onToday={() => setState({ ...state, date: undefined })}
        filters={state.filters}
        onFilters={(f) => setState({ ...state, filters: f })}
        platforms={platforms.data ?? []}
        campaigns={campaigns.items}
        stageName={stageName}
        conflictCount={data?.conflict_count}
        conflictsOpen={!!state.conflicts}
        onConflicts={() => setState({ ...state, conflicts: !state.conflicts || undefined })}
      />
      {zone !== wsZone && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('calendar:zoneNote', { zone })} />}
      <DisplayProvider value={display}>
        <CalendarDnd onDrop={schedule}>
          <Row gutter={12} wrap={false}>
            <Col flex="auto" style={{ minWidth: 0 }}>
              {view.isError ? (
                <ErrorResult error={view.error} onRetry={() => void view.refetch()} />
              ) : !data ? (
                <div style={{ display: 'grid', placeItems: 'center', padding: 48 }}>
                  <Spin />
                </div>
              ) : (
                <Spin spinning={view.isFetching && view.isPlaceholderData} delay={200}>
                  {state.view === 'month' && <MonthView anchor={anchor} data={data} />}
                  {(state.view === 'week' || state.view === 'day') && <TimeGrid days={days} data={data} />}
                  {state.view === 'timeline' && <TimelineView days={days} data={data} />}
                </Spin>
              )}
            </Col>
            <Col flex="300px" style={{ width: 300 }}>
              {state.conflicts && (
                <ConflictsPanel items={conflicts.data?.items} error={conflicts.error} onRetry={() => void conflicts.refetch()} />
              )}
              <BacklogPanel items={backlog.data?.items} error={backlog.error} onRetry={() => void backlog.refetch()} />
            </Col>
          </Row>
        </CalendarDnd>
      </DisplayProvider>
      <ContentItemDrawer
        itemId={state.item ?? null}
        draftOwner={undefined}
        approval={settings.data?.approval}
        stageName={stageName}
        campaigns={campaigns.items}
        customFields={customFields.data ?? []}
        onClose={() => openItem(undefined)}
      />
    </Card>
  );
}
