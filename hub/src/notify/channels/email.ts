import type { ChannelDefinition } from './channel.js';
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxItem } from '../../store/index.js';
import type { Channel, DeliveryPayload, DeliveryResult } from '../delivery.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://…; STARTTLS is used when the server offers it. */
  url: string;
  from: string;
}

/** Plain-text e-mail over SMTP (nodemailer); short messages a volunteer's phone shows whole. */
export class EmailChannel implements Channel {
  readonly name = 'email';
  readonly #transport: Transporter;

  constructor(
    private readonly settings: SmtpSettings,
    timeoutMs: number,
  ) {
    const url = new URL(settings.url);
    const secure = url.protocol === 'smtps:';
    this.#transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      ...(url.username && { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(item: OutboxItem, payload: DeliveryPayload): Promise<DeliveryResult> {
    try {
      await this.#transport.sendMail({
        from: this.settings.from,
        to: item.target,
        subject: payload.message.subject,
        text: payload.message.text,
        // The same key on every attempt: a resend after a crash is recognisably the same message.
        messageId: `<${item.dedupKey.replaceAll(':', '.')}@mimamori-hub>`,
        headers: { 'X-Mimamori-Delivery': item.dedupKey },
      });
      return { ok: true };
    } catch (error) {
      return smtpResult(error as Error & { responseCode?: number });
    }
  }

  close(): void {
    this.#transport.close();
  }
}

/** A 5xx reply refuses the message for good (no such mailbox); 4xx and lost connections are worth retrying. */
function smtpResult(error: Error & { responseCode?: number }): DeliveryResult {
  const code = error.responseCode;
  return {
    ok: false,
    permanent: code !== undefined && code >= 500,
    error: code ? `SMTP ${code}: ${error.message}` : `SMTP failed: ${error.message}`,
  };
}

export const email: ChannelDefinition = {
  name: 'email',
  addressesOf: (contact) => (contact.user.email ? [contact.user.email] : []),
  create: ({ settings, timeoutMs }) => settings.smtp && new EmailChannel(settings.smtp, timeoutMs),
};
