import type { TFunction } from 'i18next';
import type { CustomField } from '../../api/types';
import { apiFieldLabel } from '../../lib/fieldLabel';

/** Human label of a content field name as the API spells it (`account_id`, `custom.level`). */
export function contentFieldLabel(t: TFunction, customFields: CustomField[], field: string): string {
  return apiFieldLabel(t, customFields, 'content:fields', field);
}
