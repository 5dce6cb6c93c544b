import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createLink, createProvider, createSeeker, DISCLOSURE, getActor, ok, pendingLink } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/** Fields that make each client event well-formed, so that only authorization decides the answer. */
const FIELDS: Record<string, Record<string, unknown>> = {
  ACCEPT_DISCLOSURES: DISCLOSURE,
  ACCEPT: DISCLOSURE,
  REPORT_CONCERN: { report_id: 'rpt_none', text: 'worried' },
  STAFF_REMOVE: { side: 'seeker', reason: 'member asked by phone' },
  CHANGE_PLAN: { plan: 'starter' },
  SUBMIT_LEGAL_INFO: { legal_first_name: 'Ana', legal_last_name: 'Lima', dob: '1980-01-02', address: '3 Bay Street, Oakland', phone: '+1 510 555 0100' },
  SUBMIT_OTP: { code: '123456' },
  REJECT_REVIEW: { reason: 'document mismatch' },
  REQUEST_REFUND: { reason: 'idv_refusal' },
};
const event = (type: string) => ({ type, ...FIELDS[type] });

const SEEKER_LINK_EVENTS = ['CONFIRM_HIRE', 'ACCEPT_DISCLOSURES', 'CANCEL_REQUEST', 'STOP_MONITORING', 'REPORT_CONCERN'];
const PROVIDER_LINK_EVENTS = ['ACCEPT', 'DECLINE', 'CONFIRM_DECLINE', 'REMOVE_ACCESS', 'CONFIRM_REMOVE_ACCESS', 'KEEP'];

/** What each role may ever send, by actor kind (API.md's event tables). */
const MAY_SEND: Record<string, Record<string, string[]>> = {
  seeker: {
    link: SEEKER_LINK_EVENTS,
    seeker: ['CLOSE_ACCOUNT', 'START_VERIFICATION', 'SUBMIT_LEGAL_INFO', 'SUBMIT_OTP', 'CANCEL_VERIFICATION', 'CONFIRM_CANCEL', 'RESUME_VERIFICATION'],
    provider: [],
  },
  provider: { link: PROVIDER_LINK_EVENTS, seeker: [], provider: ['CLOSE_ACCOUNT'] },
  agent: { link: ['STAFF_REMOVE'], seeker: ['REQUEST_REFUND'], provider: [] },
  reviewer: { link: ['STAFF_REMOVE'], seeker: ['APPROVE_REVIEW', 'REJECT_REVIEW', 'REQUEST_REFUND'], provider: [] },
};

