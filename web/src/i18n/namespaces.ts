import type { Locale } from '../api/types';
import common from './common';
import type { Translations } from './types';
import accounts from '../pages/accounts/i18n';
import auth from '../pages/auth/i18n';
import campaigns from '../pages/campaigns/i18n';
import content from '../pages/content/i18n';
import contentSettings from '../pages/content-settings/i18n';
import customFields from '../pages/custom-fields/i18n';
import events from '../pages/events/i18n';
import me from '../pages/me/i18n';
import members from '../pages/members/i18n';
import platforms from '../pages/platforms/i18n';
import redLines from '../pages/red-lines/i18n';
import workspaces from '../pages/workspaces/i18n';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];

/** The shared namespace: keys without a `ns:` prefix are looked up here. */
export const COMMON_NS = 'common';

/** Every namespace by name: the shared one and one per capability, named like its folder. */
export const NAMESPACES: Record<string, Translations> = {
  [COMMON_NS]: common,
  accounts,
  auth,
  campaigns,
  content,
  'content-settings': contentSettings,
  'custom-fields': customFields,
  events,
  me,
  members,
  platforms,
  'red-lines': redLines,
  workspaces,
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
