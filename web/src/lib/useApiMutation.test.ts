import { describe, expect, it } from 'vitest';
import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { explainFailure } from './useApiMutation';

const t = (key: string) => key;

/** A form with these inputs, recording the errors put on them. */
function fakeForm(fields: string[]) {
  const shown: Record<string, string[]> = {};
  const form = {
    getFieldsError: () => fields.map((f) => ({ name: f.split('.'), errors: [], warnings: [] })),
    setFields: (list: { name: (string | number)[]; errors: string[] }[]) => {
      for (const f of list) shown[f.name.join('.')] = f.errors;
    },
    scrollToField: () => undefined,
  } as unknown as FormInstance;
  return { form, shown };
}

const stale = new ApiError(409, 'conflict.stale_version', 'stale', 'handle, tags');
const taken = new ApiError(409, 'accounts.handle_taken', 'taken', 'handle');

describe('explainFailure', () => {
  it('reports a failure outside any form in a message', () => {
    expect(explainFailure(taken, t)).toEqual({ message: 'errors.handleTaken' });
  });

  it('puts an error naming a field of the form next to that field, and shows nothing else', () => {
    const { form, shown } = fakeForm(['handle']);
    expect(explainFailure(taken, t, { form })).toBeNull();
    expect(shown).toEqual({ handle: ['errors.handleTaken'] });
  });

  it('follows the form’s own naming of a field', () => {
    const { form, shown } = fakeForm(['url_patterns']);
    const bad = new ApiError(422, 'validation.url_pattern', 'bad', 'url_patterns.1');
    expect(explainFailure(bad, t, { form, mapField: (f) => f.replace(/\.\d+$/, '') })).toBeNull();
    expect(shown).toEqual({ url_patterns: ['errors.urlPattern'] });
  });

  it('uses a message when the field is not on the form', () => {
    const { form } = fakeForm(['name']);
    expect(explainFailure(taken, t, { form })).toEqual({ message: 'errors.handleTaken' });
  });

  it('keeps a stale-version conflict for the form’s alert, with the fields changed elsewhere', () => {
    const { form } = fakeForm(['handle']);
    expect(explainFailure(stale, t, { form, conflictAlert: true })).toEqual({ conflict: ['handle', 'tags'] });
  });

  it('reports a stale version in a message when the form has no alert for it', () => {
    const { form } = fakeForm(['handle']);
    expect(explainFailure(stale, t, { form })).toEqual({ message: 'errors.staleVersion' });
  });
});
