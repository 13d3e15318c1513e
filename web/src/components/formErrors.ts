import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { isApiError } from '../api/client';
import { describeError } from '../lib/errors';

/** `custom.budget_level` → ['custom', 'budget_level'] */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export type SubmitFailure = { kind: 'conflict'; fields: string[] } | { kind: 'field' } | { kind: 'other'; text: string };

/**
 * Maps a failed save onto the form: field errors go next to their input,
 * a stale-version conflict is reported back so the caller can offer a reload,
 * anything else becomes a message text.
 */
export function applyApiError(
  form: FormInstance,
  err: unknown,
  t: TFunction,
  /** maps an API field name onto the form's own naming */
  mapField: (field: string) => string = (f) => f,
): SubmitFailure {
  if (isApiError(err)) {
    if (err.code === 'conflict.stale_version') {
      return { kind: 'conflict', fields: (err.field ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
    }
    if (err.field && err.status < 500) {
      const name = fieldPath(mapField(err.field));
      const registered = form.getFieldsError().some((f) => f.name.join('.') === name.join('.'));
      if (registered) {
        form.setFields([{ name: name as never, errors: [describeError(err, t)] }]);
        form.scrollToField(name as never);
        return { kind: 'field' };
      }
    }
  }
  return { kind: 'other', text: describeError(err, t) };
}
