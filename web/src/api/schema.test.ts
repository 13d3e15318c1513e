import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';

describe('generated API types', () => {
  it('schema.d.ts is up to date with openapi.json (run `npm run gen:api`)', async () => {
    const ast = await openapiTS(new URL('./openapi.json', import.meta.url), { emptyObjectsUnknown: true });
    const generated = astToString(ast);
    const committed = readFileSync(new URL('./schema.d.ts', import.meta.url), 'utf8');
    const body = (s: string) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
    expect(body(committed)).toBe(body(generated));
  });
});
