import { lazy } from 'react';
import { LayoutOutlined, RiseOutlined } from '@ant-design/icons';
import type { KoxModule } from '../../module';
import translations from './i18n';

export const contentModule: KoxModule = {
  name: 'content',
  translations,
  routes: [
    { path: '/content', page: lazy(() => import('./ContentBoardPage')) },
    { path: '/content/stats', page: lazy(() => import('./FirstPassPage')) },
  ],
  menu: [
    { path: '/content', icon: <LayoutOutlined />, label: 'content:title', group: 'matrix', order: 20 },
    { path: '/content/stats', icon: <RiseOutlined />, label: 'content:firstPass.title', group: 'matrix', order: 30 },
  ],
};
