import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../../server/runtime/clock.ts';
import { commitOf } from '../../server/store/store.ts';
import { eventually } from '../helpers/process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

describe('dead letters on the operations board', () => {
  it('lists an effect the outbox gave up on to staff, and lets staff put it back for delivery', async () => {
    const at = iso(Date.now());
    // An entry no delivery knows (written by a newer node, say) is dead-lettered at once.
    const entry = { id: 'obx_unknown_kind_1', kind: 'telegram', actor: 'skr_nobody', payload: '', created_at: at, due_at: at, attempts: 0 };
    await t.server.store.commit(commitOf({ outbox: [entry] }));
    const agent = await t.session('agent_1', 'agent');
    const listed = await eventually(
      async () => {
        const { body } = await t.api('GET', '/v1/dead_letters', undefined, { token: agent });
        return body.data.find((l: { id: string }) => l.id === entry.id);
      },
      10_000,
      'the dead letter',
    );
    expect(listed).toMatchObject({ object: 'dead_letter', kind: 'telegram', actor: 'skr_nobody', attempts: 1, last_error: 'no delivery for telegram entries' });
    expect(listed.entry).toBeUndefined();

    const seeker = await t.api('POST', '/v1/seekers', { email: 'dl@example.com', plan: 'starter', first_name: 'Dee', last_name: 'Ell' });
    const member = await t.session(seeker.body.id, 'seeker');
    expect((await t.api('GET', '/v1/dead_letters', undefined, { token: member })).status).toBe(403);
    expect((await t.api('POST', `/v1/dead_letters/${entry.id}/retry`, undefined, { token: member })).status).toBe(403);
    expect((await t.api('POST', '/v1/dead_letters/obx_nope/retry', undefined, { token: agent })).status).toBe(404);

    const retried = await t.api('POST', `/v1/dead_letters/${entry.id}/retry`, undefined, { token: agent });
    expect(retried.status).toBe(202);
    // Tried again from scratch (and, its kind still unknown, given up on again).
    const again = await eventually(
      async () => {
        const { body } = await t.api('GET', '/v1/dead_letters', undefined, { token: agent });
        const letter = body.data.find((l: { id: string }) => l.id === entry.id);
        return letter && letter.dead_at > listed.dead_at ? letter : undefined;
      },
      10_000,
      'the retried entry to be tried again',
    );
    expect(again.attempts).toBe(1);
  });
});
