import { BarChartOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';
import { accountListQuery } from './queries';
import { listQueryParams, readListState } from './urlState';
import { customFieldsQuery } from '../custom-fields/queries';
import { membersQuery } from '../members/queries';
import { platformsQuery } from '../platforms/queries';

export const accountsModule: KoxModule = {
  name: 'accounts',
  translations,
  routes: [
    {
      path: '/accounts',
      page: lazyPage(() => import('./AccountsPage')),
      prefetch: (qc, ws, search) => {
        void qc.prefetchQuery(accountListQuery(ws, listQueryParams(readListState(search))));
        void qc.prefetchQuery(membersQuery(ws));
        void qc.prefetchQuery(platformsQuery(ws));
        void qc.prefetchQuery(customFieldsQuery(ws, 'account'));
      },
    },
    { path: '/overview', page: lazyPage(() => import('./OverviewPage')) },
  ],
  menu: [
    { path: '/accounts', icon: <UnorderedListOutlined />, label: 'accounts:title', group: 'matrix', order: 10 },
    { path: '/overview', icon: <BarChartOutlined />, label: 'accounts:overview.title', group: 'matrix', order: 40 },
  ],
};
