import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writeAtomic } from '../durable-file.ts';
import type { Sealer } from '../runtime/seal.ts';

export interface Mail {
  /** The outbox entry id: the message id, so a redelivery is recognisably the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

export type Mailer = (mail: Mail) => Promise<void>;

/** A message written without SMTP: `<outbox id>.eml.sealed`, read back with `openMail` (`npm run mail`). */
export const MAIL_SUFFIX = '.eml.sealed';

/** The RFC 822 text of a message written under DATA_DIR/mail. */
export const openMail = (sealed: string, sealer: Sealer) => sealer.open<string>(sealed);

/**
 * SMTP when a URL is configured; otherwise each message is written under `dir`, sealed with the
 * data key like everything else at rest (it names a person and their email address).
 */
export function createMailer(smtpUrl: string | undefined, dir: string, sealer: Sealer, from: string): Mailer {
  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpUrl);
    return async (mail) => {
      await smtp.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@trustwire>` });
    };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (mail) => {
    const sent = await files.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@trustwire>` });
    await mkdir(dir, { recursive: true });
    // Named by outbox id: a redelivery rewrites the same file instead of sending twice. Durable
    // before the entry is marked delivered.
    await writeAtomic(join(dir, `${mail.id}${MAIL_SUFFIX}`), sealer.seal((sent.message as Buffer).toString('utf8')));
  };
}
