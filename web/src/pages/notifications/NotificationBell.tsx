import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, Drawer, Space, Tooltip } from 'antd';
import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useLiveUnread, useMarkRead, useOpenNotification } from './hooks';
import { NotificationList } from './NotificationList';
import { latestQuery } from './queries';

function NotificationDrawer({ open, unread, onClose }: { open: boolean; unread: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const list = useQuery({ ...latestQuery(wsId), enabled: open });
  const markRead = useMarkRead(t('notifications:allRead'));
  const openOne = useOpenNotification(onClose);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={420}
      title={t('notifications:drawerTitle')}
      data-testid="notification-drawer"
      styles={{ body: { padding: 0 } }}
      extra={
        <Button size="small" disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })} data-testid="notifications-read-all">
          {t('notifications:markAllRead')}
        </Button>
      }
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Link to="/notifications" onClick={onClose} data-testid="notifications-view-all">
            {t('notifications:viewAll')}
          </Link>
          <Link to="/me/notifications" onClick={onClose}>
            <SettingOutlined /> {t('notifications:prefs.title')}
          </Link>
        </Space>
      }
    >
      {list.isError ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <NotificationList items={list.data?.items ?? []} loading={list.isLoading} onOpen={openOne} />
      )}
    </Drawer>
  );
}

/** The header's bell: the unread count, live; a click opens the newest notifications. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useLiveUnread();
  const [open, setOpen] = useState(false);
  const label = t('notifications:bell', { count: unread });
  return (
    <>
      <Tooltip title={label}>
        <Badge count={unread} size="small" overflowCount={99}>
          <Button
            type="text"
            shape="circle"
            icon={<BellOutlined style={{ fontSize: 18 }} />}
            aria-label={label}
            data-testid="notification-bell"
            data-unread={unread}
            onClick={() => setOpen(true)}
          />
        </Badge>
      </Tooltip>
      <NotificationDrawer open={open} unread={unread} onClose={() => setOpen(false)} />
    </>
  );
}
