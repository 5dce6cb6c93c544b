import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createProvider, createSeeker, notificationsOf } from '../helpers/link-flow.ts';
import { testStoreEnv } from '../helpers/postgres.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A node whose cache holds fewer subjects' keys than it serves (SUBJECT_KEYS_CACHED, issue 14):
 * commands, links and their messages, reads and erasure all work on subjects whose keys were
 * evicted long ago, read back from the store; a restart holds none until they are used.
 */
describe('a subject key cache smaller than the subjects served', { timeout: 120_000 }, () => {
  const CACHED = 16;
  let dataDir: string;
  let env: Record<string, string>;
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const seekers: string[] = [];
  let erased: { erased_at: string };

  it('serves more subjects than it holds keys for, and erases one evicted long ago', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustwire-key-cache-'));
    env = { ...(await testStoreEnv()), DATA_DIR: dataDir, SUBJECT_KEYS_CACHED: String(CACHED) };
    t = await startTestServer(env);
    // The link's seeker first: its key is evicted by the time its messages are read.
    seekers.push(await createSeeker(t));
    await completeIdme(t, seekers[0]!);
    const link = await activeLink(t, seekers[0]!, await createProvider(t));
    for (let i = 1; i < 40; i++) {
      const made = await t.api('POST', '/v1/seekers', { email: `cache-${i}@example.com`, plan: 'starter', first_name: `Cache${i}`, last_name: 'Seeker' });
      expect(made.status).toBe(201);
      seekers.push(made.body.id);
    }
    for (const seeker of seekers) expect((await command(t, seeker, { type: 'CHANGE_PLAN', plan: 'legacy' })).status).toBe(200);
    for (const [i, seeker] of seekers.entries()) {
      const view = await t.api('GET', `/v1/actors/${seeker}`);
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).toContain(i === 0 ? 'Sally' : `Cache${i}`);
    }
    expect(t.server.sealer.heldCount).toBeLessThanOrEqual(CACHED);
    expect((await notificationsOf(t, seekers[0]!)).length, 'messages of the link, sealed for the seeker').toBeGreaterThan(0);
    expect((await t.api('GET', `/v1/actors/${link}`)).status).toBe(200);

    const erasure = await t.api('POST', `/v1/seekers/${seekers[1]}/erase`, {});
    expect(erasure.status).toBe(200);
    erased = erasure.body;
    for (const seeker of seekers.slice(2)) expect((await t.api('GET', `/v1/actors/${seeker}`)).status).toBe(200);
    const gone = await t.api('GET', `/v1/actors/${seekers[1]}`);
    expect(gone.status).toBe(410);
    expect(gone.body.details).toMatchObject({ erased_at: erased.erased_at, erased_by: 'integrator' });
  });

  it('after a restart holds no subject key until one is used, and the erasure stands', async () => {
    await t!.close();
    t = await startTestServer(env);
    expect(t.server.sealer.heldCount, 'none read at start').toBe(0);
    for (const seeker of [seekers[0]!, ...seekers.slice(2)]) expect((await command(t, seeker, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(200);
    expect(t.server.sealer.heldCount).toBeLessThanOrEqual(CACHED);
    expect((await t.api('GET', `/v1/actors/${seekers[1]}`)).status).toBe(410);
    expect((await command(t, seekers[1]!, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(410);
    expect((await t.api('POST', `/v1/seekers/${seekers[1]}/erase`, {})).status, 'erasing twice').toBe(410);
  });
});
