import { rootCertificates } from 'node:tls';
import type { Clock } from '@mimamori/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Ingest } from '../../ingest/index.js';
import type { Metrics } from '../../metrics/index.js';
import type { Stores } from '../../store/index.js';
import { AlexaSpeakers } from './alexa-speakers.js';
import { CertificateChains, fetchPem } from './certificate-chains.js';
import { AMAZON_CERTIFICATE_SOURCE, type CertificateSource } from './certificate-url.js';
import { alexaEndpoint } from './endpoint.js';
import { Pairing } from './pairing.js';
import { AlexaReminders, AMAZON_TOKEN_URL, type SkillCredentials } from './reminders.js';
import { RequestVerifier } from './request-verifier.js';
import { buildSkill } from './skill.js';

export { AlexaSpeakers } from './alexa-speakers.js';
export { Pairing, type PairingResult } from './pairing.js';
export type { CertificateSource } from './certificate-url.js';

/**
 * What the hub takes to be Amazon: where Alexa's signing certificates come from and the roots
 * they chain to, and Login with Amazon's token endpoint. Amazon's own in production; a test's
 * stand-ins in tests (the only fault that cannot be caused for real is Amazon itself).
 */
export interface AmazonSide {
  certificateSource: CertificateSource;
  trustedRoots: readonly string[];
  /** Trusted for the HTTPS download of certificate chains (Node's roots when not given). */
  certificateCa?: string;
  tokenUrl: string;
}

export const AMAZON: AmazonSide = {
  certificateSource: AMAZON_CERTIFICATE_SOURCE,
  trustedRoots: rootCertificates,
  tokenUrl: AMAZON_TOKEN_URL,
};

export interface AlexaSettings {
  /** The skill's application id; without one the endpoint refuses every request. */
  skillId?: string | undefined;
  /** For reminders (Skill Messaging); without them, what the hub says waits for the skill to be opened. */
  credentials?: SkillCredentials | undefined;
  pairingCodeMinutes: number;
}

export interface AlexaDeps {
  stores: Stores;
  /** The core's ingest, reached late: the platform is composed before the core it feeds. */
  ingest: () => Pick<Ingest, 'acceptEvent' | 'acceptStatus'>;
  amazon: AmazonSide;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/** The Alexa speaker platform, its skill endpoint and the pairing of Echos (docs/speakers.md, Alexa). */
export interface Alexa {
  platform: AlexaSpeakers;
  endpoint: FastifyPluginAsync;
  pairing: Pairing;
}

export function composeAlexa(settings: AlexaSettings, deps: AlexaDeps): Alexa {
  const { stores, amazon, clock, metrics } = deps;
  const logger = deps.logger.child({ module: 'alexa' });
  const reminders = new AlexaReminders({
    echos: stores.alexaEchos,
    credentials: settings.credentials,
    tokenUrl: amazon.tokenUrl,
    clock,
    metrics,
    logger,
  });
  const pairing = new Pairing({ stores, codeMinutes: settings.pairingCodeMinutes, clock, metrics, logger });
  const ingest = {
    acceptEvent: (...args: Parameters<Ingest['acceptEvent']>) => deps.ingest().acceptEvent(...args),
    acceptStatus: (...args: Parameters<Ingest['acceptStatus']>) => deps.ingest().acceptStatus(...args),
  };
  const verifier = new RequestVerifier({
    skillId: settings.skillId,
    source: amazon.certificateSource,
    chains: new CertificateChains({
      trustedRoots: amazon.trustedRoots,
      fetch: (url) => fetchPem(url, amazon.certificateCa),
      clock,
    }),
    clock,
  });
  const skill = buildSkill({
    skillId: settings.skillId ?? '',
    echos: stores.alexaEchos,
    devices: stores.devices,
    ingest,
    pairing,
    reminders,
    clock,
    logger,
  });
  return {
    platform: new AlexaSpeakers({ echos: stores.alexaEchos, reminders, clock }),
    endpoint: alexaEndpoint({ verifier, skill, metrics, logger }),
    pairing,
  };
}
