import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import {
  activeLink,
  createLink,
  createProvider,
  createSeeker,
  DISCLOSURE,
  eventually,
  getActor,
  notificationsOf,
  ok,
  pendingLink,
  statusOf,
} from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/** C11: a member leaving ends their links; C1: who may use CBGC at all. */
describe('cascades (C11) and eligibility (C1)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  /** A seeker with ID.me done and one active, one pending and one draft link. */
  async function seekerWithLinks() {
    const seekerId = await createSeeker(t);
    await completeIdme(t, seekerId);
    const [p1, p2, p3] = await Promise.all([createProvider(t), createProvider(t), createProvider(t)]);
    const active = await activeLink(t, seekerId, p1);
    const pending = await pendingLink(t, seekerId, p2);
    const draft = (await createLink(t, seekerId, p3)).id;
    await ok(t, draft, { type: 'CONFIRM_HIRE' });
    expect((await getActor(t, seekerId)).data.monitoring.used).toBe(2);
    return { seekerId, active, pending, draft, providers: [p1, p2, p3] };
  }

  /** Waits for each link to reach its status, then checks the runtime did it and the seeker heard. */
  async function expectEnded(seekerId: string, outcomes: Record<string, string>, reason: string) {
    for (const [link, status] of Object.entries(outcomes)) {
      const view = await statusOf(t, link, status);
      expect(view.data.ended_at).toEqual(expect.any(String));
      expect(view.data.reason).toBe(reason);
      expect(view.can).toEqual([]);
      const last = (await t.api('GET', `/v1/actors/${link}/history`)).body.data.at(-1);
      expect(last).toMatchObject({ event: { type: 'MEMBER_LEFT' }, by: { role: 'system' }, to: status });
      expect(last.by).toEqual({ role: 'system' });
    }
    expect((await getActor(t, seekerId)).data.monitoring).toMatchObject({ used: 0, links: [] });
    // The seeker is told about each ended link, in the app and by email.
    const notes = await eventually(
      () => notificationsOf(t, seekerId),
      (all) =>
        Object.keys(outcomes).every((link) =>
          ['in_app', 'email'].every((channel) => all.some((n) => n.actor === link && n.channel === channel && n.delivered_at)),
        ),
    );
    for (const link of Object.keys(outcomes)) {
      const templates = notes.filter((n) => n.actor === link).map((n) => n.template);
      expect(templates).toContain(outcomes[link] === 'inactive' ? 'monitoring_ended' : 'request_cancelled');
    }
  }

  it('ends every link of a seeker who leaves the Complete plan', async () => {
    const { seekerId, active, pending, draft } = await seekerWithLinks();
    const changed = await ok(t, seekerId, { type: 'CHANGE_PLAN', plan: 'starter' });
    expect(changed.data.plan).toBe('starter');

    await expectEnded(seekerId, { [active]: 'inactive', [pending]: 'request_cancelled', [draft]: 'request_cancelled' }, 'plan_changed');
    expect((await getActor(t, seekerId)).status).toBe('active');
  });

  it('ends every link of a seeker who closes their account', async () => {
    const { seekerId, active, pending, draft } = await seekerWithLinks();
    const token = await t.session(seekerId, 'seeker');
    const closed = await ok(t, seekerId, { type: 'CLOSE_ACCOUNT' }, token);
    expect(closed.status).toBe('closed');
    expect(closed.data.account_status).toBe('closed');

    await expectEnded(seekerId, { [active]: 'inactive', [pending]: 'request_cancelled', [draft]: 'request_cancelled' }, 'seeker_account_closed');
    const again = await command(t, seekerId, { type: 'CLOSE_ACCOUNT' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
  });

  it("ends a closing provider's links, leaving the seekers' other links alone", async () => {
    const provider = await createProvider(t);
    const other = await createProvider(t);
    const [s1, s2, s3] = await Promise.all([createSeeker(t), createSeeker(t), createSeeker(t)]);
    await Promise.all([completeIdme(t, s1), completeIdme(t, s2), completeIdme(t, s3)]);
    const active = await activeLink(t, s1, provider);
    const pending = await pendingLink(t, s2, provider);
    const draft = (await createLink(t, s3, provider)).id;
    const untouched = await activeLink(t, s1, other);

    const closed = await ok(t, provider, { type: 'CLOSE_ACCOUNT' }, await t.session(provider, 'provider'));
    expect(closed.status).toBe('closed');

    for (const [link, status] of [
      [active, 'inactive'],
      [pending, 'request_cancelled'],
    ]) {
      const view = await statusOf(t, link, status);
      expect(view.data.reason).toBe('provider_account_closed');
      const last = (await t.api('GET', `/v1/actors/${link}/history`)).body.data.at(-1);
      expect(last).toMatchObject({ event: { type: 'MEMBER_LEFT' }, by: { role: 'system' }, to: status });
    }
    expect((await getActor(t, s1)).data.monitoring.used).toBe(1);
    expect((await getActor(t, s2)).data.monitoring.used).toBe(0);
    expect((await getActor(t, untouched)).status).toBe('active');
    await eventually(
      () => notificationsOf(t, s2),
      (all) => all.some((n) => n.actor === pending && n.template === 'request_cancelled' && n.delivered_at),
    );
    // A draft towards the closed provider can never become a request to them: the seeker's
    // attempt to send it is refused with the reason, and the seeker can cancel it.
    await command(t, draft, { type: 'CONFIRM_HIRE' });
    const send = await command(t, draft, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE });
    expect(send.status, JSON.stringify(send.body)).toBe(422);
    expect(send.body.code).toBe('provider_unavailable');
    expect((await getActor(t, draft)).status).toBe('draft');
    expect((await command(t, draft, { type: 'CANCEL_REQUEST' })).body.actor.status).toBe('request_cancelled');
  });

  it('refuses a plan change to the current plan, changing nothing', async () => {
    const seekerId = await createSeeker(t);
    const before = await getActor(t, seekerId);
    const res = await command(t, seekerId, { type: 'CHANGE_PLAN', plan: 'complete' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid_transition', error: expect.any(String) });
    expect((await getActor(t, seekerId)).version).toBe(before.version);
  });

  it('ends links once when leaving Complete, and lets a seeker back on Complete ask again (C16)', async () => {
    const { seekerId, active } = await seekerWithLinks();
    await ok(t, seekerId, { type: 'CHANGE_PLAN', plan: 'legacy' });
    await statusOf(t, active, 'inactive');
    await ok(t, seekerId, { type: 'CHANGE_PLAN', plan: 'starter' });
    const provider = await createProvider(t);
    const refused = await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: provider });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('plan_not_eligible');

    await ok(t, seekerId, { type: 'CHANGE_PLAN', plan: 'complete' });
    const history = (await t.api('GET', `/v1/actors/${active}/history`)).body.data;
    expect(history.filter((h: any) => h.event.type === 'MEMBER_LEFT')).toHaveLength(1);
    // C16: a new link, the old one stays in the history.
    const asked = await pendingLink(t, seekerId, provider);
    expect((await getActor(t, asked)).status).toBe('request_pending');
    expect((await getActor(t, active)).status).toBe('inactive');
  });

  it('refuses CBGC to seekers not on the Complete plan', async () => {
    const provider = await createProvider(t);
    for (const plan of ['starter', 'legacy'] as const) {
      const seekerId = await createSeeker(t, plan);
      const token = await t.session(seekerId, 'seeker');
      const res = await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: provider }, { token });
      expect(res.status, plan).toBe(422);
      expect(res.body).toMatchObject({ code: 'plan_not_eligible', error: expect.any(String) });
    }
    const links = await t.api('GET', `/v1/actors?kind=link&per_page=100`);
    expect(links.body.data.some((l: any) => l.data.provider_id === provider)).toBe(false);
  });

  describe('the rollout flag', () => {
    let dataDir: string;
    let off: TestServer | undefined;
    let allowed: TestServer | undefined;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'trustwire-rollout-'));
    });
    afterAll(async () => {
      await off?.close();
      await allowed?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses everyone with CBGC_ROLLOUT=0, except the seekers on CBGC_ALLOWLIST', async () => {
      off = await startTestServer({ DATA_DIR: dataDir, CBGC_ROLLOUT: '0' });
      const [listed, unlisted, starter, provider] = await Promise.all([
        createSeeker(off),
        createSeeker(off),
        createSeeker(off, 'starter'),
        createProvider(off),
      ]);
      for (const seekerId of [listed, unlisted]) {
        const res = await off.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: provider });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ code: 'feature_not_enabled', error: expect.any(String) });
      }
      const notComplete = await off.api('POST', '/v1/links', { seeker_id: starter, provider_id: provider });
      expect(notComplete.status).toBe(422);
      expect(notComplete.body.code).toBe('plan_not_eligible');
      await off.close();
      off = undefined;

      allowed = await startTestServer({ DATA_DIR: dataDir, CBGC_ROLLOUT: '0', CBGC_ALLOWLIST: listed });
      const token = await allowed.session(listed, 'seeker');
      const created = await allowed.api('POST', '/v1/links', { seeker_id: listed, provider_id: provider }, { token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'link', status: 'draft', data: { seeker_id: listed, provider_id: provider } });
      const stillOff = await allowed.api('POST', '/v1/links', { seeker_id: unlisted, provider_id: provider });
      expect(stillOff.status).toBe(422);
      expect(stillOff.body.code).toBe('feature_not_enabled');
      const confirmed = await allowed.api('POST', '/v1/commands', { actor: created.body.id, event: { type: 'CONFIRM_HIRE' } }, { token });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.actor.data.step).toBe('disclosures');
    });
  });
});
