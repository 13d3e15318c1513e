import { lazy } from 'react';
import type { KoxModule } from '../../module';
import translations from './i18n';

export const authModule: KoxModule = {
  name: 'auth',
  translations,
  routes: [{ path: '/login', page: lazy(() => import('./LoginPage')), public: true, title: 'auth:title' }],
};
