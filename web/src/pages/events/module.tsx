import { AuditOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const eventsModule: KoxModule = {
  name: 'events',
  translations,
  routes: [{ path: '/settings/audit', page: lazyPage(() => import('./EventsPage')) }],
  menu: [{ path: '/settings/audit', icon: <AuditOutlined />, label: 'events:title', group: 'settings', order: 70, capability: 'audit.read' }],
};
