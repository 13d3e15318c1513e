import { Fragment, useMemo, useRef, useState, type CSSProperties, type DragEvent } from 'react';
import { Empty, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Board, ContentCard, Stage, Tier } from '../../api/types';
import { TierTag } from '../../components/tags';
import { afterIdForDrop, dropIndexAt, groupLanes, wipState, type Lane, type LaneMode } from './board';
import { cardMoves, dropMakesDrafts } from './permissions';
import { ContentCardView } from './ContentCardView';

interface DropTarget {
  lane: string;
  stage: Stage;
  index: number;
}

export function BoardView({
  board,
  lanes: laneMode,
  platformName,
  campaignName,
  campaignOrder,
  memberName,
  onOpen,
  onMove,
}: {
  board: Board;
  lanes: LaneMode;
  platformName: (code: string) => string;
  campaignName: (id: number | null | undefined) => string;
  campaignOrder: number[];
  memberName: (id: number) => string;
  onOpen: (id: number) => void;
  onMove: (card: ContentCard, stage: Stage, afterId: number | null) => void;
}) {
  const { t } = useTranslation();
  const [dragging, setDragging] = useState<ContentCard | null>(null);
  const [over, setOver] = useState<DropTarget | null>(null);
  const draggingRef = useRef<ContentCard | null>(null);

  const columns = board.columns;
  const allCards = useMemo(() => columns.flatMap((c) => c.items), [columns]);
  const lanes: Lane<ContentCard>[] = useMemo(() => groupLanes(allCards, laneMode, campaignOrder), [allCards, laneMode, campaignOrder]);

  const gridStyle = { '--kox-cols': columns.length } as CSSProperties;

  const canDrop = (card: ContentCard | null, stage: Stage) =>
    card !== null && (cardMoves(board.allowed, card).includes(stage) || dropMakesDrafts(board.allowed, card, stage));

  const startDrag = (card: ContentCard, e: DragEvent<HTMLDivElement>) => {
    draggingRef.current = card;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', String(card.id));
    // Let the browser take the drag image before the card is dimmed.
    setTimeout(() => setDragging(card), 0);
  };
  const endDrag = () => {
    draggingRef.current = null;
    setDragging(null);
    setOver(null);
  };

  const slotAt = (zone: HTMLElement, y: number) => {
    const middles = Array.from(zone.querySelectorAll<HTMLElement>('[data-card-id]')).map((el) => {
      const r = el.getBoundingClientRect();
      return r.top + r.height / 2;
    });
    return dropIndexAt(middles, y);
  };

  const zoneHandlers = (laneKey: string, stage: Stage, ids: number[]) => ({
    onDragOver: (e: DragEvent<HTMLDivElement>) => {
      if (!canDrop(draggingRef.current, stage)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      const index = slotAt(e.currentTarget, e.clientY);
      if (!over || over.lane !== laneKey || over.stage !== stage || over.index !== index) setOver({ lane: laneKey, stage, index });
    },
    onDragLeave: (e: DragEvent<HTMLDivElement>) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(null);
    },
    onDrop: (e: DragEvent<HTMLDivElement>) => {
      const card = draggingRef.current;
      e.preventDefault();
      endDrag();
      if (!card || !canDrop(card, stage)) return;
      const index = slotAt(e.currentTarget, e.clientY);
      const afterId = afterIdForDrop(ids, index, card.id, card.stage === stage);
      if (afterId === undefined) return;
      onMove(card, stage, afterId);
    },
  });

  const laneTitle = (lane: Lane<ContentCard>) => {
    if (laneMode === 'tier') return lane.key === 'none' ? <Tag>{t('content:lanes.noTier')}</Tag> : <TierTag tier={lane.key as Tier} />;
    return lane.key === 'none' ? <Tag>{t('content:lanes.noCampaign')}</Tag> : <span>{campaignName(Number(lane.key))}</span>;
  };

  return (
    <div className="kox-board" data-testid="content-board">
      <div className="kox-board-grid" style={gridStyle}>
        {columns.map((col) => {
          const wip = wipState(col.total, col.wip_limit);
          return (
            <div key={col.stage} className={`kox-board-head${wip.over ? ' kox-over' : ''}`} data-testid={`column-head-${col.stage}`}>
              <span>{col.name}</span>
              <Tooltip
                title={
                  col.wip_limit === null || col.wip_limit === undefined
                    ? t('content:wip.noLimit', { total: col.total })
                    : wip.over
                      ? t('content:wip.over', { total: col.total, limit: col.wip_limit })
                      : t('content:wip.within', { total: col.total, limit: col.wip_limit })
                }
              >
                <span className="kox-wip" data-testid={`column-count-${col.stage}`}>
                  {wip.text}
                </span>
              </Tooltip>
            </div>
          );
        })}
      </div>
      {lanes.map((lane) => (
        <Fragment key={lane.key}>
          {laneMode !== 'none' && (
            <div className="kox-lane-title" data-testid={`lane-${lane.key}`}>
              {laneTitle(lane)}
              <span className="kox-wip">{lane.cards.length}</span>
            </div>
          )}
          <div className="kox-board-grid" style={{ ...gridStyle, marginTop: laneMode === 'none' ? 12 : 0 }}>
            {columns.map((col) => {
              const cards = lane.cards.filter((c) => c.stage === col.stage);
              const ids = cards.map((c) => c.id);
              const isOver = over?.lane === lane.key && over.stage === col.stage;
              const dropState = dragging ? (canDrop(dragging, col.stage) ? ' kox-drop-ok' : ' kox-drop-no') : '';
              return (
                <div
                  key={col.stage}
                  className={`kox-column${dropState}`}
                  data-testid={laneMode === 'none' ? `column-${col.stage}` : `column-${col.stage}-${lane.key}`}
                  aria-label={col.name}
                  {...zoneHandlers(lane.key, col.stage, ids)}
                >
                  {cards.map((card, i) => (
                    <Fragment key={card.id}>
                      {isOver && over.index === i && <div className="kox-drop-line" />}
                      <ContentCardView
                        card={card}
                        platformName={platformName}
                        campaignName={campaignName}
                        memberName={memberName}
                        draggable={cardMoves(board.allowed, card).length > 0}
                        dragging={dragging?.id === card.id}
                        onOpen={onOpen}
                        onDragStart={startDrag}
                        onDragEnd={endDrag}
                      />
                    </Fragment>
                  ))}
                  {isOver && over.index >= cards.length && <div className="kox-drop-line" />}
                  {cards.length === 0 && !isOver && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('content:emptyColumn')} />}
                </div>
              );
            })}
          </div>
        </Fragment>
      ))}
    </div>
  );
}
