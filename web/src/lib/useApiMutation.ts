import { useCallback, useState } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { App, type FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { applyApiError } from '../components/formErrors';
import { describeError } from './errors';

type Of<TData, TVars, R> = R | ((data: TData, vars: TVars) => R);

export interface ApiMutationOptions<TData, TVars> {
  mutationFn: (vars: TVars) => Promise<TData>;
  /** What the success message says (already translated); none when absent. */
  success?: Of<TData, TVars, string>;
  /** Queries the write makes stale; refetched after `onSuccess` has run. */
  invalidate?: Of<TData, TVars, readonly QueryKey[]>;
  onSuccess?: (data: TData, vars: TVars) => void;
  /** Runs after the failure has been shown. */
  onError?: (err: unknown) => void;
  /** The form being saved: an API error naming one of its fields is shown at that field instead of in a message. */
  form?: FormInstance;
  /** Maps an API field name onto the form's own naming. */
  mapField?: (field: string) => string;
  /**
   * Keep a stale-version 409 in `conflict` for a ConflictAlert (the form offers a reload)
   * instead of reporting it in a message.
   */
  conflictAlert?: boolean;
}

type Translate = (key: string, opts?: Record<string, unknown>) => string;

/**
 * What a failed write shows: the fields another person changed (for the form's ConflictAlert),
 * a message text, or nothing more once the error sits next to its input on the form.
 */
export function explainFailure(
  err: unknown,
  t: Translate,
  { form, mapField, conflictAlert }: Pick<ApiMutationOptions<unknown, unknown>, 'form' | 'mapField' | 'conflictAlert'> = {},
): { conflict: string[] } | { message: string } | null {
  if (!form) return { message: describeError(err, t) };
  const failure = applyApiError(form, err, t as TFunction, mapField);
  if (failure.kind === 'conflict') return conflictAlert ? { conflict: failure.fields } : { message: t('errors.staleVersion') };
  if (failure.kind === 'other') return { message: failure.text };
  return null;
}

const resolve = <TData, TVars, R>(v: Of<TData, TVars, R>, data: TData, vars: TVars): R =>
  typeof v === 'function' ? (v as (data: TData, vars: TVars) => R)(data, vars) : v;

/**
 * Every write the UI makes, with one way of reporting it: a success message and the queries it
 * makes stale on success; on failure the field errors on the form, a stale-version conflict for
 * the form's alert, anything else in an error message.
 */
export function useApiMutation<TData, TVars = void>(options: ApiMutationOptions<TData, TVars>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<string[] | null>(null);
  const clearConflict = useCallback(() => setConflict(null), []);
  const { mutationFn, success, invalidate, onSuccess, onError, form, mapField, conflictAlert } = options;

  const mutation = useMutation<TData, unknown, TVars>({
    mutationFn,
    onSuccess: (data, vars) => {
      onSuccess?.(data, vars);
      for (const queryKey of invalidate ? resolve(invalidate, data, vars) : []) void queryClient.invalidateQueries({ queryKey });
      if (success !== undefined) void message.success(resolve(success, data, vars));
    },
    onError: (err) => {
      const shown = explainFailure(err, t, { form, mapField, conflictAlert });
      if (shown && 'conflict' in shown) setConflict(shown.conflict);
      else if (shown) void message.error(shown.message);
      onError?.(err);
    },
  });
  return { ...mutation, conflict, clearConflict };
}
