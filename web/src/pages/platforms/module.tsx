import { AppstoreOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const platformsModule: KoxModule = {
  name: 'platforms',
  translations,
  routes: [{ path: '/settings/platforms', page: lazyPage(() => import('./PlatformsPage')) }],
  menu: [{ path: '/settings/platforms', icon: <AppstoreOutlined />, label: 'platforms:title', group: 'settings', order: 40 }],
};
