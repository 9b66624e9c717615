import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { en } from './en.js';
import { ja } from './ja.js';

export type Lang = 'ja' | 'en';

/**
 * The dashboard's words, through i18next (docs/decisions.md): one catalogue per language
 * (`ja.ts`, `en.ts`), keys checked by the compiler against the Japanese one, interpolation and
 * language switching from the library. Japanese first; the choice is remembered on the device.
 */
void i18next.init({
  lng: localStorage.getItem('lang') === 'en' ? 'en' : 'ja',
  fallbackLng: 'ja',
  resources: { ja: { translation: ja }, en: { translation: en } },
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export const t = i18next.t.bind(i18next);
export const lang = (): Lang => (i18next.language === 'en' ? 'en' : 'ja');

export function setLang(next: Lang): void {
  localStorage.setItem('lang', next);
  document.documentElement.lang = next;
  void i18next.changeLanguage(next);
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    i18next.on('languageChanged', listener);
    return () => i18next.off('languageChanged', listener);
  }, []);
  return lang();
}

/** A pair of words the hub sends in both languages (rule names, parameter labels), in the user's. */
export const inLang = (words: { ja: string; en: string }): string => words[lang()];
