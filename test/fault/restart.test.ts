/**
 * Fault tests: the real server as a child process, killed with SIGKILL and started again on the
 * same data directory (SPEC.md P1, P3, P5, P6, P8; ARCHITECTURE.md "Time", "Storage").
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { MAIL_SUFFIX, openMail } from '../../server/notifications/mailer.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import type { HistoryEntry } from '../../server/store/store.ts';
import { completeIdme } from '../helpers/idme.ts';
import { importedVerification } from '../helpers/imported.ts';
import { type ApiResponse, type ChildServer, eventually, killAllChildren, sleep, startChild, tempDataDir } from '../helpers/process.ts';

const dirs: string[] = [];
async function newDataDir() {
  const dir = await tempDataDir();
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await killAllChildren();
});

afterAll(async () => {
  await killAllChildren();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// ---------------------------------------------------------------------------------------------
// Helpers

function expectStatus(response: ApiResponse, status: number, what: string) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const unique = () => crypto.randomUUID().slice(0, 8);

/** A seeker; on the Complete plan verified before trustwire, so that it may ask to monitor (I6). */
async function createSeeker(s: ChildServer, plan: 'legacy' | 'starter' | 'complete', extra: Record<string, string> = {}) {
  const prior = plan === 'complete' ? importedVerification('Sam') : {};
  const body = expectStatus(
    await s.api('POST', '/v1/seekers', { email: `seeker-${unique()}@example.com`, plan, first_name: 'Sam', ...prior, ...extra }),
    201,
    'create seeker',
  );
  return body.id as string;
}

async function createProvider(s: ChildServer) {
  const body = expectStatus(
    await s.api('POST', '/v1/providers', { email: `provider-${unique()}@example.com`, first_name: 'Pat', last_name: 'Provider' }),
    201,
    'create provider',
  );
  return body.id as string;
}

async function createLink(s: ChildServer, seekerId: string, providerId: string) {
  return expectStatus(await s.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: providerId }), 201, 'create link').id as string;
}

async function command(s: ChildServer, actor: string, event: Record<string, unknown>) {
  return expectStatus(await s.api('POST', '/v1/commands', { actor, event }), 200, `${event.type} on ${actor}`).actor as {
    id: string;
    status: string;
    version: number;
    data: any;
  };
}

async function getActor(s: ChildServer, id: string) {
  return expectStatus(await s.api('GET', `/v1/actors/${id}`), 200, `GET actor ${id}`) as { id: string; status: string; version: number; data: any };
}

type HistoryView = Omit<HistoryEntry, 'actor'>;

async function getHistory(s: ChildServer, id: string): Promise<HistoryView[]> {
  return expectStatus(await s.api('GET', `/v1/actors/${id}/history`), 200, `GET history ${id}`).data;
}

interface NotificationView {
  id: string;
  recipient: string;
  channel: 'in_app' | 'email';
  template: string;
  actor: string;
  delivered_at: string | null;
}

async function notifications(s: ChildServer, recipient: string): Promise<NotificationView[]> {
  return expectStatus(await s.api('GET', `/v1/notifications?recipient=${recipient}&per_page=100`), 200, `notifications of ${recipient}`).data;
}

/** Runs tasks with at most `width` in flight. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/**
 * Reads the store directory as a restart would find it, independently of the store code: every
 * journal line but a torn tail (text after the last newline) is JSON, and a manifest, if any,
 * is JSON naming shard files that exist and are JSON.
 */
async function checkStoreFiles(dir: string) {
  const names = await readdir(dir);
  const journals = names.filter((n) => /^journal-\d+\.ndjson$/.test(n));
  let lines = 0;
  let torn = 0;
  for (const name of journals) {
    const text = await readFile(join(dir, name), 'utf8');
    const parts = text.split('\n');
    if (parts.pop()) torn++;
    parts.forEach((line, i) => {
      try {
        JSON.parse(line);
      } catch {
        throw new Error(`${name}: line ${i + 1} of ${parts.length} is not JSON: ${line.slice(0, 200)}`);
      }
    });
    lines += parts.length;
  }
  let shards = 0;
  if (names.includes('manifest.json')) {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, (string | null)[]> };
    for (const name of Object.values(manifest.files).flat()) {
      if (!name) continue;
      JSON.parse(await readFile(join(dir, name), 'utf8'));
      shards++;
    }
  }
  return { journals: journals.length, lines, torn, manifest: names.includes('manifest.json'), shards };
}

