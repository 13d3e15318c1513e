import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { precompress } from './precompress';

describe('precompress', () => {
  it('writes brotli and gzip copies of text assets that decompress to the original', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kox-precompress-'));
    const js = 'const 选题 = "星河S7";\n'.repeat(200);
    writeFileSync(join(dir, 'app.js'), js);
    writeFileSync(join(dir, 'tiny.css'), 'a{}');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 1));
    const s = precompress(dir);
    expect(s.files).toBe(1);
    expect(brotliDecompressSync(readFileSync(join(dir, 'app.js.br'))).toString()).toBe(js);
    expect(gunzipSync(readFileSync(join(dir, 'app.js.gz'))).toString()).toBe(js);
    expect(s.br).toBeLessThan(s.raw);
    // Too small to gain anything, or already compressed: left alone.
    expect(existsSync(join(dir, 'tiny.css.br'))).toBe(false);
    expect(existsSync(join(dir, 'logo.png.br'))).toBe(false);
  });
});
