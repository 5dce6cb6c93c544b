import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testStoreEnv } from '../helpers/postgres.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MEMBERS = 100_000;
const FIRST_NAMES = ['Sally', 'Marisol', 'Jonas', 'Ana', 'Ravi', 'Ngozi', 'Tomás', 'Mei', 'Olu', 'Petra'];

/**
 * Issue 14: member search over 100,000 members is an index lookup (a keyed blind index of
 * names, email and phones), reading only the members of the page it answers, while the store
 * still holds no name in clear.
 */
describe('member search over 100,000 members', () => {
  let t: TestServer;
  let reviewer: string;
  let agent: string;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    [reviewer, agent] = await Promise.all([t.session('reviewer_index', 'reviewer'), t.session('agent_index', 'agent')]);
    for (let done = 0; done < MEMBERS; done += 1_000) {
      const round = Array.from({ length: 1_000 }, (_, k) => {
        const i = done + k;
        const input = {
          email: `member-${i}@example.com`,
          plan: 'starter',
          first_name: FIRST_NAMES[i % 10],
          last_name: `Member${i}`,
          phone: `+1 503 ${String(5_000_000 + i)}`,
        };
        return t.server.host.create('seeker', input, { role: 'integrator' });
      });
      for (const created of await Promise.all(round)) ids.push(created.actor.id);
    }
  }, 600_000);
  afterAll(() => t.close());

  const search = async (q: string, token = reviewer, query = '') => {
    const res = await t.api('GET', `/v1/members?q=${encodeURIComponent(q)}${query}`, undefined, { token });
    expect(res.status).toBe(200);
    return { ids: res.body.data.map((m: { id: string }) => m.id), count: res.body.count as number };
  };

  it('finds one member among them by name, email or phone', async () => {
    expect(await search('Member77777')).toEqual({ ids: [ids[77_777]], count: 1 });
    expect(await search('petra member77779')).toEqual({ ids: [ids[77_779]], count: 1 });
    expect(await search('member-12345@example.com')).toEqual({ ids: [ids[12_345]], count: 1 });
    expect(await search('(503) 504-2424')).toEqual({ ids: [ids[42_424]], count: 1 });
    // Accents and case do not matter; agents, who see phones masked, never find a member by one.
    expect((await search('TOMAS', agent)).count).toBe(MEMBERS / 10);
    expect(await search('503 504 2424', agent)).toEqual({ ids: [], count: 0 });
  });

  it('reads only the page it answers, not every member', async () => {
    const load = vi.spyOn(t.server.host, 'load');
    const list = vi.spyOn(t.server.store, 'listActors');
    const page = await search('Sally', reviewer, '&per_page=25');
    expect(page.count).toBe(MEMBERS / 10);
    expect(page.ids).toHaveLength(25);
    expect(load.mock.calls.length).toBeLessThanOrEqual(25);
    expect(list).not.toHaveBeenCalled();
    load.mockRestore();
    list.mockRestore();
  });

  it('keeps names, emails and phones out of the store files', async () => {
    const files = (await readdir(t.dataDir, { withFileTypes: true })).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(t.dataDir, file.name), 'utf8');
      for (const clear of ['Member77777', 'member-77777@', '5077777', 'Marisol']) expect(text.includes(clear), `${clear} in ${file.name}`).toBe(false);
    }
  });
});

describe('members stored before the index', () => {
  it('are indexed at start-up and found', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trustwire-index-'));
    // One store for both starts (its own database when the suite runs on PostgreSQL).
    const env = { DATA_DIR: dataDir, ...(await testStoreEnv()) };
    const first = await startTestServer(env);
    const created = await first.server.host.create(
      'seeker',
      { email: 'before-index@example.com', plan: 'starter', first_name: 'Ottilie', last_name: 'Preindex' },
      { role: 'integrator' },
    );
    // What an older release stored: the same actor without its tokens, and no record that members
    // were indexed (this start made one; a record cannot be deleted, so it is emptied).
    const { search: _tokens, ...older } = created.actor;
    await first.server.store.commit({
      actors: [{ actor: older, expected_version: older.version }],
      history: [],
      outbox: [],
      reminders: [],
      cancel_reminders: [],
      records: [{ collection: 'migrations', id: 'member_search_index', value: null }],
    });
    expect((await first.server.store.getActor(older.id))?.search).toBeUndefined();
    await first.close();
    const again = await startTestServer(env);
    try {
      const reviewer = await again.session('reviewer_restart', 'reviewer');
      const found = await again.api('GET', '/v1/members?q=preindex', undefined, { token: reviewer });
      expect(found.body.data.map((m: { id: string }) => m.id)).toEqual([older.id]);
    } finally {
      await again.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