// ---------------------------------------------------------------------------------------------
// 1. kill -9 under load (P1, P3)

interface Ack {
  actor: string;
  version: number;
  type: string;
}

/** Stops a worker once its server is gone: the fetch fails, nothing more is sent. */
class ServerGone extends Error {}

interface LoadStats {
  /** Requests that were sent and never answered: in flight when the server died. */
  cut: number;
  unexpected: string[];
}

function loadWorker(s: ChildServer, shared: string[], acks: Ack[], stats: LoadStats, stop: { now: boolean }) {
  const unexpected = stats.unexpected;
  const call = async (method: string, path: string, body?: unknown) => {
    if (stop.now) throw new ServerGone();
    try {
      return await s.api(method, path, body);
    } catch (error) {
      stats.cut++;
      throw new ServerGone(String(error));
    }
  };
  const ok = (response: ApiResponse, what: string, allowed: string[] = []) => {
    if (response.status >= 200 && response.status < 300) return true;
    if (!allowed.includes(response.body?.code)) unexpected.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return false;
  };
  const created = async (path: string, body: unknown) => {
    const response = await call('POST', path, body);
    if (!ok(response, `POST ${path}`)) return undefined;
    acks.push({ actor: response.body.id, version: response.body.version, type: 'CREATED' });
    return response.body.id as string;
  };
  const send = async (actor: string, event: Record<string, unknown>, allowed: string[] = []) => {
    const response = await call('POST', '/v1/commands', { actor, event });
    if (!ok(response, `${event.type} on ${actor}`, allowed)) return false;
    acks.push({ actor, version: response.body.actor.version, type: event.type as string });
    return true;
  };

  return (async () => {
    try {
      for (let i = 0; !stop.now; i++) {
        // Commands to shared seekers race with other workers: a plan already set is refused (409).
        const other = shared[Math.floor(Math.random() * shared.length)];
        await send(other, { type: 'CHANGE_PLAN', plan: Math.random() < 0.5 ? 'legacy' : 'starter' }, ['invalid_transition']);

        const seeker = await created('/v1/seekers', {
          email: `load-${unique()}@example.com`,
          plan: 'starter',
          first_name: 'Load',
          ...importedVerification('Load'),
        });
        const provider = await created('/v1/providers', { email: `load-p-${unique()}@example.com`, first_name: 'Pro', last_name: 'Vider' });
        if (!seeker || !provider) continue;
        await send(seeker, { type: 'CHANGE_PLAN', plan: 'legacy' });
        if (!(await send(seeker, { type: 'CHANGE_PLAN', plan: 'complete' }))) continue;
        const link = await created('/v1/links', { seeker_id: seeker, provider_id: provider });
        if (!link) continue;
        // CONFIRM_HIRE also changes the seeker in the same commit (HIRE_CONFIRMED).
        if (!(await send(link, { type: 'CONFIRM_HIRE' }))) continue;
        if (i % 2 === 0) await send(link, { type: 'CANCEL_REQUEST' });
        // Leaving Complete cancels the draft link through the cascade outbox, in the background.
        else await send(seeker, { type: 'CHANGE_PLAN', plan: 'starter' });
      }
    } catch (error) {
      if (!(error instanceof ServerGone)) throw error;
    }
  })();
}

