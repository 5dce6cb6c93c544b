import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/link-flow.ts';
import { command, createMembers, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * `GET /v1/actors/{id}/history?verify=true` (API.md "Added in wave 2") and the checkpoints, over
 * HTTP. The chain is checked here the way a third party would, from the README's encoding alone.
 */

/** The README's canonical encoding, written independently of the server's: JSON, keys sorted, no whitespace. */
const jcs = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(jcs).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('audit history verification over the API', { timeout: 60_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ AUDIT_CHECKPOINT_MS: '300' });
  });
  afterAll(() => t?.close());

  it('staff and the integrator see the chain verified; a third party recomputes every hash from the README', async () => {
    const { seekerId } = await createMembers(t, 'starter');
    for (const plan of ['legacy', 'starter']) expect((await command(t, seekerId, { type: 'CHANGE_PLAN', plan })).status).toBe(200);
    const reviewer = await t.session('reviewer_ria', 'reviewer');
    for (const token of [undefined, reviewer, await t.session('agent_ann', 'agent')]) {
      const { status, body } = await t.api('GET', `/v1/actors/${seekerId}/history?verify=true`, undefined, { token });
      expect(status).toBe(200);
      expect(body.verification).toEqual({ valid: true, entries: 3, first_invalid: null });
    }
    const { body } = await t.api('GET', `/v1/actors/${seekerId}/history`);
    expect(body.verification).toBeUndefined();
    let prev = '0'.repeat(64);
    for (const { hash, ...entry } of body.data) {
      expect(entry.prev_hash).toBe(prev);
      expect(sha256(jcs({ ...entry, actor: seekerId }))).toBe(hash);
      prev = hash;
    }
  });

  it('a member may read their history but not ask for verification (403); a bad verify is 400', async () => {
    const { seekerId } = await createMembers(t, 'starter');
    const seeker = await t.session(seekerId, 'seeker');
    expect((await t.api('GET', `/v1/actors/${seekerId}/history`, undefined, { token: seeker })).status).toBe(200);
    expect((await t.api('GET', `/v1/actors/${seekerId}/history?verify=true`, undefined, { token: seeker })).status).toBe(403);
    expect((await t.api('GET', `/v1/actors/${seekerId}/history?verify=yes`)).status).toBe(400);
    expect((await t.api('GET', '/v1/audit/checkpoints', undefined, { token: seeker })).status).toBe(403);
  });

  it('checkpoints are taken and served, each linked to the one before, naming the chains’ heads', async () => {
    const { seekerId } = await createMembers(t, 'starter');
    const last = await eventually(
      async () => {
        const all = (await t.api('GET', '/v1/audit/checkpoints?per_page=100')).body.data;
        return { all, found: all.at(-1) };
      },
      ({ found }) => found?.heads.some(([actor]: [string]) => actor === seekerId) === true,
    );
    const { hash, ...fields } = last.found;
    expect(sha256(jcs(fields))).toBe(hash);
    const history = (await t.api('GET', `/v1/actors/${seekerId}/history`)).body.data;
    expect(last.found.heads).toContainEqual([seekerId, history.at(-1).seq, history.at(-1).hash]);
    const all = last.all;
    for (let i = 1; i < all.length; i++) expect(all[i].prev).toBe(all[i - 1].hash);
  });
});
