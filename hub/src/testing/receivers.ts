import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * A webhook endpoint for tests. `answer` decides each reply (default 200), so a test can make
 * it fail for a while (500, 429 with Retry-After) and then recover; every request is recorded.
 */
export async function startWebhookReceiver(answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = answer(received.length);
      received.push({ headers: request.headers, body, status: reply.status });
      response.writeHead(reply.status, reply.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  /** The bodies it accepted (2xx), parsed. */
  const delivered = () => received.filter((r) => r.status < 300).map((r) => JSON.parse(r.body) as { event: string; deliveryKey: string; text: string; alert: { id: string } });
  return { url, received, delivered, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

/** A real SMTP server on a free port (plain, no STARTTLS) that keeps every message, parsed. */
export async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          for (const to of session.envelope.rcptTo) mails.push({ to: to.address, subject: mail.subject ?? '', text: mail.text ?? '', headers: mail.headers });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to: (address: string) => mails.filter((m) => m.to === address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
