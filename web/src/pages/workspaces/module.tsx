import { HomeOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const workspacesModule: KoxModule = {
  name: 'workspaces',
  translations,
  routes: [{ path: '/settings/workspace', page: lazyPage(() => import('./WorkspacePage')) }],
  menu: [{ path: '/settings/workspace', icon: <HomeOutlined />, label: 'workspaces:menu', group: 'settings', order: 10 }],
};
