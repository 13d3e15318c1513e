import type { Locale } from '../api/types';

/** A namespace's strings in one language: nested objects with strings at the leaves. */
export type Resources = { [key: string]: string | Resources };

/**
 * Same tree as the Chinese resources with every leaf a string — the shape each other locale must
 * have. Chinese has one plural form, so a counted string is one `key_other` there; English adds
 * its `key_one` beside it (i18next picks the form from `count`).
 */
export type LocaleResources<T> = {
  [K in keyof T]: T[K] extends string ? string : LocaleResources<T[K]>;
} & {
  [K in keyof T as K extends `${infer B}_other` ? `${B}_one` : never]: string;
};

/** One namespace in every language the UI ships. */
export type Translations = Record<Locale, Resources>;

/**
 * Pairs a namespace's Chinese strings with their English ones. The English tree is typed from the
 * Chinese one, so a key missing or left over in either language fails the type check.
 */
export function translations<T extends Resources>(zhCN: T, enUS: LocaleResources<T>): Translations {
  return { 'zh-CN': zhCN, 'en-US': enUS as Resources };
}
