import { LayoutOutlined, RiseOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';
import { ACCOUNT_PICKS, boardQuery, CAMPAIGNS_SHOWN } from './queries';
import { readBoardState } from './urlState';
import { accountListQuery } from '../accounts/queries';
import { campaignListQuery } from '../campaigns/queries';
import { contentSettingsQuery } from '../content-settings/queries';
import { customFieldsQuery } from '../custom-fields/queries';
import { membersQuery } from '../members/queries';
import { platformsQuery } from '../platforms/queries';

export const contentModule: KoxModule = {
  name: 'content',
  translations,
  routes: [
    {
      path: '/content',
      page: lazyPage(() => import('./ContentBoardPage')),
      // Everything the board's first screen reads: the cards, the names on them and the filter bar.
      prefetch: (qc, ws, search) => {
        void qc.prefetchQuery(boardQuery(ws, readBoardState(search).filters));
        void qc.prefetchQuery(contentSettingsQuery(ws));
        void qc.prefetchQuery(campaignListQuery(ws, CAMPAIGNS_SHOWN));
        void qc.prefetchQuery(accountListQuery(ws, ACCOUNT_PICKS));
        void qc.prefetchQuery(membersQuery(ws));
        void qc.prefetchQuery(platformsQuery(ws));
        void qc.prefetchQuery(customFieldsQuery(ws, 'content_item'));
      },
    },
    { path: '/content/stats', page: lazyPage(() => import('./FirstPassPage')) },
  ],
  menu: [
    { path: '/content', icon: <LayoutOutlined />, label: 'content:title', group: 'matrix', order: 20 },
    { path: '/content/stats', icon: <RiseOutlined />, label: 'content:firstPass.title', group: 'matrix', order: 30 },
  ],
};
