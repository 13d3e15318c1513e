import type { Platform, PlatformPatch } from '../../api/types';

export interface PlatformValues {
  code: string;
  name: string;
  title_max?: number | null;
  body_max?: number | null;
  url_patterns?: string[];
}

/** `https://www.xiaohongshu.com/explore/` → `www.xiaohongshu.com/explore/`: rules are host/path-prefix. */
export function normalizeUrlPattern(s: string): string {
  return s.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
}

/** host with a dot, optionally followed by a path prefix; no spaces, no scheme. */
export const URL_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i;

export function urlPatterns(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map(normalizeUrlPattern).filter(Boolean))];
}

const limit = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : null);

export function platformValues(p?: Platform): Partial<PlatformValues> {
  if (!p) return { url_patterns: [] };
  return { code: p.code, name: p.name, title_max: p.title_max, body_max: p.body_max, url_patterns: p.url_patterns };
}

/** Only what differs from the stored platform; an emptied limit is sent as null (no limit). */
export function platformPatch(p: Platform, v: PlatformValues): PlatformPatch {
  const patch: PlatformPatch = {};
  const name = v.name.trim();
  if (name !== p.name) patch.name = name;
  const title = limit(v.title_max);
  if (title !== (p.title_max ?? null)) patch.title_max = title;
  const body = limit(v.body_max);
  if (body !== (p.body_max ?? null)) patch.body_max = body;
  const patterns = urlPatterns(v.url_patterns);
  if (JSON.stringify(patterns) !== JSON.stringify(p.url_patterns ?? [])) patch.url_patterns = patterns;
  return patch;
}
