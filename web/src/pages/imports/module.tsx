import type { KoxModule } from '../../module';
import translations from './i18n';

/** Imports from spreadsheets: the wizard opens from the list it fills (the accounts page). */
export const importsModule: KoxModule = {
  name: 'imports',
  translations,
  routes: [],
};
