import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Space, Spin, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useContentSettings } from '../content-settings/queries';
import { contentApi } from './api';
import { boardQuery, contentKeys } from './queries';
import { useCustomFields } from '../custom-fields/queries';
import { usePlatforms } from '../platforms/queries';
import type { Board, ContentCard, ContentItem, Stage } from '../../api/types';
import { useSession } from '../../auth/session';
import { useMemberNames } from '../../components/MemberSelect';
import { ErrorResult } from '../../components/ErrorResult';
import { describeError } from '../../lib/errors';
import { moveOnBoard, type LaneMode } from './board';
import { BoardView } from './BoardView';
import { ContentFilters } from './ContentFilters';
import { ExportButton } from '../../components/ExportButton';
import { stageName as builtinStageName } from '../../lib/builtinNames';
import { ContentCreateDrawer } from './ContentCreateDrawer';
import { ContentItemDrawer } from './ContentItemDrawer';
import { useCacheItem, useCampaigns, useLiveContent } from './hooks';
import { dropMakesDrafts } from './permissions';
import { boardQueryParams, readBoardState, writeBoardState, type BoardFilters, type BoardState } from './urlState';
import './content.css';

/** Cards per column the board asks for. */

export default function ContentBoardPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { wsId, me } = useSession();
  const queryClient = useQueryClient();
  const cacheItem = useCacheItem();
  const platforms = usePlatforms(wsId);
  const campaigns = useCampaigns();
  const settings = useContentSettings(wsId);
  const memberName = useMemberNames();
  const customFields = useCustomFields(wsId, 'content_item');
  const fields = customFields.data ?? [];

  // Filters, swimlanes and the open card live in the address bar, so a view can be reloaded and shared.
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => readBoardState(searchParams), [searchParams]);
  const setState = useCallback((next: BoardState) => setSearchParams(writeBoardState(next), { replace: true }), [setSearchParams]);
  const [creating, setCreating] = useState(false);

  const boardOptions = boardQuery(wsId, state.filters);
  const boardKey = boardOptions.queryKey;
  const board = useQuery(boardOptions);

  useLiveContent(true);

  const platformName = useMemo(() => {
    const m = new Map((platforms.data ?? []).map((p) => [p.code, p.name]));
    return (code: string) => m.get(code) ?? code;
  }, [platforms.data]);
  const campaignOrder = useMemo(() => campaigns.items.map((c) => c.id), [campaigns.items]);
  const stageName = useCallback(
    (stage: string) =>
      board.data?.columns.find((c) => c.stage === stage)?.name ??
      builtinStageName(stage, (settings.data?.stage_names as Record<string, string> | undefined)?.[stage], t),
    [board.data, settings.data, t],
  );

  // A topic dropped on 稿件 becomes drafts: its drawer opens on the account picker (生成稿件).
  const [draftsFor, setDraftsFor] = useState<number | null>(null);
  const onMove = async (card: ContentCard, stage: Stage, afterId: number | null) => {
    if (board.data && dropMakesDrafts(board.data.allowed, card, stage)) {
      void message.info(t('content:dropTopicOnDraft'));
      setDraftsFor(card.id);
      setState({ ...state, item: card.id });
      return;
    }
    // Show the move at once; the server's answer (or the live stream) settles the real order.
    await queryClient.cancelQueries({ queryKey: boardKey });
    const before = queryClient.getQueryData<Board>(boardKey);
    if (before) queryClient.setQueryData<Board>(boardKey, { ...before, columns: moveOnBoard(before.columns, card, stage, afterId) });
    try {
      cacheItem(await contentApi.move(wsId, card.id, { stage, after_id: afterId }));
    } catch (e) {
      if (before) queryClient.setQueryData<Board>(boardKey, before);
      void message.error(describeError(e, t));
    } finally {
      void queryClient.invalidateQueries({ queryKey: contentKeys.board(wsId) });
      void queryClient.invalidateQueries({ queryKey: contentKeys.item(wsId, card.id) });
    }
  };

  const start = board.data?.allowed.create_stage ?? null;
  // Neither a new card nor any drag: the board is for reading (a viewer, an analyst).
  const readOnly = !!board.data && !start && board.data.allowed.moves.every((m) => m.to.length === 0);
  // Members who start in 稿件 (operators) write for their own accounts only, as in the create drawer.
  const draftOwner = start === 'draft' ? me.user.id : undefined;
  const openItem = (id: number | undefined) => setState({ ...state, item: id });

  return (
    <Card
      title={
        <Space>
          {t('content:title')}
          {readOnly && (
            <Tooltip title={t('content:readOnlyHint')}>
              <Tag data-testid="board-read-only">{t('content:readOnly')}</Tag>
            </Tooltip>
          )}
        </Space>
      }
      extra={
        <Space>
          <ExportButton wsId={wsId} path="content/board/export" params={boardQueryParams(state.filters)} fallbackName="board.xlsx" />
          {start && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="content-new">
              {start === 'topic' ? t('content:newTopic') : t('content:newDraft')}
            </Button>
          )}
        </Space>
      }
    >
      <ContentFilters
        value={state.filters}
        lanes={state.lanes}
        onChange={(filters: BoardFilters) => setState({ ...state, filters })}
        onLanes={(lanes: LaneMode) => setState({ ...state, lanes })}
        platforms={platforms.data ?? []}
        campaigns={campaigns.items}
        customFields={fields}
      />
      {board.isError ? (
        <ErrorResult error={board.error} onRetry={() => void board.refetch()} />
      ) : board.data ? (
        <BoardView
          board={board.data}
          lanes={state.lanes}
          platformName={platformName}
          campaignName={campaigns.nameOf}
          campaignOrder={campaignOrder}
          memberName={memberName}
          onOpen={(id) => openItem(id)}
          onMove={(card, stage, afterId) => void onMove(card, stage, afterId)}
        />
      ) : (
        <div style={{ display: 'grid', placeItems: 'center', padding: 48 }}>
          <Spin />
        </div>
      )}
      {start && (
        <ContentCreateDrawer
          open={creating}
          startStage={start}
          campaigns={campaigns.items}
          customFields={fields}
          onClose={() => setCreating(false)}
          onCreated={(item: ContentItem) => {
            setCreating(false);
            openItem(item.id);
          }}
        />
      )}
      <ContentItemDrawer
        itemId={state.item ?? null}
        draftOwner={draftOwner}
        openDrafts={draftsFor !== null && draftsFor === state.item}
        onDraftsOpened={() => setDraftsFor(null)}
        approval={settings.data?.approval}
        stageName={stageName}
        campaigns={campaigns.items}
        customFields={fields}
        onClose={() => openItem(undefined)}
      />
    </Card>
  );
}
