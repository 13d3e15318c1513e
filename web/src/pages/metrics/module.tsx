import { CloudUploadOutlined, FundOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';
import { metricImportsQuery, presetsQuery, registryQuery } from './queries';
import { membersQuery } from '../members/queries';

/** Data in: post numbers from platform exports, pushes and hand entry, and the other data kinds' files; the metric definitions and grades. */
export const metricsModule: KoxModule = {
  name: 'metrics',
  translations,
  routes: [
    {
      path: '/data/imports',
      page: lazyPage(() => import('./MetricImportsPage')),
      title: 'metrics:list.title',
      prefetch: (qc, ws) => {
        void qc.prefetchQuery(metricImportsQuery(ws, null));
        void qc.prefetchQuery(presetsQuery(ws));
        void qc.prefetchQuery(membersQuery(ws));
      },
    },
    {
      path: '/settings/metrics',
      page: lazyPage(() => import('./MetricSettingsPage')),
      prefetch: (qc, ws) => void qc.prefetchQuery(registryQuery(ws)),
    },
  ],
  menu: [
    { path: '/data/imports', icon: <CloudUploadOutlined />, label: 'metrics:list.menu', group: 'data', order: 10 },
    // After 排期规则 (62), before 通知 (65); everyone reads the definitions, data managers change them.
    { path: '/settings/metrics', icon: <FundOutlined />, label: 'metrics:settings.title', group: 'settings', order: 63 },
  ],
};
