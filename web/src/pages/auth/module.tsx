import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const authModule: KoxModule = {
  name: 'auth',
  translations,
  routes: [{ path: '/login', page: lazyPage(() => import('./LoginPage')), public: true, title: 'auth:title' }],
};
