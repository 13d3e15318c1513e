import type { DragEvent } from 'react';
import { Tag, Tooltip } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, MessageOutlined, StopOutlined, UserOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ContentCard, ReviewState } from '../../api/types';
import { TierTag } from '../../components/tags';
import { GradeTag } from '../metrics/GradeTag';

const REVIEW_COLORS: Record<ReviewState, string> = {
  none: 'default',
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};

export function ReviewStateTag({ state }: { state: ReviewState }) {
  const { t } = useTranslation();
  if (state === 'none') return null;
  return (
    <Tag color={REVIEW_COLORS[state]} data-testid="review-state">
      {t(`content:reviewState.${state}`)}
    </Tag>
  );
}

export function ContentCardView({
  card,
  platformName,
  campaignName,
  memberName,
  draggable,
  dragging,
  onOpen,
  onDragStart,
  onDragEnd,
}: {
  card: ContentCard;
  platformName: (code: string) => string;
  campaignName: (id: number | null | undefined) => string;
  memberName: (id: number) => string;
  draggable: boolean;
  dragging: boolean;
  onOpen: (id: number) => void;
  onDragStart: (card: ContentCard, e: DragEvent<HTMLDivElement>) => void;
  onDragEnd: () => void;
}) {
  const { t } = useTranslation();
  const classes = ['kox-card', card.closed ? 'kox-closed' : '', dragging ? 'kox-dragging' : ''].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      data-testid={`card-${card.id}`}
      data-card-id={card.id}
      role="button"
      tabIndex={0}
      aria-label={card.title}
      draggable={draggable}
      onClick={() => onOpen(card.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(card.id);
        }
      }}
      onDragStart={(e) => onDragStart(card, e)}
      onDragEnd={onDragEnd}
    >
      <div className="kox-card-title" data-testid="card-title">
        {card.closed && (
          <Tooltip title={t('content:card.closed')}>
            <CheckCircleFilled style={{ color: '#52c41a', marginRight: 6 }} data-testid="card-closed" />
          </Tooltip>
        )}
        {card.title}
      </div>
      {(card.account_handle || card.platform || card.tier) && (
        <div className="kox-card-meta">
          {card.tier && <TierTag tier={card.tier} />}
          {card.account_handle && <span data-testid="card-account">@{card.account_handle}</span>}
          {card.platform && <span>{platformName(card.platform)}</span>}
        </div>
      )}
      {card.campaign_id ? (
        <div className="kox-card-meta">
          <Tag bordered={false}>{campaignName(card.campaign_id)}</Tag>
        </div>
      ) : null}
      <div className="kox-card-meta">
        {card.grade && <GradeTag grade={card.grade} reason={t('metrics:grade.cardHint')} />}
        <ReviewStateTag state={card.review_state} />
        {card.assignee_id ? (
          <span>
            <UserOutlined /> {memberName(card.assignee_id)}
          </span>
        ) : null}
        {card.due_on && (
          <Tooltip title={card.overdue ? t('content:card.overdue') : t('content:fields.due_on')}>
            <span className={card.overdue ? 'kox-overdue' : undefined} data-testid={card.overdue ? 'card-overdue' : 'card-due'}>
              <ClockCircleOutlined /> {card.due_on}
            </span>
          </Tooltip>
        )}
        {card.red_line_hits > 0 && (
          <Tooltip title={t('content:card.redLines', { count: card.red_line_hits })}>
            <span className="kox-red" data-testid="card-red-lines">
              <StopOutlined /> {card.red_line_hits}
            </span>
          </Tooltip>
        )}
        {card.warnings > 0 && (
          <Tooltip title={t('content:card.warnings', { count: card.warnings })}>
            <span className="kox-warn" data-testid="card-warnings">
              <WarningOutlined /> {card.warnings}
            </span>
          </Tooltip>
        )}
        {card.comments > 0 && (
          <Tooltip title={t('content:card.comments', { count: card.comments })}>
            <span data-testid="card-comments">
              <MessageOutlined /> {card.comments}
            </span>
          </Tooltip>
        )}
      </div>
    </div>
  );
}
