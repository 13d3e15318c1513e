import { StopOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const redLinesModule: KoxModule = {
  name: 'red-lines',
  translations,
  routes: [{ path: '/settings/red-lines', page: lazyPage(() => import('./RedLinesPage')) }],
  menu: [{ path: '/settings/red-lines', icon: <StopOutlined />, label: 'red-lines:title', group: 'settings', order: 50 }],
};
