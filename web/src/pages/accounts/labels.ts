import type { TFunction } from 'i18next';
import type { CustomField } from '../../api/types';

/** Human label of an account field name as the API spells it (`display_name`, `custom.budget_level`). */
export function accountFieldLabel(t: TFunction, customFields: CustomField[], field: string): string {
  if (field.startsWith('custom.')) {
    const key = field.slice('custom.'.length);
    return customFields.find((f) => f.key === key)?.label ?? key;
  }
  const key = `accounts.fields.${field}`;
  const label = t(key);
  return label === key ? field : label;
}
