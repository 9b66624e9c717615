// The demo's local mailbox (issue 20): an SMTP server on 127.0.0.1 that the demo hub sends its
// e-mail to, writing each message as a text file a person can open, so the demo's watchers are
// reachable and a newcomer sees an SOS reach someone.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Starts the mailbox writing into `dir`, calling `onMail` for each message; resolves to its SMTP URL. */
export async function startMailbox(dir, onMail) {
  mkdirSync(dir, { recursive: true });
  let count = readdirSync(dir).length;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          for (const { address } of session.envelope.rcptTo) {
            count += 1;
            const file = join(dir, `${String(count).padStart(4, '0')}-${address.replace(/[^\w.@-]/g, '_')}.txt`);
            const text = [
              `From: ${mail.from?.text ?? ''}`,
              `To: ${address}`,
              `Date: ${(mail.date ?? new Date()).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}`,
              `Subject: ${mail.subject ?? ''}`,
              '',
              mail.text ?? '',
            ].join('\n');
            writeFileSync(file, text);
            onMail({ to: address, subject: mail.subject ?? '', file });
          }
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}` };
}
