import { randomUUID } from 'node:crypto';
import type { Clock } from '@mimamori/contract';
import type { ChainName, FakeAmazon, PostToSkill } from './fake-amazon.js';
import { TEST_SKILL_ID } from './fake-amazon.js';

export interface EchoOptions {
  deviceId?: string;
  userId?: string;
  locale?: 'ja-JP' | 'en-US';
  remindersGranted?: boolean;
}

/** What the skill answered, as the resident would hear it. */
export interface Heard {
  status: number;
  /** The speech without its SSML tags. */
  said: string;
  reprompt: string | undefined;
  ended: boolean;
  /** A consent card asking for these permissions, if the answer carried one. */
  consentCard: string[] | undefined;
  body: unknown;
}

interface SkillAnswer {
  sessionAttributes?: Record<string, unknown>;
  response?: {
    outputSpeech?: { ssml?: string };
    reprompt?: { outputSpeech?: { ssml?: string } };
    shouldEndSession?: boolean;
    card?: { type: string; permissions?: string[] };
  };
}

const text = (ssml: string | undefined) =>
  ssml
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * An Echo talking to the skill, in the JSON Alexa documents for custom skills ("Request and
 * response JSON reference"): each request carries the session (new, then continued with the
 * attributes the skill returned, until it ends the session) and the device's context, and is
 * signed by the fake Amazon like Alexa signs it.
 */
export class FakeEcho {
  readonly deviceId: string;
  userId: string;
  readonly locale: string;
  remindersGranted: boolean;
  #session: { id: string; attributes: Record<string, unknown> } | undefined;

  constructor(
    private readonly amazon: FakeAmazon,
    private readonly post: PostToSkill,
    private readonly clock: Pick<Clock, 'now'>,
    options: EchoOptions = {},
  ) {
    this.deviceId = options.deviceId ?? `amzn1.ask.device.${randomUUID()}`;
    this.userId = options.userId ?? `amzn1.ask.account.${randomUUID()}`;
    this.locale = options.locale ?? 'ja-JP';
    this.remindersGranted = options.remindersGranted ?? false;
  }

  /** A request of the given type and fields, wrapped in the session and context as Alexa sends it. */
  envelope(request: Record<string, unknown>, at = this.clock.now()): Record<string, unknown> {
    const application = { applicationId: TEST_SKILL_ID };
    const user = {
      userId: this.userId,
      ...(this.remindersGranted && {
        permissions: {
          consentToken: 'consent',
          scopes: { 'alexa::alerts:reminders:skill:readwrite': { status: 'GRANTED' } },
        },
      }),
    };
    const session = this.#session ?? { id: `amzn1.echo-api.session.${randomUUID()}`, attributes: {} };
    return {
      version: '1.0',
      session: {
        new: this.#session === undefined,
        sessionId: session.id,
        application,
        attributes: session.attributes,
        user,
      },
      context: {
        System: {
          application,
          user,
          device: { deviceId: this.deviceId, supportedInterfaces: {} },
          apiEndpoint: this.amazon.apiEndpoint,
          apiAccessToken: this.amazon.issueToken(this.userId),
        },
      },
      request: {
        requestId: `amzn1.echo-api.request.${randomUUID()}`,
        timestamp: new Date(at).toISOString(),
        locale: this.locale,
        ...request,
      },
    };
  }

  /** Sends a request signed with `chain`; `tamper` changes the body after it was signed. */
  async send(
    request: Record<string, unknown>,
    options: {
      chain?: ChainName;
      tamper?: (body: string) => string;
      at?: number;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Heard> {
    const body = JSON.stringify(this.envelope(request, options.at));
    const headers = { ...this.amazon.sign(body, options.chain), ...options.headers };
    const answer = await this.post(headers, options.tamper ? options.tamper(body) : body);
    const skill = answer.body as SkillAnswer;
    const response = skill.response;
    if (answer.status === 200 && response?.shouldEndSession === false) {
      this.#session = { id: this.#session?.id ?? randomUUID(), attributes: skill.sessionAttributes ?? {} };
    } else if (answer.status === 200) {
      this.#session = undefined;
    }
    return {
      status: answer.status,
      said: text(response?.outputSpeech?.ssml) ?? '',
      reprompt: text(response?.reprompt?.outputSpeech?.ssml),
      ended: response?.shouldEndSession !== false,
      consentCard: response?.card?.type === 'AskForPermissionsConsent' ? response.card.permissions : undefined,
      body: answer.body,
    };
  }

  launch() {
    return this.send({ type: 'LaunchRequest' });
  }

  intent(name: string, slots: Record<string, unknown> = {}) {
    return this.send({
      type: 'IntentRequest',
      dialogState: 'COMPLETED',
      intent: { name, confirmationStatus: 'NONE', slots },
    });
  }

  /**
   * AnswerIntent as Alexa resolves the answer slot: `id` when the words matched a value or
   * synonym of the ANSWER slot type (ER_SUCCESS_MATCH), none when they did not.
   */
  answer(words: string, id?: 'fine' | 'unwell' | 'help') {
    const authority = `amzn1.er-authority.echo-sdk.${TEST_SKILL_ID}.ANSWER`;
    return this.intent('AnswerIntent', {
      answer: {
        name: 'answer',
        value: words,
        confirmationStatus: 'NONE',
        source: 'USER',
        resolutions: {
          resolutionsPerAuthority: [
            id
              ? { authority, status: { code: 'ER_SUCCESS_MATCH' }, values: [{ value: { name: words, id } }] }
              : { authority, status: { code: 'ER_SUCCESS_NO_MATCH' } },
          ],
        },
      },
    });
  }

  pair(code: string) {
    return this.intent('PairIntent', {
      code: { name: 'code', value: code, confirmationStatus: 'NONE', source: 'USER' },
    });
  }

  end(reason: 'USER_INITIATED' | 'EXCEEDED_MAX_REPROMPTS' | 'ERROR') {
    return this.send({ type: 'SessionEndedRequest', reason });
  }

  /** Whether a session is open (the skill asked something and waits). */
  get inSession(): boolean {
    return this.#session !== undefined;
  }
}