/** Every acknowledged change is there, and every history is 1..n without gaps (P1, P3). */
async function verifyAcks(s: ChildServer, acks: Ack[]) {
  const byActor = new Map<string, Ack[]>();
  for (const ack of acks) byActor.set(ack.actor, [...(byActor.get(ack.actor) ?? []), ack]);
  const problems: string[] = [];
  await pool([...byActor], 16, async ([id, actorAcks]) => {
    const actorResponse = await s.api('GET', `/v1/actors/${id}`);
    if (actorResponse.status !== 200) {
      problems.push(`${id}: acknowledged (${actorAcks.map((a) => `${a.type}@${a.version}`).join(', ')}) but GET is ${actorResponse.status}`);
      return;
    }
    const actor = actorResponse.body as { version: number };
    // Read after the actor: background work (cascades) may have added entries since, never fewer.
    const history = await getHistory(s, id);
    const maxAcked = Math.max(...actorAcks.map((a) => a.version));
    if (actor.version < maxAcked) problems.push(`${id}: version ${actor.version} < acknowledged ${maxAcked}`);
    if (history.length < actor.version) problems.push(`${id}: ${history.length} history entries for version ${actor.version}`);
    history.forEach((entry, i) => {
      if (entry.seq !== i + 1 || entry.version !== i + 1) problems.push(`${id}: history entry ${i} has seq ${entry.seq}, version ${entry.version}`);
    });
    for (const ack of actorAcks) {
      const entry = history.find((e) => e.seq === ack.version);
      if (!entry) problems.push(`${id}: no history entry for acknowledged ${ack.type}@${ack.version}`);
      else if (entry.event.type !== ack.type) problems.push(`${id}: history @${ack.version} is ${entry.event.type}, acknowledged ${ack.type}`);
    }
  });
  expect(problems.slice(0, 20)).toEqual([]);
  return byActor.size;
}

