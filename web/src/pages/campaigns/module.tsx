import { FlagOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const campaignsModule: KoxModule = {
  name: 'campaigns',
  translations,
  routes: [
    { path: '/campaigns', page: lazyPage(() => import('./CampaignsPage')) },
    { path: '/campaigns/:id', page: lazyPage(() => import('./CampaignPage')), title: 'campaigns:page.title' },
  ],
  // Between the matrix (10) and the settings (30) groups.
  menu: [{ path: '/campaigns', icon: <FlagOutlined />, label: 'campaigns:title', order: 20 }],
};
