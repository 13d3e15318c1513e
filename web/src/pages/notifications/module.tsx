import { BellOutlined, NotificationOutlined, SoundOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';
import { notificationPagesQuery } from './queries';

export const notificationsModule: KoxModule = {
  name: 'notifications',
  translations,
  routes: [
    {
      path: '/notifications',
      page: lazyPage(() => import('./NotificationsPage')),
      prefetch: (qc, ws) => void qc.prefetchInfiniteQuery(notificationPagesQuery(ws, {})),
    },
    { path: '/me/notifications', page: lazyPage(() => import('./PreferencesPage')) },
    { path: '/settings/notifications', page: lazyPage(() => import('./SettingsPage')) },
  ],
  menu: [
    { path: '/notifications', icon: <BellOutlined />, label: 'notifications:title', order: 25 },
    {
      path: '/settings/notifications',
      icon: <NotificationOutlined />,
      label: 'notifications:settings.title',
      group: 'settings',
      order: 65,
      capability: 'notifications.manage',
    },
    { path: '/me/notifications', icon: <SoundOutlined />, label: 'notifications:prefs.title', group: 'settings', order: 85 },
  ],
};