describe('kill -9 under a stream of concurrent commands', () => {
  it('keeps every acknowledged change and a contiguous history, at several kill moments', async () => {
    const dataDir = await newDataDir();
    let server = await startChild({ dataDir });
    const acks: Ack[] = [];
    const stats: LoadStats = { cut: 0, unexpected: [] };
    const shared: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await createSeeker(server, 'starter');
      acks.push({ actor: id, version: 1, type: 'CREATED' });
      shared.push(id);
    }
    const rounds: string[] = [];

    // Kill after different amounts of load (with jitter), to land in different phases of a group flush.
    for (const loadMs of [350, 1100, 1900]) {
      const before = acks.length;
      const cutBefore = stats.cut;
      const stop = { now: false };
      const workers = Array.from({ length: 6 }, () => loadWorker(server, shared, acks, stats, stop));
      await sleep(loadMs + Math.random() * 200);
      // A slow machine still kills amid the stream, not before it started.
      await eventually(async () => (acks.length - before >= 10 ? true : undefined), 30_000, 'the load to be acknowledged');
      const exit = await server.kill('SIGKILL');
      stop.now = true;
      await Promise.all(workers);
      expect(exit.signal).toBe('SIGKILL');

      const files = await checkStoreFiles(join(dataDir, 'store'));
      server = await startChild({ dataDir });
      const actors = await verifyAcks(server, acks);
      rounds.push(
        `~${loadMs} ms: ${acks.length - before} acks, ${stats.cut - cutBefore} requests cut, ${actors} actors checked, files ${JSON.stringify(files)}`,
      );
    }

    // The restarted store takes new commits after the replayed ones.
    const seeker = shared[0];
    const { version, data } = await getActor(server, seeker);
    const plan = data.plan === 'legacy' ? 'starter' : 'legacy';
    const changed = await command(server, seeker, { type: 'CHANGE_PLAN', plan });
    expect(changed.version).toBe(version + 1);
    expect((await getHistory(server, seeker)).map((e) => e.seq)).toEqual(Array.from({ length: version + 1 }, (_, i) => i + 1));

    expect(stats.unexpected).toEqual([]);
    console.info(`kill -9 rounds:\n  ${rounds.join('\n  ')}`);
    await server.kill('SIGKILL');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 2. Durable reminders (P6)

/** A complete-plan seeker's link up to `draft.identity` (hire confirmed, disclosures accepted). */
async function linkAwaitingIdme(s: ChildServer) {
  const seeker = await createSeeker(s, 'complete');
  const provider = await createProvider(s);
  const link = await createLink(s, seeker, provider);
  await command(s, link, { type: 'CONFIRM_HIRE' });
  const drafted = await command(s, link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: '2024-01' });
  expect(drafted.status).toBe('draft');
  expect(drafted.data.step).toBe('identity');
  return { seeker, provider, link };
}

/** The commits in the journals of a store directory, in order (a torn tail skipped). */
async function journalCommits(storeDir: string): Promise<any[]> {
  const journals = (await readdir(storeDir)).filter((n) => /^journal-\d+\.ndjson$/.test(n)).sort((a, b) => Number(a.slice(8, -7)) - Number(b.slice(8, -7)));
  const commits: any[] = [];
  for (const name of journals) {
    for (const line of (await readFile(join(storeDir, name), 'utf8')).split('\n')) {
      try {
        commits.push(JSON.parse(line));
      } catch {
        // the empty text after the last newline, or a torn tail
      }
    }
  }
  return commits;
}

describe('durable reminders', () => {
  it('fires a reminder that fell due while the server was down, and not one that no longer applies', async () => {
    const dataDir = await newDataDir();
    const storeDir = join(dataDir, 'store');
    const env = { PROVIDER_REMINDER_MS: '1500' };
    let server = await startChild({ dataDir, env });

    // A request sent (ID.me done first, so it goes out at once) and cancelled before its
    // reminder is due: the cancellation deletes the reminder in the same commit.
    const seeker2 = await createSeeker(server, 'complete');
    await completeIdme(server, seeker2);
    const provider2 = await createProvider(server);
    const link2 = await createLink(server, seeker2, provider2);
    await command(server, link2, { type: 'CONFIRM_HIRE' });
    expect((await command(server, link2, { type: 'ACCEPT_DISCLOSURES', disclosure_version: '2024-01' })).status).toBe('request_pending');
    expect((await command(server, link2, { type: 'CANCEL_REQUEST' })).status).toBe('request_cancelled');

    // The request goes out once ID.me is done (C4), through the seeker's cascade to its links;
    // the server is killed as soon as it is seen sent, well before its reminder (1.5 s) is due.
    // Should a slow machine let the reminder fire before the kill, the attempt is repeated.
    let sent: { seeker: string; provider: string; link: string } | undefined;
    for (let attempt = 0; attempt < 3 && !sent; attempt++) {
      const candidate = await linkAwaitingIdme(server);
      await completeIdme(server, candidate.seeker);
      await eventually(
        async () => ((await getActor(server, candidate.link)).status === 'request_pending' ? true : undefined),
        10_000,
        'the link to be sent',
        10,
      );
      await server.kill('SIGKILL');
      const fired = (await journalCommits(storeDir)).some((c) => c.history.some((h: any) => h.actor === candidate.link && h.event.type === 'REMIND_PROVIDER'));
      if (!fired) sent = candidate;
      else server = await startChild({ dataDir, env });
    }
    if (!sent) throw new Error('the reminder fired before every kill: the machine is too slow for a 1.5 s reminder');
    const { provider, link } = sent;

    await sleep(2500); // the reminder falls due while the server is down
    const restartedAt = new Date().toISOString();
    server = await startChild({ dataDir, env });

    const reminder = await eventually(
      async () => (await getHistory(server, link)).find((e) => e.event.type === 'REMIND_PROVIDER'),
      20_000,
      'REMIND_PROVIDER in the link history',
    );
    expect(reminder.by.role).toBe('system');
    expect(reminder.from).toBe('request_pending');
    expect(reminder.to).toBe('request_pending');
    expect(reminder.at >= restartedAt).toBe(true); // fired by the restarted process

    const reminded = await eventually(
      async () => {
        const found = (await notifications(server, provider)).filter((n) => n.template === 'request_reminder');
        return found.length >= 2 && found.every((n) => n.delivered_at) ? found : undefined;
      },
      20_000,
      'the request_reminder notifications to be delivered',
    );
    expect(reminded.map((n) => n.channel).sort()).toEqual(['email', 'in_app']);
    expect(reminded.every((n) => n.actor === link)).toBe(true);

    // Fired once: the reminder was deleted in the commit that applied it.
    await sleep(1500);
    expect((await getHistory(server, link)).filter((e) => e.event.type === 'REMIND_PROVIDER')).toHaveLength(1);
    expect((await notifications(server, provider)).filter((n) => n.template === 'request_reminder')).toHaveLength(2);

    // The cancelled request's reminder was due long before the restart: nothing came of it.
    expect((await getHistory(server, link2)).map((e) => e.event.type)).not.toContain('REMIND_PROVIDER');
    const toProvider2 = (await notifications(server, provider2)).map((n) => n.template);
    expect(toProvider2).toContain('request_withdrawn');
    expect(toProvider2).not.toContain('request_reminder');
    await server.kill('SIGKILL');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 3. Outbox at-least-once across a crash (P5)

interface OutboxOnDisk {
  kind: string;
  actor: string;
  delivered: boolean;
  attempts: number;
  last_error?: string;
}

/** The outbox entries written to the journals, by id, as their latest line has them. */
async function outboxOnDisk(storeDir: string): Promise<Map<string, OutboxOnDisk>> {
  const found = new Map<string, OutboxOnDisk>();
  for (const commit of await journalCommits(storeDir)) {
    for (const entry of commit.outbox ?? []) {
      found.set(entry.id, {
        kind: entry.kind,
        actor: entry.actor,
        delivered: Boolean(entry.delivered_at),
        attempts: entry.attempts,
        last_error: entry.last_error,
      });
    }
  }
  return found;
}

/** The provider's new_request notifications, once both are delivered; and the email file exists, once. */
async function expectNewRequestDelivered(s: ChildServer, provider: string, link: string) {
  const delivered = await eventually(
    async () => {
      const found = (await notifications(s, provider)).filter((n) => n.template === 'new_request' && n.actor === link);
      return found.length >= 2 && found.every((n) => n.delivered_at) ? found : undefined;
    },
    30_000,
    `new_request to ${provider} to be delivered`,
  );
  // Recorded once per channel: a crash neither lost nor duplicated it.
  expect(delivered.map((n) => n.channel).sort()).toEqual(['email', 'in_app']);
  const email = delivered.find((n) => n.channel === 'email')!;
  const mailDir = join(s.dataDir, 'mail');
  const file = join(mailDir, `${email.id}${MAIL_SUFFIX}`);
  expect(existsSync(file)).toBe(true);
  // Sealed with the data key the child generated under its DATA_DIR.
  const message = openMail(await readFile(file, 'utf8'), new Sealer((await loadConfig({ DATA_DIR: s.dataDir })).dataKeys));
  expect(message).toContain(`<${email.id}@trustwire>`);
  const { data } = await getActor(s, provider);
  expect(message).toContain(data.email);
  expect((await readdir(mailDir)).filter((n) => n.startsWith(email.id))).toHaveLength(1);
}

describe('outbox across a crash', () => {
  it('delivers the effects of a command acknowledged just before kill -9', async () => {
    const dataDir = await newDataDir();
    let server = await startChild({ dataDir });
    const cases: { provider: string; link: string }[] = [];
    let undeliveredAtKill = 0;

    for (let i = 0; i < 3; i++) {
      // ID.me first, so ACCEPT_DISCLOSURES itself sends the request and commits its notifications.
      const seeker = await createSeeker(server, 'complete');
      const provider = await createProvider(server);
      await completeIdme(server, seeker);
      const link = await createLink(server, seeker, provider);
      await command(server, link, { type: 'CONFIRM_HIRE' });
      const response = await server.api('POST', '/v1/commands', { actor: link, event: { type: 'ACCEPT_DISCLOSURES', disclosure_version: '2024-01' } });
      await server.kill('SIGKILL'); // as soon as the ack is in
      expect(response.status).toBe(200);
      expect(response.body.actor.status).toBe('request_pending');
      cases.push({ provider, link });

      const onDisk = await outboxOnDisk(join(dataDir, 'store'));
      undeliveredAtKill += [...onDisk.values()].filter((e) => e.actor === link && !e.delivered).length;
      server = await startChild({ dataDir });
    }
    for (const { provider, link } of cases) await expectNewRequestDelivered(server, provider, link);
    console.info(`outbox entries of the acknowledged commands still undelivered when killed: ${undeliveredAtKill} (of ${cases.length * 4})`);
    await server.kill('SIGKILL');
  }, 120_000);

  it('goes on with a cascade whose ack (the ID.me callback) came just before kill -9', async () => {
    const dataDir = await newDataDir();
    let server = await startChild({ dataDir });
    const { seeker, provider, link } = await linkAwaitingIdme(server);
    await completeIdme(server, seeker);
    await server.kill('SIGKILL');
    server = await startChild({ dataDir });
    expect((await getActor(server, seeker)).data.idme_verified).toBe(true);
    await eventually(async () => ((await getActor(server, link)).status === 'request_pending' ? true : undefined), 20_000, 'the link to be sent');
    await expectNewRequestDelivered(server, provider, link);
    // The cascade applied IDME_VERIFIED to the link once.
    expect((await getHistory(server, link)).filter((e) => e.event.type === 'IDME_VERIFIED')).toHaveLength(1);
    await server.kill('SIGKILL');
  }, 120_000);

  it('retries after a restart an effect whose delivery had failed before the crash', async () => {
    const dataDir = await newDataDir();
    // Email delivery fails while DATA_DIR/mail is a file, not a directory.
    const mailDir = join(dataDir, 'mail');
    await writeFile(mailDir, 'not a directory');
    let server = await startChild({ dataDir });
    const seeker = await createSeeker(server, 'complete');
    const provider = await createProvider(server);
    await completeIdme(server, seeker);
    const link = await createLink(server, seeker, provider);
    await command(server, link, { type: 'CONFIRM_HIRE' });
    await command(server, link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: '2024-01' });
    // The in-app notification is delivered, the email is not (its first attempt failed).
    const pending = await eventually(
      async () => {
        const found = (await notifications(server, provider)).filter((n) => n.template === 'new_request');
        const inApp = found.find((n) => n.channel === 'in_app');
        const email = found.find((n) => n.channel === 'email');
        return inApp?.delivered_at && email ? email : undefined;
      },
      10_000,
      'the in-app new_request to be delivered',
    );
    const onDisk = await eventually(
      async () => {
        const entry = (await outboxOnDisk(join(dataDir, 'store'))).get(pending.id);
        return entry && entry.attempts > 0 ? entry : undefined;
      },
      10_000,
      'the failed email attempt to be recorded',
    );
    expect(onDisk.last_error).toBeTruthy();
    expect(onDisk.delivered).toBe(false);

    await server.kill('SIGKILL');
    await rm(mailDir);
    server = await startChild({ dataDir });
    // Retried after its back-off (about 5 s), by the new process.
    await expectNewRequestDelivered(server, provider, link);
    await server.kill('SIGKILL');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 4. No personal data in clear in the store (P8)

/** Where any of `needles` shows in the store's files: in clear, or merely base64-encoded. */
async function clearTextIn(storeDir: string, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const text = await readFile(path, 'utf8');
        // The text of every base64 run too (a sealed value is base64, but of ciphertext).
        const decoded = (text.match(/[A-Za-z0-9+/]{24,}={0,2}/g) ?? []).map((run) => Buffer.from(run, 'base64').toString('latin1'));
        for (const [how, haystack] of [
          ['clear', text],
          ['base64', decoded.join('\n')],
        ] as const) {
          const lower = haystack.toLowerCase();
          for (const needle of needles) if (lower.includes(needle.toLowerCase())) hits.push(`${entry.name} (${how}): ${needle}`);
        }
      }
    }
  };
  await walk(storeDir);
  return hits;
}

describe('personal data at rest', () => {
  it('writes no email, name or phone in clear to the store files, in the journal or the compacted shards', async () => {
    const dataDir = await newDataDir();
    let server = await startChild({ dataDir });
    const n = unique();
    const email = `xq.marigold.${n}@example.org`;
    const firstName = `Quillonia${n}`;
    const lastName = `Vandersnoot${n}`;
    const phone = '+1 (555) 938-2714';
    const seekerResponse = await server.api(
      'POST',
      '/v1/seekers',
      { email, plan: 'complete', first_name: firstName, last_name: lastName, phone, ...importedVerification(firstName, lastName) },
      { headers: { 'Idempotency-Key': `pii-${n}` } }, // the remembered answer is stored too
    );
    const seeker = expectStatus(seekerResponse, 201, 'create seeker').id as string;
    // Notifications render display names ("Quillonia… V."): their payloads are stored as well.
    const provider = await createProvider(server);
    await completeIdme(server, seeker);
    const link = await createLink(server, seeker, provider);
    await command(server, link, { type: 'CONFIRM_HIRE' });
    await command(server, link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: '2024-01' });
    await expectNewRequestDelivered(server, provider, link);

    const needles = [email, firstName, lastName, phone, phone.replace(/\D/g, ''), '938-2714', 'marigold'];
    const storeDir = join(dataDir, 'store');
    const grep = () => clearTextIn(storeDir, needles);

    // The journal, as a crash leaves it.
    await server.kill('SIGKILL');
    const journals = (await readdir(storeDir)).filter((n) => n.startsWith('journal-'));
    expect(journals.length).toBeGreaterThan(0);
    expect(await grep()).toEqual([]);
    // Sanity: the data is there, sealed (a restart reads it back).
    server = await startChild({ dataDir });
    const view = await getActor(server, seeker);
    expect(view.data).toMatchObject({ email, first_name: firstName, last_name: lastName, phone });

    // The shards a graceful shutdown compacts the journal into.
    const exit = await server.kill('SIGTERM');
    expect(exit.code).toBe(0);
    const names = await readdir(storeDir);
    expect(names).toContain('manifest.json');
    expect(names.some((name) => /^actors-\d+\.\d+\.json$/.test(name))).toBe(true);
    expect(await grep()).toEqual([]);
  }, 120_000);

  it('writes no legal name, date of birth, address or phone in clear, through a failed verification and its blocklist, nor to the log', async () => {
    const dataDir = await newDataDir();
    const server = await startChild({ dataDir, env: { LOG_LEVEL: 'debug', SANDBOX_VERIFF_DELAY_MS: '20' } });
    const n = unique();
    const legal = {
      legal_first_name: `Ombrelina${n}`,
      legal_last_name: 'Declined',
      dob: '1979-11-23',
      address: `${n} Quinceberry Lane, Duluth`,
      phone: `+1 (555) 8${String(Math.floor(Math.random() * 100)).padStart(2, '0')}-4799`,
    };
    const seeker = expectStatus(await server.api('POST', '/v1/seekers', { email: `ombre.${n}@example.org`, plan: 'starter' }), 201, 'create seeker')
      .id as string;
    await command(server, seeker, { type: 'START_VERIFICATION' });
    await command(server, seeker, { type: 'SUBMIT_LEGAL_INFO', ...legal });
    // Prove cannot verify a phone ending in 99: on to Veriff, which declines the last name `Declined`.
    const seekerWhen = (check: (data: any) => boolean, what: string) =>
      eventually(
        async () => {
          const data = (await getActor(server, seeker)).data;
          return check(data) ? data : undefined;
        },
        10_000,
        what,
      );
    const capture = await seekerWhen((d) => d.idv.step === 'veriff_capture', 'the Veriff step');
    const base = `${server.url}/sandbox/veriff/v1/sessions/${capture.idv.veriff_session_id}`;
    const image = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64');
    for (const context of ['document-front', 'face']) {
      await fetch(`${base}/media`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-client': 'trustwire-sandbox' },
        body: JSON.stringify({ image: { context, content: image } }),
      });
    }
    await fetch(base, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verification: { status: 'submitted' } }) });
    expect((await seekerWhen((d) => d.idv_status === 'failed', 'the failed verification')).legal_info).toMatchObject({
      ...legal,
      address: { street: legal.address },
    });

    await server.kill('SIGKILL');
    // Not the bare last four digits: four digits turn up by chance in hashes and base64.
    const needles = [legal.legal_first_name, legal.dob, legal.address, 'Quinceberry', legal.phone, legal.phone.replace(/\D/g, '')];
    expect(await clearTextIn(join(dataDir, 'store'), needles)).toEqual([]);
    const logged = server.output().toLowerCase();
    expect(logged, 'the server logged at debug level').toContain('"level"');
    expect(needles.filter((needle) => logged.includes(needle.toLowerCase()))).toEqual([]);
  }, 120_000);
});
