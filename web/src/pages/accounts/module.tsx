import { lazy } from 'react';
import { BarChartOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { KoxModule } from '../../module';
import translations from './i18n';

export const accountsModule: KoxModule = {
  name: 'accounts',
  translations,
  routes: [
    { path: '/accounts', page: lazy(() => import('./AccountsPage')) },
    { path: '/overview', page: lazy(() => import('./OverviewPage')) },
  ],
  menu: [
    { path: '/accounts', icon: <UnorderedListOutlined />, label: 'accounts:title', group: 'matrix', order: 10 },
    { path: '/overview', icon: <BarChartOutlined />, label: 'accounts:overview.title', group: 'matrix', order: 40 },
  ],
};
