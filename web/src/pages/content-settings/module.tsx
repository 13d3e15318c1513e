import { ProjectOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const contentSettingsModule: KoxModule = {
  name: 'content-settings',
  translations,
  routes: [{ path: '/settings/content', page: lazyPage(() => import('./ContentSettingsPage')) }],
  menu: [{ path: '/settings/content', icon: <ProjectOutlined />, label: 'content-settings:title', group: 'settings', order: 60 }],
};
