import type { TFunction } from 'i18next';
import type { CustomField } from '../../api/types';

/** Human label of a content field name as the API spells it (`account_id`, `custom.level`). */
export function contentFieldLabel(t: TFunction, customFields: CustomField[], field: string): string {
  if (field.startsWith('custom.')) {
    const key = field.slice('custom.'.length);
    return customFields.find((f) => f.key === key)?.label ?? key;
  }
  const key = `content.fields.${field}`;
  const label = t(key);
  return label === key ? field : label;
}
