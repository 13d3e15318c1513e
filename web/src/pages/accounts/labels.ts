import type { TFunction } from 'i18next';
import type { CustomField } from '../../api/types';
import { apiFieldLabel } from '../../lib/fieldLabel';

/** Human label of an account field name as the API spells it (`display_name`, `custom.budget_level`). */
export function accountFieldLabel(t: TFunction, customFields: CustomField[], field: string): string {
  return apiFieldLabel(t, customFields, 'accounts:fields', field);
}
