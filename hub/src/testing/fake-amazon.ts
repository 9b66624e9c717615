import { randomUUID, sign } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@mimamori/contract';
import type { AmazonSide } from '../speakers/alexa/index.js';
import { alexaTestCertificates, type TestChain } from './alexa-certificates.js';
import { selfSignedCertificate } from './tls.js';

export const TEST_SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-000000000022';

/** How a test hands a signed request to the hub's POST /alexa (over HTTP or `inject()`). */
export type PostToSkill = (headers: Record<string, string>, body: string) => Promise<{ status: number; body: unknown }>;

export type ChainName = 'good' | 'untrusted' | 'wrongName' | 'expired';

/** A reminder the hub created through the Reminders API stand-in. */
export interface MadeReminder {
  alertToken: string;
  userId: string;
  body: {
    trigger: { type: string; offsetInSeconds?: number };
    alertInfo: { spokenInfo: { content: { locale: string; text: string }[] } };
  };
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/**
 * Amazon, as far as a hub's Alexa skill meets it, on 127.0.0.1: the HTTPS host of Alexa's signing
 * certificates (test chains made with openssl), Alexa itself signing requests to the skill, Login
 * with Amazon's token endpoint, the Skill Messaging API (which, as Alexa does, answers a message
 * with a signed `Messaging.MessageReceived` request to the skill) and the Reminders API.
 */
export class FakeAmazon {
  readonly certs = alexaTestCertificates();
  readonly reminders: MadeReminder[] = [];
  readonly messages: { userId: string; data: unknown }[] = [];
  /** Status the Reminders API answers with (201 creates). */
  remindersStatus = 201;
  /** The hub's endpoint, where skill messages are handed back. */
  skill: PostToSkill | undefined;
  readonly #servers: Server[] = [];
  /** Tokens issued, and the account each speaks for (none: the skill's own messaging token). */
  readonly #tokens = new Map<string, string>();
  readonly #deliveries: Promise<unknown>[] = [];
  #certificatePort = 0;
  #apiPort = 0;
  #tlsCert = '';

  private constructor(private readonly clock: Pick<Clock, 'now'>) {}

  static async start(clock: Pick<Clock, 'now'>): Promise<FakeAmazon> {
    const amazon = new FakeAmazon(clock);
    await amazon.#listen();
    return amazon;
  }

  /** What the hub under test must take to be Amazon. */
  get side(): AmazonSide {
    return {
      certificateSource: { host: '127.0.0.1', port: this.#certificatePort },
      trustedRoots: [this.certs.root],
      certificateCa: this.#tlsCert,
      tokenUrl: `http://127.0.0.1:${this.#apiPort}/auth/o2/token`,
    };
  }

  /** Where the Alexa APIs of the test's accounts are (a request's `context.System.apiEndpoint`). */
  get apiEndpoint(): string {
    return `http://127.0.0.1:${this.#apiPort}`;
  }

  certificateUrl(chain: ChainName): string {
    return `https://127.0.0.1:${this.#certificatePort}/echo.api/${chain}.pem`;
  }

  /** Alexa's signature headers for `body`, made with a chain's leaf key. */
  sign(body: string, chain: ChainName = 'good'): Record<string, string> {
    const { leafKey } = this.certs[chain] as TestChain;
    return {
      'content-type': 'application/json; charset=utf-8',
      signaturecertchainurl: this.certificateUrl(chain),
      'signature-256': sign('sha256', Buffer.from(body), leafKey).toString('base64'),
    };
  }

  /** An API access token, as Alexa puts one in each request's context. */
  issueToken(userId = ''): string {
    const token = `test-token-${randomUUID()}`;
    this.#tokens.set(token, userId);
    return token;
  }

  /** Waits for the skill messages handed back so far to be answered by the skill. */
  async settled(): Promise<void> {
    while (this.#deliveries.length > 0) await Promise.all(this.#deliveries.splice(0));
  }

  async stop(): Promise<void> {
    await this.settled();
    await Promise.all(this.#servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }

  async #listen(): Promise<void> {
    const tls = selfSignedCertificate();
    this.#tlsCert = tls.cert;
    const chains = this.certs;
    const certificates = createHttpsServer(tls, (request, response) => {
      const name = /^\/echo\.api\/(\w+)\.pem$/.exec(request.url ?? '')?.[1] as ChainName | undefined;
      const chain = name && chains[name];
      response.writeHead(chain ? 200 : 404, { 'content-type': 'application/x-pem-file' }).end(chain ? chain.pem : '');
    });
    const api = createHttpServer(
      (request, response) => void this.#api(request, response.writeHead.bind(response), (b) => response.end(b)),
    );
    this.#servers.push(certificates, api);
    this.#certificatePort = await listen(certificates);
    this.#apiPort = await listen(api);
  }

  async #api(
    request: IncomingMessage,
    head: (status: number, headers?: Record<string, string>) => unknown,
    end: (body?: string) => void,
  ): Promise<void> {
    const body = await readBody(request);
    const json = (status: number, value: unknown) => (
      head(status, { 'content-type': 'application/json' }),
      end(JSON.stringify(value))
    );
    const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (request.url === '/auth/o2/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'alexa:skill_messaging')
        return json(400, { error: 'invalid_request' });
      return json(200, { access_token: this.issueToken(), expires_in: 3600, token_type: 'bearer' });
    }
    if (!this.#tokens.has(bearer)) return json(401, { message: 'unauthorized' });
    const messaging = /^\/v1\/skillmessages\/users\/([^/]+)$/.exec(request.url ?? '');
    if (messaging) {
      const userId = decodeURIComponent(messaging[1] as string);
      const { data } = JSON.parse(body) as { data: unknown };
      this.messages.push({ userId, data });
      json(202, {});
      this.#deliveries.push(this.#handBack(userId, data));
      return;
    }
    if (request.url === '/v1/alerts/reminders') {
      if (this.remindersStatus !== 201) return json(this.remindersStatus, { code: 'REFUSED', message: 'refused' });
      const alertToken = randomUUID();
      this.reminders.push({
        alertToken,
        userId: this.#tokens.get(bearer) ?? '',
        body: JSON.parse(body) as MadeReminder['body'],
      });
      return json(201, { alertToken, version: '1', status: 'ON' });
    }
    json(404, {});
  }

  /** As Alexa hands a skill message to the skill: a signed Messaging.MessageReceived with a fresh token. */
  async #handBack(userId: string, message: unknown): Promise<void> {
    if (!this.skill) return;
    const envelope = {
      version: '1.0',
      context: {
        System: {
          application: { applicationId: TEST_SKILL_ID },
          user: { userId },
          apiEndpoint: this.apiEndpoint,
          apiAccessToken: this.issueToken(userId),
        },
      },
      request: {
        type: 'Messaging.MessageReceived',
        requestId: `amzn1.echo-api.request.${randomUUID()}`,
        timestamp: new Date(this.clock.now()).toISOString(),
        message,
      },
    };
    const body = JSON.stringify(envelope);
    await this.skill(this.sign(body), body);
  }
}
