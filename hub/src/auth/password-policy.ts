import { problemMessage } from '@mimamori/contract';

/**
 * Passwords people commonly choose, from public breach lists, at least 8 characters long
 * (shorter ones are refused anyway). NIST SP 800-63B and OWASP ASVS ask for such a check
 * instead of composition rules.
 */
const COMMON_PASSWORDS = new Set([
  '00000000',
  '11111111',
  '11223344',
  '12121212',
  '12341234',
  '123123123',
  '12344321',
  '12345678',
  '123456789',
  '1234567890',
  '12345678910',
  '1234qwer',
  '123qweasd',
  '147258369',
  '1q2w3e4r',
  '1q2w3e4r5t',
  '1qaz2wsx',
  '1qazxsw2',
  '22222222',
  '55555555',
  '66666666',
  '77777777',
  '87654321',
  '88888888',
  '987654321',
  '99999999',
  'a1b2c3d4',
  'aa123456',
  'abc12345',
  'abcd1234',
  'abcdefgh',
  'admin123',
  'administrator',
  'asdf1234',
  'asdfasdf',
  'asdfghjk',
  'asdfghjkl',
  'baseball',
  'basketball',
  'changeme',
  'charlie1',
  'computer',
  'doraemon',
  'dragon123',
  'football',
  'freedom1',
  'iloveyou',
  'iloveyou1',
  'internet',
  'jennifer',
  'letmein1',
  'letmein123',
  'liverpool',
  'master123',
  'michael1',
  'mimamori',
  'monkey123',
  'mustang1',
  'naruto123',
  'p@ssw0rd',
  'passw0rd',
  'password',
  'password!',
  'password1',
  'password12',
  'password123',
  'pokemon1',
  'princess',
  'qazwsxedc',
  'qwer1234',
  'qwerty12',
  'qwerty123',
  'qwertyui',
  'qwertyuiop',
  'sakura123',
  'shadow12',
  'starwars',
  'sunshine',
  'superman',
  'trustno1',
  'welcome1',
  'welcome123',
  'whatever',
  'zaq12wsx',
  'zxcvbnm1',
  'zxcvbnm123',
]);

export const MIN_PASSWORD_LENGTH = 8;

/** Why a new password is not acceptable, as a problem of the contract's catalogue. */
export type PasswordRefusal =
  | { problem: 'password_short'; params: { minimum: number } }
  | { problem: 'password_common' | 'password_is_username' | 'password_repeated'; params: Record<string, never> };

/**
 * Why a new password is not acceptable, or undefined. Length and a check against common and
 * guessable choices (the username, a well-known password) — no composition rules, which only
 * push people to `Password1!`.
 */
export function passwordRefusal(password: string, username: string): PasswordRefusal | undefined {
  const normalized = password.normalize('NFKC');
  if ([...normalized].length < MIN_PASSWORD_LENGTH)
    return { problem: 'password_short', params: { minimum: MIN_PASSWORD_LENGTH } };
  const lower = normalized.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return { problem: 'password_common', params: {} };
  if (lower === username.normalize('NFKC').toLowerCase()) return { problem: 'password_is_username', params: {} };
  if (new Set(lower).size === 1) return { problem: 'password_repeated', params: {} };
  return undefined;
}

/** The same, in English (for configuration errors). */
export function passwordProblem(password: string, username: string): string | undefined {
  const refusal = passwordRefusal(password, username);
  return refusal && problemMessage(refusal.problem, refusal.params);
}
