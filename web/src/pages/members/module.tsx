import { TeamOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const membersModule: KoxModule = {
  name: 'members',
  translations,
  routes: [{ path: '/settings/members', page: lazyPage(() => import('./MembersPage')) }],
  menu: [{ path: '/settings/members', icon: <TeamOutlined />, label: 'members:title', group: 'settings', order: 20 }],
};
