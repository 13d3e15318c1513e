import { describe, expect, it } from 'vitest';
import { changedFields } from './diff';

describe('changedFields', () => {
  it('keeps only changed values', () => {
    const prev = { handle: 'a', followers: 10, tags: ['x'], custom: { level: 'S' } };
    const next = { handle: 'a', followers: 11, tags: ['x'], custom: { level: 'S' } };
    expect(changedFields(prev, next)).toEqual({ followers: 11 });
  });

  it('compares arrays and custom maps deeply', () => {
    expect(changedFields({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual({ tags: ['a', 'b'] });
    expect(changedFields<{ custom: Record<string, unknown> }>({ custom: { a: 1 } }, { custom: { a: 1, b: true } })).toEqual({ custom: { a: 1, b: true } });
  });

  it('treats empty string, null and undefined as the same', () => {
    expect(changedFields<{ profile_url?: string | null }>({ profile_url: null }, { profile_url: '' })).toEqual({});
  });
});
