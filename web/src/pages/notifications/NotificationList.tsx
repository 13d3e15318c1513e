import type { ComponentType, KeyboardEvent } from 'react';
import { Avatar, Badge, Button, Empty, List, Tooltip, Typography } from 'antd';
import {
  AuditOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  CommentOutlined,
  ExclamationCircleOutlined,
  ExperimentOutlined,
  ProfileOutlined,
  SendOutlined,
  ShareAltOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Notification, NotificationKind } from '../../api/types';
import { formatTime } from '../../components/events';
import { notificationText, timeAgo } from './text';

const ICONS: Record<NotificationKind, { icon: ComponentType; color: string }> = {
  review_requested: { icon: AuditOutlined, color: '#fa8c16' },
  review_decided: { icon: CheckCircleOutlined, color: '#52c41a' },
  mention: { icon: CommentOutlined, color: '#1677ff' },
  assigned: { icon: UserAddOutlined, color: '#13c2c2' },
  due_tomorrow: { icon: ClockCircleOutlined, color: '#faad14' },
  overdue: { icon: ExclamationCircleOutlined, color: '#f5222d' },
  overdue_digest: { icon: ProfileOutlined, color: '#f5222d' },
  publish_reminder: { icon: SendOutlined, color: '#722ed1' },
  wave_follow_up: { icon: ShareAltOutlined, color: '#2f54eb' },
  test: { icon: ExperimentOutlined, color: '#8c8c8c' },
};

/** The kind's icon; a rejection shows as a red cross. */
export function KindIcon({ n }: { n: Pick<Notification, 'kind' | 'data'> }) {
  const rejected = n.kind === 'review_decided' && (n.data as { decision?: unknown }).decision === 'rejected';
  const { icon: Icon, color } = rejected ? { icon: CloseCircleOutlined, color: '#f5222d' } : (ICONS[n.kind] ?? ICONS.test);
  return <Avatar size="small" style={{ background: 'transparent', color, fontSize: 18 }} icon={<Icon />} />;
}

interface RowProps {
  n: Notification;
  onOpen: (n: Notification) => void;
  /** Offers 标为已读 on unread rows (the full list; in the drawer a click does it). */
  onMarkRead?: (n: Notification) => void;
}

function NotificationRow({ n, onOpen, onMarkRead }: RowProps) {
  const { t } = useTranslation();
  const unread = !n.read_at;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(n);
    }
  };
  return (
    <List.Item
      className="kox-notification"
      data-testid="notification-item"
      data-unread={unread}
      role="button"
      tabIndex={0}
      onClick={() => onOpen(n)}
      onKeyDown={onKey}
      style={{ cursor: 'pointer', padding: '10px 12px', background: unread ? '#f0f7ff' : undefined }}
      actions={
        unread && onMarkRead
          ? [
              <Button
                key="read"
                type="link"
                size="small"
                onClick={(e) => {
                  e.stopPropagation();
                  onMarkRead(n);
                }}
              >
                {t('notifications:markRead')}
              </Button>,
            ]
          : undefined
      }
    >
      <List.Item.Meta
        avatar={
          <Badge dot={unread} offset={[-2, 2]}>
            <KindIcon n={n} />
          </Badge>
        }
        title={
          <Typography.Text strong={unread} style={{ fontWeight: unread ? 600 : 400 }}>
            {notificationText(n, t)}
          </Typography.Text>
        }
        description={
          <Tooltip title={formatTime(n.created_at)}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`notifications:kinds.${n.kind}`)} · {timeAgo(n.created_at)}
            </Typography.Text>
          </Tooltip>
        }
      />
    </List.Item>
  );
}

/** Notifications, newest first: unread ones tinted, bold and dotted; a click opens one. */
export function NotificationList({
  items,
  loading,
  onOpen,
  onMarkRead,
  empty,
}: Omit<RowProps, 'n'> & {
  items: readonly Notification[];
  loading?: boolean;
  empty?: string;
}) {
  const { t } = useTranslation();
  return (
    <List<Notification>
      data-testid="notification-list"
      loading={loading}
      dataSource={[...items]}
      rowKey="id"
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty ?? t('notifications:empty')} /> }}
      renderItem={(n) => <NotificationRow n={n} onOpen={onOpen} onMarkRead={onMarkRead} />}
    />
  );
}
