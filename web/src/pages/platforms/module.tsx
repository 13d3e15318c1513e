import { lazy } from 'react';
import { AppstoreOutlined } from '@ant-design/icons';
import type { KoxModule } from '../../module';
import translations from './i18n';

export const platformsModule: KoxModule = {
  name: 'platforms',
  translations,
  routes: [{ path: '/settings/platforms', page: lazy(() => import('./PlatformsPage')) }],
  menu: [{ path: '/settings/platforms', icon: <AppstoreOutlined />, label: 'platforms:title', group: 'settings', order: 40 }],
};
