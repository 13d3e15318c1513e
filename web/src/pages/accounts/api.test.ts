import { describe, expect, it } from 'vitest';
import { accountQueryParams } from './api';

describe('accountQueryParams', () => {
  it('flattens custom-field filters into cf.<key> and drops empty values', () => {
    expect(
      accountQueryParams({
        limit: 50,
        offset: 0,
        tier: 'KOL',
        q: '',
        tag: undefined,
        cf: { level: '核心', verified: 'true', empty: '', unset: undefined },
      }),
    ).toEqual({ limit: 50, offset: 0, tier: 'KOL', 'cf.level': '核心', 'cf.verified': 'true' });
  });
});
