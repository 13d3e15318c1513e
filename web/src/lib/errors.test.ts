import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describeError, errorKey } from './errors';

const t = (key: string, opts?: Record<string, unknown>) => (opts?.message ? `${key}|${String(opts.message)}` : key);

describe('errorKey', () => {
  it('maps known codes to translation keys', () => {
    expect(errorKey('auth.invalid_credentials')).toBe('errors.invalidCredentials');
    expect(errorKey('auth.rate_limited')).toBe('errors.rateLimited');
    expect(errorKey('auth.wrong_password')).toBe('errors.wrongPassword');
    expect(errorKey('conflict.stale_version')).toBe('errors.staleVersion');
    expect(errorKey('accounts.handle_taken')).toBe('errors.handleTaken');
  });

  it('maps code families by suffix', () => {
    expect(errorKey('campaigns.not_found')).toBe('errors.notFound');
    expect(errorKey('tokens.name_taken')).toBe('errors.taken');
  });

  it('returns undefined for unknown codes', () => {
    expect(errorKey('accounts.something_new')).toBeUndefined();
  });
});

describe('describeError', () => {
  it('translates known API errors', () => {
    expect(describeError(new ApiError(401, 'auth.invalid_credentials', 'bad password'), t)).toBe(
      'errors.invalidCredentials|bad password',
    );
  });

  it('fills a refusal in with what it names, a stage by its name', () => {
    const named = (key: string, opts?: Record<string, unknown>) => `${key}|${String(opts?.handle ?? opts?.stage ?? '')}`;
    expect(describeError(new ApiError(403, 'content.not_account_owner', 'x', 'account_id', { handle: 'lily' }), named)).toBe(
      'errors.contentNotAccountOwner|lily',
    );
    expect(describeError(new ApiError(403, 'content.not_account_owner', 'x', 'account_id'), named)).toBe('errors.contentNoOwnAccount|');
    expect(describeError(new ApiError(403, 'content.hub_stages_only', 'x', 'stage', { stage: 'publish' }), named)).toBe(
      'errors.contentHubStagesOnly|stages.publish|',
    );
  });

  it("falls back to the server's message for unknown codes", () => {
    expect(describeError(new ApiError(422, 'accounts.weird', 'Handle looks odd'), t)).toBe('Handle looks odd');
  });

  it('uses generic texts for forbidden, server and non-API errors', () => {
    expect(describeError(new ApiError(403, 'x.y', 'nope'), t)).toBe('errors.forbidden');
    expect(describeError(new ApiError(500, 'x.y', 'boom'), t)).toBe('errors.server|boom');
    expect(describeError(new Error('oops'), t)).toBe('errors.genericWith|oops');
    expect(describeError('strange', t)).toBe('errors.generic');
  });

  it('every mapped key exists in the Chinese resources', async () => {
    const { lookup } = await import('../i18n/namespaces');
    const { ERROR_KEYS } = await import('./errors');
    for (const key of [...Object.values(ERROR_KEYS), 'errors.taken', 'errors.generic', 'errors.server']) {
      expect(typeof lookup('zh-CN', key), key).toBe('string');
    }
    // Importing every namespace's translations takes seconds on a busy two-core machine.
  }, 30_000);

  it('translates every error code the API can answer with, in both languages', async () => {
    const { lookup } = await import('../i18n/namespaces');
    const doc = (await import('../api/openapi.json')).default as {
      components: { schemas: { ErrorCode: { enum: string[] } } };
    };
    const codes = doc.components.schemas.ErrorCode.enum;
    expect(codes.length).toBeGreaterThan(50);
    const untranslated = codes.filter((code) => {
      const key = errorKey(code);
      return !key || typeof lookup('zh-CN', key) !== 'string' || typeof lookup('en-US', key) !== 'string';
    });
    expect(untranslated).toEqual([]);
  });
});
