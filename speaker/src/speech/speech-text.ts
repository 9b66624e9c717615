import type { Language } from '@mimamori/contract';

/**
 * Text as a synthesiser should read it. Open JTalk reads 「9時」 and 「30.5度」 well by itself
 * but says 「9:00」 as "くー、ぜろぜろ", 「28℃」 as "にじゅうはちどしー" and 「-2度」 without the
 * minus, and reads 119 or 0120123456 as numbers ("ひゃくじゅうきゅう"); espeak-ng says "9:00" as
 * "nine zero zero". Measured with Debian's open-jtalk 1.11 and espeak-ng 1.51 (issue 22).
 */
export function forSpeech(text: string, lang: Language): string {
  // NFKC: full-width digits and letters become ASCII, ℃ becomes °C, half-width kana full-width.
  const normal = text.normalize('NFKC');
  return lang === 'ja' ? japanese(normal) : english(normal);
}

const MINUS = '[-−‐]';

function japanese(text: string): string {
  return (
    text
      .replace(
        /(\d{1,2}):(\d{2})(?!\d)/g,
        (_m, h: string, m: string) => `${Number(h)}時${m === '00' ? '' : `${Number(m)}分`}`,
      )
      .replace(new RegExp(`${MINUS}(?=\\d+(?:\\.\\d+)?\\s*(?:°C|°|度))`, 'g'), 'マイナス')
      .replace(/(\d)\s*°C?/g, '$1度')
      .replace(/(?<!\d)(11[09])(?=番)/g, (_m, n: string) => digitsJa(n))
      // A telephone number written without hyphens (Open JTalk reads hyphenated ones digit by digit itself).
      .replace(/(?<![\d-])0\d{9,10}(?![\d-])/g, (n) => digitsJa(n))
  );
}

function english(text: string): string {
  return text
    .replace(/(\d{1,2}):00(?!\d)/g, "$1 o'clock")
    .replace(/(\d{1,2}):(\d{2})(?!\d)/g, (_m, h: string, m: string) => `${h} ${m.startsWith('0') ? `oh ${m[1]}` : m}`)
    .replace(new RegExp(`${MINUS}(?=\\d+(?:\\.\\d+)?\\s*°)`, 'g'), 'minus ')
    .replace(/(\d)\s*°C?/g, '$1 degrees');
}

const JA_DIGITS = ['ぜろ', 'いち', 'にい', 'さん', 'よん', 'ごう', 'ろく', 'なな', 'はち', 'きゅう'];

/** Digit by digit, as telephone numbers are said: 119 → いちいちきゅう. */
function digitsJa(digits: string): string {
  return [...digits].map((d) => JA_DIGITS[Number(d)] ?? d).join('');
}
