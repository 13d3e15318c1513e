import { describe, expect, it } from 'vitest';
import type { Resources } from './types';
import { LOCALES, lookup, missingLocales, NAMESPACES } from './namespaces';
import { MODULES } from '../modules';

function leaves(obj: Resources, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'object' ? leaves(v, key) : [key];
  });
}

const get = (res: Resources, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Resources)[k], res);
const vars = (s: string) => (s.match(/{{\s*\w+\s*}}/g) ?? []).map((v) => v.replace(/\s/g, '')).sort();

describe.each(Object.entries(NAMESPACES))('namespace %s', (_, tr) => {
  it('zh-CN and en-US define exactly the same keys (English adds the one-form of each counted string)', () => {
    const zh = leaves(tr['zh-CN']);
    const ones = zh.filter((k) => k.endsWith('_other')).map((k) => k.replace(/_other$/, '_one'));
    expect(leaves(tr['en-US']).sort()).toEqual([...zh, ...ones].sort());
  });

  it('every translation is a non-empty string', () => {
    for (const lng of LOCALES) {
      for (const key of leaves(tr[lng])) {
        const value = get(tr[lng], key);
        expect(typeof value, `${lng} ${key}`).toBe('string');
        expect((value as string).trim(), `${lng} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same interpolation variables in both languages', () => {
    for (const key of leaves(tr['zh-CN'])) {
      expect(vars(get(tr['en-US'], key) as string), key).toEqual(vars(get(tr['zh-CN'], key) as string));
      if (key.endsWith('_other')) {
        const one = key.replace(/_other$/, '_one');
        expect(vars(get(tr['en-US'], one) as string), one).toEqual(vars(get(tr['zh-CN'], key) as string));
      }
    }
  });

  it('counts in English with plural forms, never "(s)"', () => {
    for (const key of leaves(tr['en-US'])) expect(get(tr['en-US'], key) as string, key).not.toMatch(/\(s\)/);
  });
});

describe('namespace registration', () => {
  it('every registered module ships its namespace in both languages', () => {
    for (const m of MODULES) expect(missingLocales(m.translations), m.name).toEqual([]);
    expect(missingLocales(NAMESPACES.common), 'common').toEqual([]);
  });

  it('every module has a namespace of its own', () => {
    const names = MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('common');
    expect(Object.keys(NAMESPACES).sort()).toEqual(['common', ...names].sort());
  });

  it('a namespace registered with one language only is caught', () => {
    expect(missingLocales({ 'zh-CN': { title: '标题' } })).toEqual(['en-US']);
    expect(missingLocales({ 'zh-CN': { title: '标题' }, 'en-US': {} })).toEqual(['en-US']);
  });
});

// Every source file but the tests, as text, to check the keys it asks for.
const sources = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.d.ts', '!../**/i18n.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('keys used in the source', () => {
  const used = Object.entries(sources).flatMap(([file, text]) =>
    [...text.matchAll(/\b(?:t|i18n\.exists)\(\s*(['`])([^'`]+)\1/g)].map((m) => ({ file, key: m[2] })),
  );

  it('are found', () => {
    expect(used.length).toBeGreaterThan(500);
  });

  it('resolve to a string in both languages (a `${…}` key to the tree it picks from)', () => {
    for (const { file, key } of used) {
      for (const lng of LOCALES) {
        const dynamic = key.indexOf('${');
        // A key made whole at run time (`${labels}.${field}`) is checked where it is put together.
        if (dynamic === 0) continue;
        if (dynamic < 0) {
          // A counted string is looked up by its plural forms.
          const found = lookup(lng, key) ?? lookup(lng, `${key}_other`);
          expect(typeof found, `${file}: ${key} (${lng})`).toBe('string');
        } else {
          const prefix = key.slice(0, dynamic);
          expect(prefix.endsWith('.'), `${file}: ${key}`).toBe(true);
          expect(typeof lookup(lng, prefix.slice(0, -1)), `${file}: ${key} (${lng})`).toBe('object');
        }
      }
    }
  });

  it('passed around as `ns:key` strings (menu labels, label prefixes) resolve too', () => {
    const names = new Set(Object.keys(NAMESPACES));
    const keys = Object.entries(sources).flatMap(([file, text]) =>
      [...text.matchAll(/['"`]([a-z-]+):([A-Za-z][\w.]*)['"`]/g)].filter((m) => names.has(m[1])).map((m) => ({ file, key: `${m[1]}:${m[2]}` })),
    );
    expect(keys.length).toBeGreaterThan(500);
    for (const { file, key } of keys) {
      for (const lng of LOCALES) expect(lookup(lng, key) ?? lookup(lng, `${key}_other`), `${file}: ${key} (${lng})`).toBeDefined();
    }
  });
});
