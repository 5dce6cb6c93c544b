import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writeAtomic } from '../durable-file.ts';

export interface Mail {
  /** The outbox entry id: the message id, so a redelivery is recognisably the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

export type Mailer = (mail: Mail) => Promise<void>;

const FROM = process.env.MAIL_FROM ?? 'trustwire <no-reply@trustwire.local>';

/** SMTP when a URL is configured; otherwise each message is written as an .eml file under `dir`. */
export function createMailer(smtpUrl: string | undefined, dir: string): Mailer {
  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpUrl);
    return async (mail) => {
      await smtp.sendMail({ from: FROM, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@trustwire>` });
    };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (mail) => {
    const sent = await files.sendMail({ from: FROM, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@trustwire>` });
    await mkdir(dir, { recursive: true });
    // Named by outbox id: a redelivery rewrites the same file instead of sending twice. Durable
    // before the entry is marked delivered.
    await writeAtomic(join(dir, `${mail.id}.eml`), sent.message as Buffer);
  };
}
