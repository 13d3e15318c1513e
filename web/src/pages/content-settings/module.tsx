import { lazy } from 'react';
import { ProjectOutlined } from '@ant-design/icons';
import type { KoxModule } from '../../module';
import translations from './i18n';

export const contentSettingsModule: KoxModule = {
  name: 'content-settings',
  translations,
  routes: [{ path: '/settings/content', page: lazy(() => import('./ContentSettingsPage')) }],
  menu: [{ path: '/settings/content', icon: <ProjectOutlined />, label: 'content-settings:title', group: 'settings', order: 60 }],
};
