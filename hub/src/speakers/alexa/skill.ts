import type { Clock } from '@mimamori/contract';
import { getRequestType, SkillBuilders, type HandlerInput } from 'ask-sdk-core';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Ingest } from '../../ingest/index.js';
import type { AlexaEchoRepository, DeviceRepository } from '../../store/index.js';
import { Conversation, type ConversationDeps } from './conversation.js';
import { languageOf, PHRASES, ssml } from './phrases.js';
import { REMINDERS_SCOPE, type AlexaReminders } from './reminders.js';

export interface AlexaSkillDeps extends ConversationDeps {
  skillId: string;
  echos: AlexaEchoRepository;
  devices: Pick<DeviceRepository, 'principal' | 'get' | 'setOnline'>;
  ingest: Pick<Ingest, 'acceptEvent' | 'acceptStatus'>;
  reminders: Pick<AlexaReminders, 'onMessage'>;
  clock: Clock;
  logger: Logger;
}

const CONVERSATION = new Set(['LaunchRequest', 'IntentRequest', 'SessionEndedRequest']);

const permissionEvent = z.looseObject({
  body: z.looseObject({ acceptedPermissions: z.array(z.looseObject({ scope: z.string() })).default([]) }).optional(),
});

/** Accepted permission scopes of a permission skill event (none when its body says none or is not understood). */
const acceptedScopes = (input: HandlerInput): string[] => {
  const event = permissionEvent.safeParse(input.requestEnvelope.request);
  return event.success ? (event.data.body?.acceptedPermissions ?? []).map((p) => p.scope) : [];
};

/**
 * The skill, built with ask-sdk-core: the conversation (launch, intents, session end), the skill
 * events the manifest subscribes to (permissions granted or changed in the Alexa app, the skill
 * disabled), and the skill messages the hub sends itself to make reminders. Requests reach it
 * only once the endpoint has verified them.
 */
export function buildSkill(deps: AlexaSkillDeps) {
  const conversation = new Conversation(deps);
  const { echos, devices, ingest, reminders, clock, logger } = deps;
  return SkillBuilders.custom()
    .withSkillId(deps.skillId)
    .addRequestHandlers(
      {
        canHandle: (input) => CONVERSATION.has(getRequestType(input.requestEnvelope)),
        handle: (input) => conversation.turn(input),
      },
      {
        canHandle: (input) => getRequestType(input.requestEnvelope) === 'Messaging.MessageReceived',
        handle: async (input) => {
          await reminders.onMessage(input.requestEnvelope);
          return input.responseBuilder.getResponse();
        },
      },
      {
        canHandle: (input) =>
          ['AlexaSkillEvent.SkillPermissionAccepted', 'AlexaSkillEvent.SkillPermissionChanged'].includes(
            getRequestType(input.requestEnvelope),
          ),
        handle: (input) => {
          const userId = input.requestEnvelope.context.System.user.userId;
          const granted = acceptedScopes(input).includes(REMINDERS_SCOPE);
          const echosChanged = echos.setRemindersGranted(userId, granted);
          logger.info({ granted, echos: echosChanged }, 'the resident changed the skill’s reminder permission');
          return input.responseBuilder.getResponse();
        },
      },
      {
        canHandle: (input) => getRequestType(input.requestEnvelope) === 'AlexaSkillEvent.SkillDisabled',
        handle: (input) => {
          // The Echo can no longer be asked anything: it shows offline, and device.offline tells staff.
          for (const echo of echos.ofUser(input.requestEnvelope.context.System.user.userId)) {
            const principal = devices.principal(echo.deviceId);
            if (principal) ingest.acceptStatus(principal, { online: false, ts: clock.now() });
            logger.warn(
              { homeId: echo.homeId, deviceId: echo.deviceId },
              'the Alexa skill was disabled on a paired Echo',
            );
          }
          return input.responseBuilder.getResponse();
        },
      },
      {
        // Other events (the skill enabled again, reminder status changes) need nothing from the hub.
        canHandle: () => true,
        handle: (input) => input.responseBuilder.getResponse(),
      },
    )
    .addErrorHandlers({
      canHandle: () => true,
      handle: (input, error) => {
        logger.error({ err: error.message, type: getRequestType(input.requestEnvelope) }, 'the Alexa skill failed');
        const p = PHRASES[languageOf((input.requestEnvelope.request as { locale?: string }).locale)];
        return input.responseBuilder.speak(ssml(p.later)).withShouldEndSession(true).getResponse();
      },
    })
    .create();
}

export type AlexaSkill = { invoke(envelope: RequestEnvelope): Promise<ResponseEnvelope> };
