import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, eventually, getActor, notificationsOf, ok, statusOf } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/** C6: at most 3 links request_pending or active per seeker, exactly, also under concurrency. */
describe('monitoring limit (C6)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const providers = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => createProvider(t, `Pat${i}`)));

  describe('a seeker who completed ID.me', () => {
    let seekerId: string;
    let token: string;
    let drafts: string[];
    let sent: string[];

    beforeAll(async () => {
      seekerId = await createSeeker(t);
      token = await t.session(seekerId, 'seeker');
      await completeIdme(t, seekerId, 'verify', token);
      expect((await getActor(t, seekerId)).data.idme_verified).toBe(true);
    });

    it('sends exactly 3 of 20 concurrent requests; the other 17 are refused and stay drafts', async () => {
      const ids: string[] = [];
      for (const providerId of await providers(20)) {
        const link = await createLink(t, seekerId, providerId, token);
        await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);
        ids.push(link.id);
      }

      const answers = await Promise.all(ids.map((id) => command(t, id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token)));

      const accepted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status !== 200);
      expect(accepted).toHaveLength(3);
      expect(refused).toHaveLength(17);
      for (const a of accepted) expect(a.body.actor.status).toBe('request_pending');
      for (const r of refused) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'monitoring_limit_reached', error: expect.any(String) });
      }

      sent = ids.filter((_, i) => answers[i].status === 200);
      drafts = ids.filter((_, i) => answers[i].status !== 200);
      for (const id of sent) expect((await getActor(t, id, token)).status).toBe('request_pending');
      for (const id of drafts) {
        const view = await getActor(t, id, token);
        expect(view.status).toBe('draft');
        expect(view.data.step).toBe('disclosures');
        expect(view.data.requested_at).toBeNull();
      }

      const seeker = await getActor(t, seekerId, token);
      expect(seeker.data.monitoring.used).toBe(3);
      expect(seeker.data.monitoring.limit).toBe(3);

      const listed = await t.api('GET', '/v1/actors?kind=link&status=request_pending&per_page=100', undefined, { token });
      expect(listed.body.count).toBe(3);
    });

    it('refuses 20 concurrent new links once the seeker is at the limit', async () => {
      const before = (await t.api('GET', '/v1/actors?kind=link&per_page=1', undefined, { token })).body.count;
      const answers = await Promise.all(
        (await providers(20)).map((providerId) => t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: providerId }, { token })),
      );
      for (const a of answers) {
        expect(a.status).toBe(422);
        expect(a.body.code).toBe('monitoring_limit_reached');
      }
      const after = (await t.api('GET', '/v1/actors?kind=link&per_page=1', undefined, { token })).body.count;
      expect(after).toBe(before);
      expect((await getActor(t, seekerId)).data.monitoring.used).toBe(3);
    });

    it('lets a new request through once one is cancelled, and only one', async () => {
      const cancelled = await ok(t, sent[0], { type: 'CANCEL_REQUEST' }, token);
      expect(cancelled.status).toBe('request_cancelled');
      expect((await getActor(t, seekerId)).data.monitoring.used).toBe(2);

      const [fresh] = await providers(1);
      const link = await createLink(t, seekerId, fresh, token);
      await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);
      const nowSent = await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
      expect(nowSent.status).toBe('request_pending');
      expect((await getActor(t, seekerId)).data.monitoring.used).toBe(3);

      // The freed slot is taken again: an old draft is still refused.
      const again = await command(t, drafts[0], { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
      expect(again.status).toBe(422);
      expect(again.body.code).toBe('monitoring_limit_reached');
    });
  });

  describe('links waiting for ID.me', () => {
    it('ends the link that finds no free slot when ID.me completes as request_cancelled, and tells the seeker', async () => {
      const seekerId = await createSeeker(t);
      const token = await t.session(seekerId, 'seeker');
      const ids: string[] = [];
      for (const providerId of await providers(4)) {
        const link = await createLink(t, seekerId, providerId, token);
        await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);
        const waiting = await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
        expect(waiting).toMatchObject({ status: 'draft', data: { step: 'identity' } });
        ids.push(link.id);
      }
      expect((await getActor(t, seekerId)).data.monitoring.used).toBe(0);

      await completeIdme(t, seekerId, 'verify', token);

      // ID.me reaches the links through the runtime: wait until none is waiting any more.
      const views = await eventually(
        () => Promise.all(ids.map((id) => getActor(t, id, token))),
        (all) => all.every((v) => v.status !== 'draft'),
      );
      const pending = views.filter((v) => v.status === 'request_pending');
      const ended = views.filter((v) => v.status === 'request_cancelled');
      expect(pending).toHaveLength(3);
      expect(ended).toHaveLength(1);
      expect(ended[0].data.reason).toBe('monitoring_limit_reached');
      expect((await getActor(t, seekerId)).data.monitoring.used).toBe(3);

      const history = (await t.api('GET', `/v1/actors/${ended[0].id}/history`)).body.data;
      expect(history.at(-1)).toMatchObject({ from: 'draft', to: 'request_cancelled', by: { role: 'system' } });

      const notes = await eventually(
        () => notificationsOf(t, seekerId, token),
        (all) => all.some((n) => n.actor === ended[0].id && n.template === 'limit_reached' && n.channel === 'in_app'),
      );
      expect(notes.find((n) => n.template === 'limit_reached')).toMatchObject({ recipient: seekerId, subject: expect.any(String) });
    });
  });

  it('a draft still confirming the hire when ID.me completes is sent once the seeker accepts the disclosures (C4)', async () => {
    const seekerId = await createSeeker(t);
    const token = await t.session(seekerId, 'seeker');
    const [first, second] = await providers(2);
    // A probe link waiting for ID.me, created first: the runtime tells a seeker's links newest
    // first, so once the probe is sent the runtime has been through the link under test too.
    const probe = await createLink(t, seekerId, first, token);
    await ok(t, probe.id, { type: 'CONFIRM_HIRE' }, token);
    await ok(t, probe.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
    const link = await createLink(t, seekerId, second, token);
    expect(link.data.step).toBe('confirm_hire');

    await completeIdme(t, seekerId, 'verify', token);
    await statusOf(t, probe.id, 'request_pending');

    await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);
    const after = await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
    // ID.me is completed once per seeker; the link must not wait for an ID.me that cannot come.
    expect(after.status).toBe('request_pending');
  });
});
