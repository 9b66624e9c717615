import { ROUTES, errorBody } from '@mimamori/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics/index.js';
import { RequestRefused, type RequestVerifier } from './request-verifier.js';
import type { AlexaSkill } from './skill.js';

export interface AlexaEndpointDeps {
  verifier: Pick<RequestVerifier, 'verify'>;
  skill: AlexaSkill;
  metrics: Metrics;
  logger: Logger;
}

/** Alexa's requests are a few kilobytes. */
const BODY_LIMIT = 128 * 1024;
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * `POST /alexa`, the skill's endpoint (the HTTPS address an operator gives in the Alexa
 * developer console). Its own plugin, because the signature covers the body exactly as sent:
 * the body is kept raw here, verified, and only then parsed and handed to the skill. A request
 * that fails verification gets 400, is counted by reason and logged; the skill never sees it.
 */
export function alexaEndpoint(deps: AlexaEndpointDeps): FastifyPluginAsync {
  return async (app) => {
    // In this plugin only: the API's own JSON parser (which also screens keys) stays for every other route.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    app.withTypeProvider<ZodTypeProvider>().post(
      '/alexa',
      {
        bodyLimit: BODY_LIMIT,
        // Documented from its entry in the contract's route table, as every other route is.
        schema: {
          tags: [...ROUTES['POST /alexa'].tags],
          summary: ROUTES['POST /alexa'].summary,
          response: { 200: ROUTES['POST /alexa'].response, 400: errorBody },
        },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let envelope;
        try {
          envelope = await deps.verifier.verify(
            {
              certUrl: header(request.headers.signaturecertchainurl),
              signature: header(request.headers['signature-256']),
            },
            raw,
          );
        } catch (error) {
          if (!(error instanceof RequestRefused)) throw error;
          deps.metrics.alexaRequests.inc({ result: error.reason });
          deps.logger.warn({ reason: error.reason, detail: error.detail }, 'Alexa request refused');
          return reply
            .status(400)
            .send({ error: { code: 'bad_request', message: `request refused: ${error.reason}` } });
        }
        deps.metrics.alexaRequests.inc({ result: 'accepted' });
        // Alexa's response as ask-sdk-core built it; the schema only checks its outline.
        return (await deps.skill.invoke(envelope)) as unknown as { version: string; response: Record<string, unknown> };
      },
    );
  };
}
