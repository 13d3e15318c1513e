import { useState } from 'react';
import { Button, Card, Segmented, Select, Space, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { NotificationKind } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useMarkRead, useOpenNotification, useUnread } from './hooks';
import { NotificationList } from './NotificationList';
import { notificationPagesQuery } from './queries';
import { KINDS } from './text';

type Show = 'all' | 'unread';

export default function NotificationsPage() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [show, setShow] = useState<Show>('all');
  const [kind, setKind] = useState<NotificationKind | undefined>();
  const pages = useInfiniteQuery(notificationPagesQuery(wsId, { unread: show === 'unread' || undefined, kind }));
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = useUnread();
  const markAll = useMarkRead(t('notifications:allRead'));
  const markOne = useMarkRead();
  const open = useOpenNotification();

  return (
    <Card
      title={t('notifications:title')}
      extra={
        <Button onClick={() => markAll.mutate({ all: true })} disabled={unread === 0} loading={markAll.isPending} data-testid="notifications-read-all">
          {t('notifications:markAllRead')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<Show>
          value={show}
          onChange={setShow}
          options={[
            { value: 'all', label: t('notifications:filters.all') },
            { value: 'unread', label: t('notifications:filters.unread') },
          ]}
          data-testid="notifications-show"
        />
        <Select<NotificationKind>
          allowClear
          aria-label={t('notifications:filters.kind')}
          placeholder={t('notifications:filters.allKinds')}
          value={kind}
          onChange={setKind}
          style={{ width: 180 }}
          options={KINDS.map((k) => ({ value: k, label: t(`notifications:kinds.${k}`) }))}
        />
        <Typography.Text type="secondary" data-testid="notifications-unread">
          {t('notifications:unreadCount', { count: unread })}
        </Typography.Text>
      </Space>
      {pages.isError ? (
        <ErrorResult error={pages.error} onRetry={() => void pages.refetch()} />
      ) : (
        <NotificationList
          items={items}
          loading={pages.isLoading}
          onOpen={open}
          onMarkRead={(n) => markOne.mutate({ ids: [n.id] })}
          empty={show === 'unread' ? t('notifications:emptyUnread') : t('notifications:empty')}
        />
      )}
      {items.length > 0 && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          {pages.hasNextPage ? (
            <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </div>
      )}
    </Card>
  );
}
