import { IdcardOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const meModule: KoxModule = {
  name: 'me',
  translations,
  routes: [{ path: '/settings/profile', page: lazyPage(() => import('./MePage')) }],
  menu: [{ path: '/settings/profile', icon: <IdcardOutlined />, label: 'me:menu', group: 'settings', order: 80 }],
};
