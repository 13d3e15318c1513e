import { isApiError } from '../api/client';

/**
 * API error codes that have a translation. The key is looked up under
 * `errors.` in the locale files; anything else falls back to the server's
 * human text or a generic message.
 */
export const ERROR_KEYS: Record<string, string> = {
  'auth.invalid_credentials': 'errors.invalidCredentials',
  'auth.rate_limited': 'errors.rateLimited',
  'auth.required': 'errors.authRequired',
  'auth.csrf': 'errors.csrf',
  'auth.forbidden': 'errors.forbidden',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  'conflict.stale_version': 'errors.staleVersion',
  'accounts.handle_taken': 'errors.handleTaken',
  'members.email_taken': 'errors.emailTaken',
  'members.last_admin': 'errors.lastAdmin',
  'custom_fields.key_taken': 'errors.fieldKeyTaken',
  'platforms.code_taken': 'errors.platformCodeTaken',
  'validation.required': 'errors.required',
  'validation.invalid': 'errors.invalid',
  'validation.too_long': 'errors.tooLong',
  'validation.out_of_range': 'errors.outOfRange',
  'network.unreachable': 'errors.network',
};

/** Resolves the translation key for an error code; suffix rules cover families like `*.not_found`. */
export function errorKey(code: string): string | undefined {
  if (ERROR_KEYS[code]) return ERROR_KEYS[code];
  const last = code.split('.').pop() ?? '';
  if (last === 'not_found') return ERROR_KEYS.not_found;
  if (last === 'forbidden') return ERROR_KEYS.forbidden;
  if (last === 'required') return ERROR_KEYS['validation.required'];
  if (last === 'taken' || last.endsWith('_taken')) return 'errors.taken';
  return undefined;
}

type Translate = (key: string, opts?: Record<string, unknown>) => string;

/** Human text for any thrown value, in the current language. */
export function describeError(err: unknown, t: Translate): string {
  if (isApiError(err)) {
    const key = errorKey(err.code);
    if (key) return t(key, { message: err.message, field: err.field ?? '' });
    if (err.status === 403) return t('errors.forbidden');
    if (err.status >= 500) return t('errors.server', { message: err.message });
    return err.message || t('errors.generic');
  }
  if (err instanceof Error && err.message) return t('errors.genericWith', { message: err.message });
  return t('errors.generic');
}
