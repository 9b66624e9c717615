import { DEMO_USERS } from '../users-seed.js';

/** The demo logins' passwords: published in the README and printed by every demo hub. */
const DEMO_PASSWORDS: ReadonlySet<string> = new Set(DEMO_USERS.map((user) => user.password));

/**
 * What an example left in place looks like: `<12+ characters>` as docs/operations.md showed
 * it, an unexpanded `${VAR}` or `{{var}}`, an ellipsis, or words that ask to be replaced.
 */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /^<.*>$/s,
  /^\$\{.*\}$/s,
  /^\{\{.*\}\}$/s,
  /…|\.\.\./,
  /change[-_ ]?(me|this|it)|replace[-_ ]?(me|this)|your[-_ ]?(own[-_ ]?)?(password|secret)|placeholder|12\+ characters/i,
];

/**
 * Why an operator's secret must not be used, or undefined. The demo passwords are refused
 * outside demo mode (issue 20: the README's admin password started a production hub and
 * logged in); a placeholder is refused in every mode, since nobody means one.
 */
export function secretProblem(secret: string, mode: 'production' | 'development' | 'demo'): string | undefined {
  if (mode !== 'demo' && DEMO_PASSWORDS.has(secret)) {
    return `is one of the demo passwords, which are published; choose your own, e.g. the output of \`openssl rand -base64 18\``;
  }
  if (PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(secret.trim()))) {
    return 'looks like a placeholder copied from an example; put a real secret there, e.g. the output of `openssl rand -base64 18`';
  }
  return undefined;
}
