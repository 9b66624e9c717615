import type { CheckinItems } from '@mimamori/contract';
import type { HandlerInput } from 'ask-sdk-core';
import type { interfaces, Response } from 'ask-sdk-model';
import type { PairedEcho } from '../../store/index.js';
import { sessionState, UNCLEAR_LIMIT, type Asking, type Heard, type SessionState } from './dialogue.js';
import { EchoDesk, type EchoDeskDeps } from './echo-desk.js';
import type { EchoIdentity, Pairing } from './pairing.js';
import { languageOf, PHRASES, ssml, type Answer, type Phrases } from './phrases.js';
import { REMINDERS_SCOPE } from './reminders.js';
import { understand } from './understanding.js';

export interface ConversationDeps extends EchoDeskDeps {
  pairing: Pick<Pairing, 'redeem'>;
}

/** One turn's reply: what to say, and the question that keeps the session open (none: it ends). */
interface Reply {
  say: string[];
  ask?: { question: string; reprompt: string; asking: Asking };
  askForReminders?: boolean;
}

/** The resident is asked again for the reminder permission at most this often. */
const PERMISSION_ASK_EVERY_MS = 7 * 86_400_000;

/** Whether the request says the resident allowed reminders (its permission scopes, else a consent token). */
export function remindersGranted(system: interfaces.system.SystemState): boolean {
  const scope = system.user.permissions?.scopes?.[REMINDERS_SCOPE]?.status;
  return scope ? scope === 'GRANTED' : system.user.permissions?.consentToken !== undefined;
}

/**
 * The conversation with the resident (docs/speakers.md, Alexa): pairing an unknown Echo by its code; on
 * opening, announcements waiting for it and then each pending prompt; answers passed to the hub
 * as the reference speaker passes them (`checkin` with the prompt's id, or voluntary; 助けて
 * outside a prompt an `sos`), confirmed only once stored; items asked one by one; unclear
 * speech asked again and never taken as 元気; 「もう一度」, help, stop.
 */
export class Conversation {
  readonly #desk: EchoDesk;

  constructor(private readonly deps: ConversationDeps) {
    this.#desk = new EchoDesk(deps);
  }

  async turn(input: HandlerInput): Promise<Response> {
    const { request, context, session } = input.requestEnvelope;
    const system = context.System;
    const p = PHRASES[languageOf((request as { locale?: string }).locale)];
    const attributes = sessionState.safeParse(session?.new ? {} : input.attributesManager.getSessionAttributes());
    const state: SessionState = attributes.success ? attributes.data : {};
    const alexaDeviceId = system.device?.deviceId;
    if (!alexaDeviceId) return input.responseBuilder.speak(ssml(p.later)).withShouldEndSession(true).getResponse();
    const echo = this.deps.echos.byAlexaDevice(alexaDeviceId);
    const eventId = `alexa-${request.requestId}`;
    if (request.type === 'SessionEndedRequest') {
      if (echo) await this.#sessionEnded(echo, state, request.reason, eventId);
      return input.responseBuilder.getResponse();
    }
    const heard = request.type === 'IntentRequest' ? understand(request) : undefined;
    const identity: EchoIdentity = {
      alexaDeviceId,
      alexaUserId: system.user.userId,
      apiEndpoint: system.apiEndpoint,
      locale: (request as { locale?: string }).locale ?? 'ja-JP',
      remindersGranted: remindersGranted(system),
    };
    const reply = echo
      ? await this.#paired(this.#desk.seen(echo, identity), p, state, heard, { isNew: session?.new !== false, eventId })
      : await this.#unpaired(p, identity, heard);
    return this.#respond(input, p, reply);
  }

