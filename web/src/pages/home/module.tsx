import { HomeOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const homeModule: KoxModule = {
  name: 'home',
  translations,
  routes: [{ path: '/home', page: lazyPage(() => import('./HomePage')) }],
  // Above every other entry: it is where everyone lands.
  menu: [{ path: '/home', icon: <HomeOutlined />, label: 'home:title', order: 0 }],
};
