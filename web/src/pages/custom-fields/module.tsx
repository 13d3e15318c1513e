import { FormOutlined } from '@ant-design/icons';
import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

export const customFieldsModule: KoxModule = {
  name: 'custom-fields',
  translations,
  routes: [{ path: '/settings/fields', page: lazyPage(() => import('./CustomFieldsPage')) }],
  menu: [{ path: '/settings/fields', icon: <FormOutlined />, label: 'custom-fields:title', group: 'settings', order: 30 }],
};
