import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import type { Locale } from '../api/types';
import { COMMON_NS, LOCALES, NAMESPACES, resources } from './namespaces';

export { LOCALES } from './namespaces';
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'kox.locale';

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as string[]).includes(v);
}

/** The language used before we know the user: the last one chosen on this browser, else Chinese. */
export function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_LOCALE;
}

function applyDocumentLocale(lng: Locale) {
  dayjs.locale(lng === 'zh-CN' ? 'zh-cn' : 'en');
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    /* storage unavailable */
  }
}

/** A stored locale string, or the default when the UI does not ship that language. */
export function toLocale(v: string | null | undefined): Locale {
  return isLocale(v) ? v : DEFAULT_LOCALE;
}

export async function setLocale(lng: Locale): Promise<void> {
  if (i18n.language !== lng) await i18n.changeLanguage(lng);
  applyDocumentLocale(lng);
}

const start = initialLocale();

void i18n.use(initReactI18next).init({
  resources: resources(NAMESPACES),
  ns: Object.keys(NAMESPACES),
  defaultNS: COMMON_NS,
  lng: start,
  fallbackLng: DEFAULT_LOCALE,
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocumentLocale(start);

export default i18n;
