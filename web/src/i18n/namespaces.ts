import type { Locale } from '../api/types';
import common from './common';
import type { Translations } from './types';
import { MODULES } from '../modules';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];

/** The shared namespace: keys without a `ns:` prefix are looked up here. */
export const COMMON_NS = 'common';

/** Every namespace by name: the shared one and each capability module's own. */
export const NAMESPACES: Record<string, Translations> = {
  [COMMON_NS]: common,
  ...Object.fromEntries(MODULES.map((m) => [m.name, m.translations])),
};

/** i18next resources: language → namespace → strings. */
export function resources(namespaces: Record<string, Translations>) {
  return Object.fromEntries(LOCALES.map((lng) => [lng, Object.fromEntries(Object.entries(namespaces).map(([ns, tr]) => [ns, tr[lng]]))]));
}

/** What a key (`ns:path.to.leaf`, or a path in the common namespace) holds in one language. */
export function lookup(lng: Locale, key: string, namespaces: Record<string, Translations> = NAMESPACES): unknown {
  const colon = key.indexOf(':');
  const ns = colon < 0 ? COMMON_NS : key.slice(0, colon);
  const path = colon < 0 ? key : key.slice(colon + 1);
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], namespaces[ns]?.[lng]);
}

function hasStrings(res: unknown): boolean {
  return typeof res === 'string' ? res.trim() !== '' : typeof res === 'object' && res !== null && Object.values(res).some(hasStrings);
}

/** The languages a namespace lacks (absent, or without a single string). */
export function missingLocales(tr: Partial<Translations>): Locale[] {
  return LOCALES.filter((lng) => !hasStrings(tr[lng]));
}