describe('authorization (R1, R2)', () => {
  let t: TestServer;
  let seekerA: string;
  let seekerB: string;
  let providerP: string;
  let providerQ: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer();
    [seekerA, seekerB, providerP, providerQ] = await Promise.all([createSeeker(t), createSeeker(t), createProvider(t), createProvider(t)]);
    await completeIdme(t, seekerA);
    await completeIdme(t, seekerB);
    tokens.seekerA = await t.session(seekerA, 'seeker');
    tokens.seekerB = await t.session(seekerB, 'seeker');
    tokens.provider = await t.session(providerP, 'provider');
    tokens.agent = await t.session('agent-ann', 'agent');
    tokens.reviewer = await t.session('reviewer-rob', 'reviewer');
  });
  afterAll(() => t.close());

  describe('over REST', () => {
    let linkA: string;
    let linkB: string;

    beforeAll(async () => {
      linkA = await pendingLink(t, seekerA, providerP, tokens.seekerA);
      linkB = await pendingLink(t, seekerB, providerQ, tokens.seekerB);
    });

    it("hides another seeker's actors, links and history as if they did not exist", async () => {
      for (const path of [`/v1/actors/${seekerB}`, `/v1/actors/${linkB}`, `/v1/actors/${linkB}/history`, `/v1/notifications?recipient=${seekerB}`]) {
        const res = await t.api('GET', path, undefined, { token: tokens.seekerA });
        expect(res.status, path).toBe(404);
        expect(res.body).toMatchObject({ code: 'not_found', error: expect.any(String) });
      }
      // Nor the provider actor, which belongs to the provider alone.
      expect((await t.api('GET', `/v1/actors/${providerP}`, undefined, { token: tokens.seekerA })).status).toBe(404);
    });

    it('lists only what the member may see', async () => {
      const all = await t.api('GET', '/v1/actors?per_page=100', undefined, { token: tokens.seekerA });
      expect(all.status).toBe(200);
      expect(all.body.count).toBe(all.body.data.length);
      const ids = all.body.data.map((a: any) => a.id);
      expect(ids).toContain(seekerA);
      expect(ids).toContain(linkA);
      for (const actor of all.body.data) {
        expect(actor.id === seekerA || (actor.kind === 'link' && actor.data.seeker_id === seekerA), actor.id).toBe(true);
      }
      const seekers = await t.api('GET', '/v1/actors?kind=seeker', undefined, { token: tokens.seekerA });
      expect(seekers.body.data.map((a: any) => a.id)).toEqual([seekerA]);
      expect(seekers.body.count).toBe(1);
      const providers = await t.api('GET', '/v1/actors?kind=provider', undefined, { token: tokens.seekerA });
      expect(providers.body).toMatchObject({ data: [], count: 0 });
    });

    it("refuses commands to another member's actors with 404, changing nothing", async () => {
      const before = await getActor(t, linkB);
      for (const [actor, type] of [
        [linkB, 'CANCEL_REQUEST'],
        [seekerB, 'CLOSE_ACCOUNT'],
        [providerP, 'CLOSE_ACCOUNT'],
      ]) {
        const res = await command(t, actor, event(type), tokens.seekerA);
        expect(res.status, `${type} to ${actor}`).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
      // The provider of one link is a stranger to other links and to seekers.
      expect((await command(t, linkB, event('ACCEPT'), tokens.provider)).status).toBe(404);
      expect((await command(t, seekerA, event('CLOSE_ACCOUNT'), tokens.provider)).status).toBe(404);
      // A seeker cannot start monitoring in another seeker's name.
      const foreign = await t.api('POST', '/v1/links', { seeker_id: seekerB, provider_id: providerP }, { token: tokens.seekerA });
      expect(foreign.status).toBe(404);
      expect((await getActor(t, linkB)).version).toBe(before.version);
      expect((await getActor(t, seekerB)).status).toBe('active');
    });

    it('shows a link to its provider only once the request was sent', async () => {
      const provider = await createProvider(t);
      const token = await t.session(provider, 'provider');
      const draft = await createLink(t, seekerA, provider, tokens.seekerA);
      await ok(t, draft.id, { type: 'CONFIRM_HIRE' }, tokens.seekerA);

      expect((await t.api('GET', `/v1/actors/${draft.id}`, undefined, { token })).status).toBe(404);
      expect((await t.api('GET', `/v1/actors/${draft.id}/history`, undefined, { token })).status).toBe(404);
      expect((await t.api('GET', '/v1/actors?kind=link', undefined, { token })).body.count).toBe(0);
      expect((await command(t, draft.id, event('DECLINE'), token)).status).toBe(404);

      await ok(t, draft.id, event('ACCEPT_DISCLOSURES'), tokens.seekerA);
      const seen = await t.api('GET', `/v1/actors/${draft.id}`, undefined, { token });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ status: 'request_pending', data: { provider_id: provider, seeker_id: seekerA } });
      expect((await t.api('GET', '/v1/actors?kind=link', undefined, { token })).body.data.map((a: any) => a.id)).toEqual([draft.id]);
      await ok(t, draft.id, { type: 'CANCEL_REQUEST' }, tokens.seekerA);
    });

    it("refuses each side the other side's events with 403", async () => {
      const before = await getActor(t, linkA);
      for (const type of PROVIDER_LINK_EVENTS) {
        const res = await command(t, linkA, event(type), tokens.seekerA);
        expect(res.status, `seeker sends ${type}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      for (const type of SEEKER_LINK_EVENTS) {
        const res = await command(t, linkA, event(type), tokens.provider);
        expect(res.status, `provider sends ${type}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect((await command(t, seekerA, event('CHANGE_PLAN'), tokens.seekerA)).status).toBe(403);
      expect((await getActor(t, linkA)).version).toBe(before.version);
    });

    it('never lets staff request, accept or decide for a member (R2)', async () => {
      const draftProvider = await createProvider(t);
      for (const role of ['agent', 'reviewer']) {
        const token = tokens[role];
        const link = await t.api('POST', '/v1/links', { seeker_id: seekerA, provider_id: draftProvider }, { token });
        expect(link.status, `${role} POST /v1/links`).toBe(403);
        expect(link.body.code).toBe('forbidden');
        for (const type of [...SEEKER_LINK_EVENTS, ...PROVIDER_LINK_EVENTS]) {
          const res = await command(t, linkA, event(type), token);
          expect(res.status, `${role} sends ${type}`).toBe(403);
          expect(res.body.code).toBe('forbidden');
        }
        for (const [actor, type] of [
          [seekerA, 'CHANGE_PLAN'],
          [seekerA, 'CLOSE_ACCOUNT'],
          [providerP, 'CLOSE_ACCOUNT'],
        ]) {
          expect((await command(t, actor, event(type), token)).status, `${role} sends ${type} to ${actor}`).toBe(403);
        }
      }
      const seeker = await getActor(t, seekerA);
      expect(seeker.data.plan).toBe('complete');
      expect(seeker.status).toBe('active');
      expect((await getActor(t, linkA)).status).toBe('request_pending');
    });

    it('refuses STAFF_REMOVE to members', async () => {
      for (const token of [tokens.seekerA, tokens.provider]) {
        const res = await command(t, linkA, event('STAFF_REMOVE'), token);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
    });

    it('lets staff remove on a member’s behalf, recorded with their role and id', async () => {
      const provider = await createProvider(t);
      const pending = await pendingLink(t, seekerB, provider, tokens.seekerB);
      const removed = await ok(t, pending, { type: 'STAFF_REMOVE', side: 'seeker', reason: 'asked by phone' }, tokens.agent);
      expect(removed.status).toBe('request_cancelled');
      const history = (await t.api('GET', `/v1/actors/${pending}/history`, undefined, { token: tokens.agent })).body.data;
      expect(history.at(-1)).toMatchObject({
        event: { type: 'STAFF_REMOVE' },
        by: { role: 'agent', subject: 'agent-ann' },
        from: 'request_pending',
        to: 'request_cancelled',
      });

      const active = await activeLink(t, seekerB, provider);
      const denied = await ok(t, active, { type: 'STAFF_REMOVE', side: 'provider', reason: 'provider wrote in' }, tokens.reviewer);
      expect(denied.status).toBe('access_denied');
      const last = (await t.api('GET', `/v1/actors/${active}/history`)).body.data.at(-1);
      expect(last).toMatchObject({ by: { role: 'reviewer', subject: 'reviewer-rob' }, to: 'access_denied' });
    });

    it('records the integrator acting for a member with on_behalf_of', async () => {
      const provider = await createProvider(t);
      const link = await createLink(t, seekerB, provider);
      await ok(t, link.id, { type: 'CONFIRM_HIRE' });
      await ok(t, link.id, event('ACCEPT_DISCLOSURES'));
      await ok(t, link.id, event('ACCEPT'));
      const history = (await t.api('GET', `/v1/actors/${link.id}/history`)).body.data;
      expect(history.map((h: any) => [h.event.type, h.by])).toEqual([
        ['CREATED', { role: 'integrator', on_behalf_of: seekerB }],
        ['CONFIRM_HIRE', { role: 'integrator', on_behalf_of: seekerB }],
        ['ACCEPT_DISCLOSURES', { role: 'integrator', on_behalf_of: seekerB }],
        ['ACCEPT', { role: 'integrator', on_behalf_of: provider }],
      ]);
    });
  });

  describe('the can list', () => {
    /** Callers by name: a role, and the token to call with (none: the integrator). */
    type Callers = [role: string, token: string | undefined][];

    /**
     * Every event in `can` is one the caller's role may send, and passes authorization: sent with
     * a stale expected_version it is refused for the version (API.md ranks 403 before that), so
     * nothing changes.
     */
    async function expectCanIsAllowed(actorId: string, callers: Callers) {
      for (const [role, token] of callers) {
        const res = await t.api('GET', `/v1/actors/${actorId}`, undefined, { token });
        if (res.status === 404) continue; // not visible to this caller: nothing to offer
        const view = res.body;
        if (MAY_SEND[role]) {
          for (const type of view.can) expect(MAY_SEND[role][view.kind], `${role} offered ${type} on a ${view.kind}`).toContain(type);
        }
        for (const type of view.can) {
          const sent = await command(t, actorId, event(type), token, view.version + 1000);
          expect(sent.status, `${role} offered ${type} on ${view.kind} ${view.status}: ${JSON.stringify(sent.body)}`).toBe(409);
          expect(sent.body.code).toBe('version_conflict');
        }
        expect((await getActor(t, actorId)).version).toBe(view.version);
      }
    }

    it('offers each caller only events its role may send, through a link’s whole life', async () => {
      const provider = await createProvider(t);
      const providerToken = await t.session(provider, 'provider');
      const callers: Callers = [
        ['seeker', tokens.seekerA],
        ['seeker', tokens.seekerB],
        ['provider', providerToken],
        ['provider', tokens.provider],
        ['agent', tokens.agent],
        ['reviewer', tokens.reviewer],
        ['integrator', undefined],
      ];

      // A seeker verified before trustwire is never sent through verification again (I10).
      expect((await getActor(t, seekerA, tokens.seekerA)).can).toEqual(['CLOSE_ACCOUNT']);
      expect((await getActor(t, seekerA)).can).toEqual(expect.arrayContaining(['CHANGE_PLAN', 'CLOSE_ACCOUNT']));
      await expectCanIsAllowed(seekerA, callers);
      await expectCanIsAllowed(provider, callers);

      const link = await createLink(t, seekerA, provider, tokens.seekerA);
      const steps: [string, Record<string, unknown>, string | undefined][] = [
        ['draft/confirm_hire', { type: 'CONFIRM_HIRE' }, tokens.seekerA],
        ['draft/disclosures', event('ACCEPT_DISCLOSURES'), tokens.seekerA],
        ['pending', { type: 'DECLINE' }, providerToken],
        ['confirming decline', { type: 'KEEP' }, providerToken],
        ['pending again', event('ACCEPT'), providerToken],
        ['active', { type: 'REMOVE_ACCESS' }, providerToken],
        ['confirming removal', { type: 'CONFIRM_REMOVE_ACCESS' }, providerToken],
      ];
      for (const [label, next, token] of steps) {
        await expectCanIsAllowed(link.id, callers).catch((error: Error) => {
          throw new Error(`${label}: ${error.message}`);
        });
        await ok(t, link.id, next, token);
      }
      await expectCanIsAllowed(link.id, callers);
      expect((await getActor(t, link.id)).status).toBe('access_denied');
    });
  });

  describe('over the socket', () => {
    type Received = { type: string; payload: any }[];
    const received: Record<string, Received> = {};
    const sockets: Record<string, Socket> = {};

    function record(name: string, socket: Socket) {
      received[name] = [];
      socket.onAny((type, payload) => received[name].push({ type, payload }));
      sockets[name] = socket;
    }

    beforeAll(async () => {
      for (const name of ['seekerA', 'seekerB', 'agent']) record(name, await t.socket(tokens[name]));
    });

    it('refuses a handshake without a token or with a bad one', async () => {
      for (const auth of [{}, { token: 'nope' }, { token: 'tw1.e30.AAAA' }, { token: 42 }]) {
        const socket = io(t.url, { auth, transports: ['websocket'], reconnection: false });
        const error = await new Promise<Error>((resolve, reject) => {
          socket.once('connect_error', resolve);
          socket.once('connect', () => reject(new Error(`connected with ${JSON.stringify(auth)}`)));
        }).finally(() => socket.close());
        expect(error.message).toBe('unauthorized');
      }
    });

    it('delivers each change only to the sockets allowed to see it', async () => {
      // Seeker A's link through its life, provider P on the other side.
      const provider = await createProvider(t);
      const providerToken = await t.session(provider, 'provider');
      record('provider', await t.socket(providerToken));
      const link = await createLink(t, seekerA, provider, tokens.seekerA);
      await ok(t, link.id, { type: 'CONFIRM_HIRE' }, tokens.seekerA);
      await ok(t, link.id, event('ACCEPT_DISCLOSURES'), tokens.seekerA);
      await ok(t, link.id, event('ACCEPT'), providerToken);
      await ok(t, link.id, { type: 'REMOVE_ACCESS' }, providerToken);
      await ok(t, link.id, { type: 'KEEP' }, providerToken);
      await ok(t, link.id, { type: 'STOP_MONITORING' }, tokens.seekerA);
      const final = await getActor(t, link.id);

      // Something each socket may see, from the other seeker this time.
      const linkB = await pendingLink(t, seekerB, provider, tokens.seekerB);
      // Changes are pushed before the command is answered, and a socket receives in order: once
      // an ack comes back, every change committed before it has arrived.
      for (const socket of Object.values(sockets)) await socket.emitWithAck('subscribe', { actor: 'barrier' });

      const changes = (name: string) => received[name].filter((r) => r.type === 'actor.changed').map((r) => r.payload);
      const aboutLink = (name: string) => changes(name).filter((m) => m.actor.id === link.id);

      // The agent sees every change of the link, in order; so does its seeker.
      const versions = Array.from({ length: final.version }, (_, i) => i + 1);
      expect(aboutLink('agent').map((m) => m.actor.version)).toEqual(versions);
      expect(aboutLink('seekerA').map((m) => m.actor.version)).toEqual(versions);
      for (const m of aboutLink('agent'))
        expect(m).toMatchObject({ event: { type: expect.any(String) }, by: { role: expect.any(String) }, at: expect.any(String) });

      // The provider: from the sent request on, never a draft, never the seeker actor.
      const seen = aboutLink('provider');
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0].actor.status).toBe('request_pending');
      expect(seen.map((m) => m.actor.status)).not.toContain('draft');
      expect(seen.map((m) => m.actor.version)).toEqual(versions.filter((v) => v >= seen[0].actor.version));
      expect(changes('provider').filter((m) => m.actor.kind === 'seeker')).toEqual([]);

      // Seeker B hears nothing of seeker A, and A nothing of B.
      const mentions = (name: string, ids: string[]) => received[name].filter((r) => ids.some((id) => JSON.stringify(r.payload).includes(id)));
      expect(mentions('seekerB', [seekerA, link.id])).toEqual([]);
      expect(mentions('seekerA', [seekerB, linkB])).toEqual([]);
      expect(changes('seekerB').some((m) => m.actor.id === linkB)).toBe(true);
    });

    it('answers subscribe with the current view of own actors only', async () => {
      const provider = await createProvider(t);
      const draft = await createLink(t, seekerA, provider, tokens.seekerA);
      await ok(t, draft.id, { type: 'CONFIRM_HIRE' }, tokens.seekerA);
      const providerSocket = await t.socket(await t.session(provider, 'provider'));

      const own = await sockets.seekerA.emitWithAck('subscribe', { actor: draft.id });
      expect(own.ok).toBe(true);
      expect(own.actor).toMatchObject({ id: draft.id, status: 'draft', version: (await getActor(t, draft.id)).version });
      expect((await sockets.seekerA.emitWithAck('subscribe', { actor: seekerA })).actor.id).toBe(seekerA);

      for (const request of [{ actor: seekerB }, { actor: 'lnk_doesnotexist' }, { actor: 42 }, null, 'x']) {
        expect(await sockets.seekerA.emitWithAck('subscribe', request), JSON.stringify(request)).toMatchObject({ ok: false });
      }
      expect((await sockets.seekerB.emitWithAck('subscribe', { actor: draft.id })).ok).toBe(false);
      expect((await providerSocket.emitWithAck('subscribe', { actor: draft.id })).ok).toBe(false);
      expect((await sockets.agent.emitWithAck('subscribe', { actor: draft.id })).ok).toBe(true);
      await ok(t, draft.id, { type: 'CANCEL_REQUEST' }, tokens.seekerA);
    });
  });
});
