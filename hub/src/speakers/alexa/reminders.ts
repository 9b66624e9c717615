import type { Clock } from '@mimamori/contract';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Metrics } from '../../metrics/index.js';
import type { AlexaEchoRepository, PairedEcho } from '../../store/index.js';
import { languageOf, PHRASES } from './phrases.js';

/** Login with Amazon's token endpoint, where the skill's client credentials buy a skill-messaging token. */
export const AMAZON_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
export const REMINDERS_SCOPE = 'alexa::alerts:reminders:skill:readwrite';

/** The skill's client id and secret (developer console, Build → Permissions → Alexa Skill Messaging). */
export interface SkillCredentials {
  clientId: string;
  clientSecret: string;
}

export interface AlexaRemindersDeps {
  echos: Pick<AlexaEchoRepository, 'pending' | 'reminderMade' | 'setRemindersGranted' | 'get'>;
  credentials: SkillCredentials | undefined;
  tokenUrl: string;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/** What the hub asks Alexa to hand back to the skill: which Echo, and which of its waiting commands. */
const remindMessage = z.object({ deviceId: z.string().min(1), key: z.string().min(1) });
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const reminderAnswer = z.looseObject({ alertToken: z.string().min(1) });

/** A reminder rings this long after it is made; Alexa then says it twice unless stopped. */
const REMINDER_DELAY_SECONDS = 30;
/** Alexa drops a skill message it could not hand to the skill within this long. */
const MESSAGE_LIFETIME_SECONDS = 3600;
const HTTP_TIMEOUT_MS = 10_000;

/**
 * Alexa reminders for what the hub says while the resident is not talking to the skill: an
 * Echo cannot start speaking, but a reminder the resident allowed rings at the time the hub
 * prompts ("…お答えは「アレクサ、みまもりを開いて」と…"). Amazon lets a skill create reminders
 * only with a token from a request Alexa sent it, and the one from the resident's last session
 * expires within the hour, so the hub sends a skill message (Skill Messaging API, with the
 * skill's client credentials), Alexa answers with a `Messaging.MessageReceived` request carrying
 * a fresh token, and the reminder is made then (Amazon's tutorial "update a reminder from
 * outside of an Alexa skill session"). Every step that fails is logged and counted.
 */
export class AlexaReminders {
  #token: { value: string; expiresAt: number } | undefined;

  constructor(private readonly deps: AlexaRemindersDeps) {}

  /** Asks Alexa for a reminder of the Echo's waiting command `key`; never rejects. */
  async remind(echo: PairedEcho, key: string): Promise<void> {
    const { credentials, metrics, logger } = this.deps;
    const about = { homeId: echo.homeId, deviceId: echo.deviceId, key };
    if (!echo.remindersGranted) {
      metrics.alexaReminders.inc({ result: 'not_granted' });
      logger.info(about, 'no reminder: the resident has not allowed reminders; it waits for the skill to be opened');
      return;
    }
    if (!credentials) {
      metrics.alexaReminders.inc({ result: 'not_configured' });
      logger.warn(
        about,
        'no reminder: alexa.clientId and alexa.clientSecret are not set; it waits for the skill to be opened',
      );
      return;
    }
    try {
      const token = await this.#messagingToken(credentials);
      const response = await fetch(
        `${echo.apiEndpoint}/v1/skillmessages/users/${encodeURIComponent(echo.alexaUserId)}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            data: { deviceId: echo.deviceId, key },
            expiresAfterSeconds: MESSAGE_LIFETIME_SECONDS,
          }),
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        },
      );
      if (response.status === 401) this.#token = undefined;
      if (!response.ok) throw new Error(`skill messaging answered ${response.status}`);
      metrics.alexaReminders.inc({ result: 'requested' });
    } catch (error) {
      metrics.alexaReminders.inc({ result: 'failed' });
      logger.error({ ...about, err: (error as Error).message }, 'could not ask Alexa for a reminder');
    }
  }

  /** Alexa handing back a skill message: makes the reminder with the fresh token it brought. */
  async onMessage(envelope: RequestEnvelope): Promise<void> {
    const { echos, clock, metrics, logger } = this.deps;
    const request = envelope.request as { message?: unknown };
    const message = remindMessage.safeParse(request.message);
    if (!message.success) {
      logger.warn('a skill message the hub did not send was ignored');
      return;
    }
    const { deviceId, key } = message.data;
    const echo = echos.get(deviceId);
    const waiting = echo && echos.pending(deviceId, key, clock.now());
    if (!echo || !waiting) {
      // Answered, withdrawn or expired while the message travelled, or the Echo was unpaired.
      metrics.alexaReminders.inc({ result: 'withdrawn' });
      return;
    }
    const about = { homeId: echo.homeId, deviceId, key };
    const { apiEndpoint, apiAccessToken } = envelope.context.System;
    const text =
      waiting.command.type === 'prompt'
        ? PHRASES[languageOf(echo.locale)].reminderForPrompt(waiting.command.text)
        : waiting.command.text;
    try {
      const response = await fetch(`${apiEndpoint}/v1/alerts/reminders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiAccessToken ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          requestTime: new Date(clock.now()).toISOString(),
          trigger: { type: 'SCHEDULED_RELATIVE', offsetInSeconds: REMINDER_DELAY_SECONDS },
          alertInfo: { spokenInfo: { content: [{ locale: echo.locale, text }] } },
          pushNotification: { status: 'ENABLED' },
        }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      if (response.status === 401 || response.status === 403) {
        // The resident withdrew the permission in the Alexa app; the skill asks again when opened.
        echos.setRemindersGranted(echo.alexaUserId, false);
      }
      if (!response.ok) throw new Error(`the Reminders API answered ${response.status}`);
      const made = reminderAnswer.parse(await response.json());
      echos.reminderMade(deviceId, key, made.alertToken);
      metrics.alexaReminders.inc({ result: 'created' });
    } catch (error) {
      metrics.alexaReminders.inc({ result: 'failed' });
      logger.error({ ...about, err: (error as Error).message }, 'could not create an Alexa reminder');
    }
  }

  async #messagingToken(credentials: SkillCredentials): Promise<string> {
    const now = this.deps.clock.now();
    if (this.#token && this.#token.expiresAt > now) return this.#token.value;
    const response = await fetch(this.deps.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: 'alexa:skill_messaging',
      }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Login with Amazon answered ${response.status}`);
    const answer = tokenAnswer.parse(await response.json());
    // A minute's margin, so a token is never used as it expires.
    this.#token = { value: answer.access_token, expiresAt: now + (answer.expires_in - 60) * 1000 };
    return answer.access_token;
  }
}