  async #unpaired(p: Phrases, identity: EchoIdentity, heard: Heard | undefined): Promise<Reply> {
    const askCode = { question: p.askCode, reprompt: p.codeRepeat, asking: { kind: 'code' } as const };
    if (heard?.kind === 'answer' && heard.answer === 'help') return { say: [p.notPassedOn('help')], ask: askCode };
    if (heard?.kind !== 'code' || !heard.code) return { say: [], ask: askCode };
    const result = this.deps.pairing.redeem(heard.code, identity);
    switch (result.kind) {
      case 'paired':
        this.#desk.online(result.echo);
        return { say: [p.paired], askForReminders: !result.echo.remindersGranted };
      case 'unknown':
        return { say: [], ask: { ...askCode, question: p.codeUnknown } };
      case 'expired':
        return { say: [p.codeExpired] };
      case 'used':
        return { say: [p.codeUsed] };
      case 'throttled':
        return { say: [p.codeTriesExceeded] };
      case 'already_paired':
        return { say: [p.alreadyPaired] };
    }
  }

  async #paired(
    echo: PairedEcho,
    p: Phrases,
    state: SessionState,
    heard: Heard | undefined,
    turn: { isNew: boolean; eventId: string },
  ): Promise<Reply> {
    // Announcements are said at the start of every session, before anything is asked.
    const lead = turn.isNew ? this.#desk.takeAnnouncements(echo) : [];
    if (!heard) return this.#next(echo, p, lead, false);
    const asking: Asking = state.asking ?? { kind: 'answer', key: this.#desk.prompts(echo)[0]?.key, unclear: 0 };
    const answer = (a: Answer) => this.#answer(echo, p, asking, a, lead, turn.eventId);
    switch (heard.kind) {
      case 'answer':
        return heard.answer === undefined ? this.#unclear(echo, p, asking, lead, turn.eventId) : answer(heard.answer);
      case 'yes':
        return asking.kind === 'code'
          ? this.#unclear(echo, p, asking, lead, turn.eventId)
          : answer(asking.kind === 'help' ? 'help' : 'fine');
      case 'no':
        if (asking.kind === 'item') return answer('unwell');
        if (asking.kind === 'help') return this.#next(echo, p, [...lead, p.usage], true);
        // いいえ to 「お元気ですか」 could mean unwell or not needing anything: asked again, never guessed.
        return this.#unclear(echo, p, asking, lead, turn.eventId);
      case 'code':
        return this.#next(echo, p, [...lead, p.alreadyPaired], true);
      case 'repeat':
        return state.said
          ? { say: lead, ask: { ...this.#reask(p, asking, state.said), asking } }
          : this.#next(echo, p, lead, false);
      case 'help':
        return {
          say: lead,
          ask: { question: p.helpQuestion, reprompt: p.helpQuestion, asking: { kind: 'help', ...keyOf(asking) } },
        };
      case 'stop':
        if (asking.kind === 'item') await this.#desk.pass(echo, asking.key, asking.answer, asking.items, turn.eventId);
        return { say: [...lead, p.goodbye] };
      case 'unclear':
        return this.#unclear(echo, p, asking, lead, turn.eventId);
    }
  }

  /** The resident's answer to what was asked; in an item, 元気/はい is ok and 具合が悪い/いいえ is not. */
  async #answer(
    echo: PairedEcho,
    p: Phrases,
    asking: Asking,
    answer: Answer,
    lead: string[],
    eventId: string,
  ): Promise<Reply> {
    const key = keyOf(asking).key;
    if (answer === 'help' || asking.kind === 'code')
      return this.#passOn(echo, p, key, answer, asking.kind === 'item' ? asking.items : undefined, lead, eventId);
    if (asking.kind === 'item') {
      const [item, ...remaining] = asking.remaining;
      const items = item ? { ...asking.items, [item]: answer === 'fine' ? 'ok' : 'not_ok' } : asking.items;
      const next = remaining[0];
      if (next)
        return {
          say: lead,
          ask: { ...this.#itemQuestion(p, next), asking: { ...asking, items, remaining, unclear: 0 } },
        };
      return this.#passOn(echo, p, key, asking.answer, items, lead, eventId);
    }
    const prompt =
      key === undefined ? undefined : this.#desk.prompts(echo).find((pending) => pending.key === key)?.command;
    const asked = prompt?.type === 'prompt' ? prompt.items : [];
    const items: CheckinItems = asked.includes('health') ? { health: answer === 'fine' ? 'ok' : 'not_ok' } : {};
    const remaining = asked.filter((item) => item !== 'health');
    const first = remaining[0];
    if (first)
      return {
        say: lead,
        ask: {
          ...this.#itemQuestion(p, first),
          asking: { kind: 'item', ...(key !== undefined && { key }), answer, items, remaining, unclear: 0 },
        },
      };
    return this.#passOn(echo, p, key, answer, asked.length > 0 ? items : undefined, lead, eventId);
  }

  async #unclear(echo: PairedEcho, p: Phrases, asking: Asking, lead: string[], eventId: string): Promise<Reply> {
    if (asking.kind === 'code') return this.#next(echo, p, lead, false);
    const unclear = (asking.kind === 'help' ? 0 : asking.unclear) + 1;
    if (asking.kind === 'help') {
      // 「助けて」 may have reached Alexa's help intent; an unclear reply to "shall I call someone?" calls.
      return this.#passOn(echo, p, asking.key, 'help', undefined, lead, eventId);
    }
    if (unclear >= UNCLEAR_LIMIT) return { say: [...lead, p.later] };
    const hint = asking.kind === 'item' ? p.itemHint : p.answerHint;
    return { say: [...lead, p.notUnderstood], ask: { question: hint, reprompt: hint, asking: { ...asking, unclear } } };
  }

  /** Stores the answer (an SOS when 助けて came with no prompt pending) and says so only once it is stored. */
  async #passOn(
    echo: PairedEcho,
    p: Phrases,
    key: string | undefined,
    answer: Answer,
    items: CheckinItems | undefined,
    lead: string[],
    eventId: string,
  ): Promise<Reply> {
    if (!(await this.#desk.pass(echo, key, answer, items, eventId))) return { say: [...lead, p.notPassedOn(answer)] };
    return this.#next(echo, p, [...lead, p.passedOn(answer)], true);
  }

  /** The next pending prompt, or (nothing pending) the welcome on opening, or the end of the session. */
  #next(echo: PairedEcho, p: Phrases, say: string[], afterAnswer: boolean): Reply {
    const next = this.#desk.prompts(echo)[0];
    if (next?.command.type === 'prompt')
      return {
        say,
        ask: {
          question: next.command.text,
          reprompt: p.answerHint,
          asking: { kind: 'answer', key: next.key, unclear: 0 },
        },
      };
    if (!afterAnswer && say.length === 0)
      return { say, ask: { question: p.welcome, reprompt: p.answerHint, asking: { kind: 'answer', unclear: 0 } } };
    return { say, askForReminders: !echo.remindersGranted };
  }

  async #sessionEnded(echo: PairedEcho, state: SessionState, reason: string, eventId: string): Promise<void> {
    const asking = state.asking;
    // Asked "shall I call someone?" after 「助けて」 and no answer came: that is an answer.
    if (asking?.kind === 'help' && reason === 'EXCEEDED_MAX_REPROMPTS')
      await this.#desk.pass(echo, asking.key, 'help', undefined, eventId);
    // The main answer was given before the items: it counts.
    if (asking?.kind === 'item') await this.#desk.pass(echo, asking.key, asking.answer, asking.items, eventId);
  }

  #itemQuestion(p: Phrases, item: Parameters<Phrases['itemQuestion']>[0]) {
    const question = p.itemQuestion(item);
    return { question, reprompt: `${question}${p.itemHint}` };
  }

  #reask(p: Phrases, asking: Asking, said: string) {
    const reprompt = asking.kind === 'item' ? p.itemHint : asking.kind === 'code' ? p.codeRepeat : p.answerHint;
    return { question: said, reprompt };
  }

  #respond(input: HandlerInput, p: Phrases, reply: Reply): Response {
    const { echos, clock } = this.deps;
    const builder = input.responseBuilder;
    const echo = echos.byAlexaDevice(input.requestEnvelope.context.System.device?.deviceId ?? '');
    const say = [...reply.say];
    const askedAt = echo?.permissionAskedAt;
    if (
      !reply.ask &&
      reply.askForReminders &&
      echo &&
      (askedAt === undefined || clock.now() - askedAt > PERMISSION_ASK_EVERY_MS)
    ) {
      say.push(p.remindersWanted);
      builder.withAskForPermissionsConsentCard([REMINDERS_SCOPE]);
      echos.permissionAsked(echo.deviceId, clock.now());
    }
    if (!reply.ask)
      return builder
        .speak(ssml(...say))
        .withShouldEndSession(true)
        .getResponse();
    const state: SessionState = { asking: reply.ask.asking, said: reply.ask.question };
    input.attributesManager.setSessionAttributes(state);
    return builder
      .speak(ssml(...say, reply.ask.question))
      .reprompt(ssml(reply.ask.reprompt))
      .withShouldEndSession(false)
      .getResponse();
  }
}

const keyOf = (asking: Asking): { key?: string } =>
  asking.kind !== 'code' && asking.key !== undefined ? { key: asking.key } : {};
