import { deviceCommand, type DeviceCommand } from '@mimamori/contract';

export type PromptCommand = Extract<DeviceCommand, { type: 'prompt' }>;

export type CommandReading = { ok: true; command: DeviceCommand } | { ok: false; reason: string };

/**
 * Reads a payload from `…/command` with the contract's schema. A malformed command is refused
 * with the first failing field named (never the payload, which may carry a resident's name).
 */
export function readCommand(payload: Buffer): CommandReading {
  const parsed = deviceCommand.safeParse(parseJson(payload.toString('utf8')));
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid' };
}

/**
 * When the prompt's window ends (PROTOCOL.md: `expiresAt`). A timestamp the device cannot read
 * counts as already over: speaking a question whose answer the hub may no longer take would
 * only confuse the resident.
 */
export function promptExpiresAt(prompt: Pick<PromptCommand, 'expiresAt'>): number {
  const at = Date.parse(prompt.expiresAt);
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

export function isPromptExpired(prompt: Pick<PromptCommand, 'expiresAt'>, now: number): boolean {
  return promptExpiresAt(prompt) <= now;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
