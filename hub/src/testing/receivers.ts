import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered; `hung` when it never did. */
  status: number | 'hung';
  /** When the request had arrived whole (ms). */
  at: number;
}

/** One reply: a status (and headers), or `hang`: read the request and never answer, as a stuck bridge does. */
export type WebhookReply = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook endpoint for tests. `answer` decides each reply (default 200), so a test can make
 * it fail for a while (500, 429 with Retry-After, hanging) and then recover; every request is recorded.
 */
export async function startWebhookReceiver(answer: (n: number) => WebhookReply = () => ({ status: 200 })) {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = answer(received.length);
      received.push({
        headers: request.headers,
        body,
        status: reply === 'hang' ? 'hung' : reply.status,
        at: Date.now(),
      });
      if (reply !== 'hang') response.writeHead(reply.status, reply.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  /** The bodies it accepted (2xx), parsed. */
  const delivered = () =>
    received
      .filter((r) => typeof r.status === 'number' && r.status < 300)
      .map((r) => JSON.parse(r.body) as { event: string; deliveryKey: string; text: string; alert: { id: string } });
  return {
    url,
    received,
    delivered,
    close: () => {
      server.closeAllConnections(); // hung requests would hold close() open
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

/**
 * A real SMTP server (plain, no STARTTLS) that keeps every message, parsed; on a free port unless
 * `port` is given (a test can keep a port closed for a while, then start the server on it).
 * `refuse` answers the n-th recipient with 451 (try again later), as a greylisting or overloaded server does.
 */
export async function startSmtpServer(options: { port?: number; refuse?: (n: number) => boolean } = {}) {
  const mails: ReceivedMail[] = [];
  const refused: string[] = [];
  let recipients = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!options.refuse?.(recipients++)) return callback();
      refused.push(address.address);
      callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          for (const to of session.envelope.rcptTo)
            mails.push({ to: to.address, subject: mail.subject ?? '', text: mail.text ?? '', headers: mail.headers });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refused,
    to: (address: string) => mails.filter((m) => m.to === address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
