import type { TFunction } from 'i18next';
import type { CustomField } from '../api/types';

/**
 * Human label of a field name as the API spells it (`display_name`, `custom.budget_level`):
 * custom fields by their own label, the others from `labels` (a `ns:fields` key prefix);
 * a field without a label shows as the API names it.
 */
export function apiFieldLabel(t: TFunction, customFields: CustomField[], labels: string, field: string): string {
  if (field.startsWith('custom.')) {
    const key = field.slice('custom.'.length);
    return customFields.find((f) => f.key === key)?.label ?? key;
  }
  return t(`${labels}.${field}`, { defaultValue: field });
}
