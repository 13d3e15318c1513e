import { CalendarOutlined, ScheduleOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';
import { SCHEDULE_MANAGE } from './types';
import { contentSettingsQuery } from '../content-settings/queries';
import { platformsQuery } from '../platforms/queries';

export const calendarModule: KoxModule = {
  name: 'calendar',
  translations,
  routes: [
    {
      path: '/calendar',
      page: lazyPage(() => import('./CalendarPage')),
      // The range depends on the workspace's zone, known once the session is; the names are not.
      prefetch: (qc, ws) => {
        void qc.prefetchQuery(platformsQuery(ws));
        void qc.prefetchQuery(contentSettingsQuery(ws));
      },
    },
    { path: '/settings/schedule', page: lazyPage(() => import('./ScheduleSettingsPage')) },
  ],
  menu: [
    // Right after the SOP board (20) in the matrix group.
    { path: '/calendar', icon: <CalendarOutlined />, label: 'calendar:title', group: 'matrix', order: 25 },
    // After 看板与审核 (60), before 通知 (65).
    { path: '/settings/schedule', icon: <ScheduleOutlined />, label: 'calendar:settings.title', group: 'settings', order: 62, capability: SCHEDULE_MANAGE },
  ],
};
