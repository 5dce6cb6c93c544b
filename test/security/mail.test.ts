import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_SUFFIX, openMail } from '../../server/notifications/mailer.ts';
import { eventually } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Finding 10 of issue 17: without SMTP_URL, emails were written in clear to DATA_DIR/mail/*.eml. */
describe('emails written without SMTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('are sealed on disk and open with the data key', async () => {
    const email = `mail-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const candidate = await t.api('POST', '/v1/candidates', { email, first_name: 'Morgan', last_name: 'Mailbox' });
    await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.body.id });
    const dir = join(t.dataDir, 'mail');
    const names = await eventually(
      () => readdir(dir).catch(() => [] as string[]),
      (found) => found.some((name) => name.endsWith(MAIL_SUFFIX)),
      15_000,
    );
    expect(names.filter((name) => name.endsWith('.eml'))).toEqual([]);
    const raw = await readFile(join(dir, names.find((name) => name.endsWith(MAIL_SUFFIX))!), 'utf8');
    expect(raw).not.toContain(email);
    expect(raw).not.toContain('Morgan');
    const message = openMail(raw, t.sealer);
    expect(message).toContain(`To: ${email}`);
  });
});
