import { verify } from 'node:crypto';
import type { Clock } from '@mimamori/contract';
import type { RequestEnvelope } from 'ask-sdk-model';
import { z } from 'zod';
import { ChainRefused, type CertificateChains } from './certificate-chains.js';
import { certificateUrlProblem, type CertificateSource } from './certificate-url.js';

/** Why a request was refused; each is counted in `mimamori_alexa_requests_total{result}`. */
export type RefusalReason =
  | 'not_configured'
  | 'unsigned'
  | 'bad_certificate_url'
  | 'certificate_unavailable'
  | 'untrusted_certificate'
  | 'bad_signature'
  | 'invalid_request'
  | 'stale_timestamp'
  | 'wrong_application';

export class RequestRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Alexa's timestamp tolerance for requests (150 s), and for skill events, which Alexa may send up to an hour late. */
const REQUEST_TOLERANCE_MS = 150_000;
const SKILL_EVENT_TOLERANCE_MS = 3_600_000;

/** What the verifier reads of a request; the rest is Alexa's and passes through as it came. */
const envelopeShape = z.looseObject({
  version: z.string(),
  context: z.looseObject({
    System: z.looseObject({ application: z.looseObject({ applicationId: z.string() }) }),
  }),
  request: z.looseObject({ type: z.string(), timestamp: z.string() }),
});

export interface RequestVerifierDeps {
  /** The skill's application id (amzn1.ask.skill.…); without one, every request is refused. */
  skillId: string | undefined;
  source: CertificateSource;
  chains: CertificateChains;
  clock: Clock;
}

/**
 * Checks a request as Alexa requires of a skill hosted outside AWS Lambda ("Host a custom skill
 * as a web service"): the certificate URL, the chain behind it, the Signature-256 header (RSA,
 * SHA-256 over the raw body), the request's timestamp, and the application id. Any failure
 * refuses the request with its reason; nothing of it reaches the skill.
 */
export class RequestVerifier {
  constructor(private readonly deps: RequestVerifierDeps) {}

  async verify(
    headers: { certUrl: string | undefined; signature: string | undefined },
    body: Buffer,
  ): Promise<RequestEnvelope> {
    const { skillId, source, chains, clock } = this.deps;
    if (!skillId) throw new RequestRefused('not_configured', 'no Alexa skill is configured (alexa.skillId)');
    if (!headers.certUrl || !headers.signature)
      throw new RequestRefused('unsigned', 'SignatureCertChainUrl or Signature-256 is missing');
    const urlProblem = certificateUrlProblem(headers.certUrl, source);
    if (urlProblem) throw new RequestRefused('bad_certificate_url', `SignatureCertChainUrl: ${urlProblem}`);
    let key;
    try {
      key = await chains.signingKey(headers.certUrl);
    } catch (error) {
      if (error instanceof ChainRefused) throw new RequestRefused(error.reason, error.detail);
      throw error;
    }
    const signature = Buffer.from(headers.signature, 'base64');
    if (!verify('sha256', body, key, signature))
      throw new RequestRefused('bad_signature', 'Signature-256 does not match the body');

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RequestRefused('invalid_request', 'the body is not JSON');
    }
    const envelope = envelopeShape.safeParse(json);
    if (!envelope.success) throw new RequestRefused('invalid_request', envelope.error.issues[0]?.message ?? 'shape');
    const { request, context } = envelope.data;
    const tolerance = request.type.startsWith('AlexaSkillEvent.') ? SKILL_EVENT_TOLERANCE_MS : REQUEST_TOLERANCE_MS;
    const age = clock.now() - Date.parse(request.timestamp);
    if (!(Math.abs(age) <= tolerance))
      throw new RequestRefused('stale_timestamp', `timestamp ${request.timestamp} is ${Math.round(age / 1000)} s off`);
    if (context.System.application.applicationId !== skillId)
      throw new RequestRefused('wrong_application', `application ${context.System.application.applicationId}`);
    return json as RequestEnvelope;
  }
}
