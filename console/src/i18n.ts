// Chinese first, English switchable (i18next); the choice is remembered in this browser.
import i18next from 'i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORE = 'regchain.lang';

export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORE);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export async function initI18n(): Promise<void> {
  await i18next.init({
    lng: initialLanguage(),
    fallbackLng: false,
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    // Lit escapes what it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
}

export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(STORE, lang);
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  window.dispatchEvent(new CustomEvent('rc-language'));
}

export const language = (): Language => (i18next.language === 'en' ? 'en' : 'zh-CN');
export const t = (key: string, options?: Record<string, unknown>): string => i18next.t(key, options ?? {});

/** A vocabulary word (status, category, typology...) in the current language, or the word itself when unnamed. */
export const word = (group: string, value: string): string => (i18next.exists(`vocab.${group}.${value}`) ? t(`vocab.${group}.${value}`) : value);
