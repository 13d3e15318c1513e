// Precompresses the built UI: next to every text asset it writes a brotli (.br) and a gzip (.gz)
// copy, made once at build time at the highest levels. The server embeds them and answers each
// request with the best encoding the browser accepts (see the server's `ui` module).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|wasm)$/;
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export function precompress(dir: string): { files: number; raw: number; br: number; gz: number } {
  const out = { files: 0, raw: 0, br: 0, gz: 0 };
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const data = readFileSync(path);
    if (data.length < MIN_BYTES) continue;
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    const gz = gzipSync(data, { level: 9 });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gz);
    out.files += 1;
    out.raw += data.length;
    out.br += br.length;
    out.gz += gz.length;
  }
  return out;
}

export function precompressPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'kox-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const s = precompress(outDir);
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
      this.info(`precompressed ${s.files} files: ${kb(s.raw)} → br ${kb(s.br)}, gzip ${kb(s.gz)}`);
    },
  };
}
