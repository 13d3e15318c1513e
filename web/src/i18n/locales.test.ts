import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import enUS from './en-US';

function leaves(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' ? leaves(v as Record<string, unknown>, key) : [key];
  });
}

describe('locale resources', () => {
  it('zh-CN and en-US define exactly the same keys', () => {
    expect(leaves(enUS).sort()).toEqual(leaves(zhCN).sort());
  });

  it('every translation is a non-empty string', () => {
    for (const res of [zhCN, enUS]) {
      for (const key of leaves(res)) {
        const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], res);
        expect(typeof value, key).toBe('string');
        expect((value as string).trim(), key).not.toBe('');
      }
    }
  });

  it('uses the same interpolation variables in both languages', () => {
    const vars = (s: string) => (s.match(/{{\s*\w+\s*}}/g) ?? []).map((v) => v.replace(/\s/g, '')).sort();
    for (const key of leaves(zhCN)) {
      const get = (res: object) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], res) as string;
      expect(vars(get(enUS)), key).toEqual(vars(get(zhCN)));
    }
  });
});
