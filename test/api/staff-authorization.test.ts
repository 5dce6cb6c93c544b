import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, eventually, getActor, ok } from '../helpers/link-flow.ts';
import { API_KEY, command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The authorization matrix of the staff console: every staff action against every role, over
 * REST and, for the actions that are commands, over the socket (SPEC.md Roles, R1, R2, I8,
 * I11–I14, C14; API.md "Errors", "The command endpoint", "Members", "Provider links", "Staff",
 * "Realtime").
 *
 * Each row builds its own fixture (a fresh link, seeker or case) in a state where the action is
 * possible, so that an authorized caller gets 2xx and everyone else 403, or 404 where R1 says a
 * member may not even know of the actor (API.md ranks 404 before 403). Every row checks the exact
 * status and, for 2xx, that the effect happened; for 403/404, that nothing changed.
 */

/** Who calls. "the seeker"/"the provider" are the fixture's own members; the others are strangers to it. */
type Who = 'the seeker' | 'another seeker' | 'the provider' | 'another provider' | 'a provider' | 'agent' | 'reviewer' | 'integrator';
type Transport = 'REST' | 'the socket';

/** The members and actors a row is about. */
interface Fixture {
  seekerId: string;
  providerId?: string;
  /** The actor the command goes to (a link or the seeker). */
  actorId: string;
  caseId?: string;
}

const STAFF_IDS = { agent: 'agent_amy', reviewer: 'reviewer_rui' } as const;
const OTHER_AGENT = 'agent_other';

/** What the server answered, the same shape whichever transport carried it. */
interface Answer {
  status: number;
  code?: string;
  actor?: any;
}

describe('staff authorization matrix (R1, R2, I8, I11–I14, C14)', () => {
  let t: TestServer;
  const strangers = { seeker: '', provider: '' };
  const tokens: Record<string, string> = {};
  const sockets = new Map<string, Socket>();

  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '20' });
    strangers.seeker = await createSeeker(t, 'complete', 'Stranger');
    strangers.provider = await createProvider(t, 'Stranger');
    tokens.seeker = await t.session(strangers.seeker, 'seeker');
    tokens.provider = await t.session(strangers.provider, 'provider');
    tokens.agent = await t.session(STAFF_IDS.agent, 'agent');
    tokens.reviewer = await t.session(STAFF_IDS.reviewer, 'reviewer');
    tokens.otherAgent = await t.session(OTHER_AGENT, 'agent');
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------
  // Callers

  /** The session token of `who` for this fixture; undefined for the integrator (its API key). */
  async function tokenOf(who: Who, fx: Fixture): Promise<string | undefined> {
    switch (who) {
      case 'the seeker':
        return t.session(fx.seekerId, 'seeker');
      case 'the provider':
        if (!fx.providerId) throw new Error('this fixture has no provider');
        return t.session(fx.providerId, 'provider');
      case 'another seeker':
        return tokens.seeker;
      case 'another provider':
      case 'a provider':
        return tokens.provider;
      case 'agent':
        return tokens.agent;
      case 'reviewer':
        return tokens.reviewer;
      case 'integrator':
        return undefined;
    }
  }

  /** How the audit history names `who` (P3): role, and subject unless it is the integrator. */
  function byOf(who: Who, fx: Fixture): Record<string, string> {
    switch (who) {
      case 'the seeker':
        return { role: 'seeker', subject: fx.seekerId };
      case 'the provider':
        return { role: 'provider', subject: fx.providerId! };
      case 'agent':
      case 'reviewer':
        return { role: who, subject: STAFF_IDS[who] };
      case 'integrator':
        return { role: 'integrator' };
      default:
        throw new Error(`${who} is never authorized in this matrix`);
    }
  }

  async function socketOf(token: string | undefined): Promise<Socket> {
    const key = token ?? API_KEY; // the socket handshake takes an API key as well as a session token
    let socket = sockets.get(key);
    if (!socket) {
      socket = await t.socket(key);
      sockets.set(key, socket);
    }
    return socket;
  }

  /** `POST /v1/commands`, or the socket's `command` event with its ack. */
  async function send(transport: Transport, token: string | undefined, actor: string, event: Record<string, unknown>): Promise<Answer> {
    if (transport === 'REST') {
      const res = await command(t, actor, event, token);
      return { status: res.status, code: res.body?.code, actor: res.body?.actor };
    }
    const ack = await (await socketOf(token)).timeout(10_000).emitWithAck('command', { actor, event });
    if (ack.ok === true) return { status: 200, actor: ack.actor };
    expect(ack, 'a refused socket command acks { ok: false, status, code, error, details }').toMatchObject({
      ok: false,
      status: expect.any(Number),
      code: expect.any(String),
      error: expect.any(String),
      details: expect.any(Object),
    });
    return { status: ack.status, code: ack.code };
  }

  const historyOf = async (id: string): Promise<any[]> => (await t.api('GET', `/v1/actors/${id}/history`)).body.data;
  const casesOf = async (subject: string, queue: string): Promise<any[]> =>
    (await t.api('GET', `/v1/cases?subject=${subject}&queue=${queue}&per_page=100`)).body.data;

  // ---------------------------------------------------------------------------------------------
  // Fixtures

  /** A Complete-plan seeker with ID.me done and a fresh provider, with a link in `state`. */
  async function linkIn(state: 'confirm_hire' | 'disclosures' | 'request_pending' | 'active'): Promise<Fixture> {
    const seekerId = await createSeeker(t, 'complete');
    const providerId = await createProvider(t);
    const link = await createLink(t, seekerId, providerId);
    expect(link.data.step).toBe('confirm_hire');
    // ID.me reaches the seeker's links by a cascade after the callback (C4): let it land before
    // the row runs, so that the only change a row can see is its own.
    await completeIdme(t, seekerId);
    await eventually(
      () => historyOf(link.id),
      (history) => history.some((h) => h.event.type === 'IDME_VERIFIED'),
    );
    if (state !== 'confirm_hire') await ok(t, link.id, { type: 'CONFIRM_HIRE' });
    if (state === 'request_pending' || state === 'active') await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE });
    if (state === 'active') await ok(t, link.id, { type: 'ACCEPT', ...DISCLOSURE });
    const view = await getActor(t, link.id);
    expect(view.status).toBe(state === 'confirm_hire' || state === 'disclosures' ? 'draft' : state);
    if (view.status === 'draft') expect(view.data.step).toBe(state);
    return { seekerId, providerId, actorId: link.id };
  }

  let serial = 0;
  const unique = () => `${String(Date.now() % 1e5).padStart(5, '0')}${String(++serial).padStart(3, '0')}`;

  /**
   * A starter seeker sent to Veriff (legal phone ending in 99: Prove cannot verify) whose document
   * and selfie are submitted on the sandbox's hosted page; `Review` ends in manual_review,
   * `Declined` in failed (account closed, identity blocklisted).
   */
  async function throughVeriff(legalLastName: 'Review' | 'Declined', idvStatus: 'manual_review' | 'failed'): Promise<Fixture> {
    const seekerId = await createSeeker(t, 'starter');
    const token = await t.session(seekerId, 'seeker');
    const n = unique();
    await ok(t, seekerId, { type: 'START_VERIFICATION' }, token);
    await ok(
      t,
      seekerId,
      {
        type: 'SUBMIT_LEGAL_INFO',
        legal_first_name: `Alex${n}`,
        legal_last_name: legalLastName,
        dob: '1984-06-30',
        address: '12 Harbor Road, Portland, ME 04101',
        phone: `+1 ${n.slice(0, 3)} ${n.slice(3, 8)}99`,
      },
      token,
    );
    const capture = await eventually(
      () => getActor(t, seekerId),
      (v) => v.data.idv.step === 'veriff_capture',
    );
    const base = `${t.url}/sandbox/veriff/v1/sessions/${capture.data.idv.veriff_session_id}`;
    const image = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    for (const context of ['document-front', 'face']) {
      const media = await fetch(`${base}/media`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-client': 'trustwire-sandbox' },
        body: JSON.stringify({ image: { context, content: image } }),
      });
      expect(media.status, `Veriff sandbox media ${context}`).toBe(200);
    }
    const submitted = await fetch(base, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verification: { status: 'submitted' } }),
    });
    expect(submitted.status, 'Veriff sandbox submit').toBe(200);
    await eventually(
      () => getActor(t, seekerId),
      (v) => v.data.idv_status === idvStatus,
    );
    return { seekerId, actorId: seekerId };
  }

  /** A starter seeker who has not verified (idv `required`): blocked (I14) and refundable for refusing IDV (I13). */
  async function requiredSeeker(): Promise<Fixture> {
    const seekerId = await createSeeker(t, 'starter');
    expect((await getActor(t, seekerId)).data.idv_status).toBe('required');
    return { seekerId, actorId: seekerId };
  }

  /** A seeker with an open `manual` case about them, opened by the integrator. */
  async function seekerWithCase(): Promise<Fixture> {
    const fx = await requiredSeeker();
    const opened = await t.api('POST', '/v1/cases', { subject: fx.seekerId, queue: 'manual', summary: 'Reported by a provider: rude messages.' });
    expect(opened.status).toBe(201);
    return { ...fx, caseId: opened.body.id };
  }

  // ---------------------------------------------------------------------------------------------
  // Commands: REST and socket

  interface CommandAction {
    action: string;
    setup: () => Promise<Fixture>;
    event: Record<string, unknown>;
    expected: Partial<Record<Who, 200 | 403 | 404>>;
    /** The effect, on the integrator's view after a 2xx. */
    effect: (after: any, fx: Fixture) => void | Promise<void>;
  }

  /** Link commands: the link's own seeker and provider, strangers on both sides, staff, the integrator. */
  const STAFF_REMOVE_EXPECTED = {
    'the seeker': 403,
    'another seeker': 404,
    'the provider': 403,
    'another provider': 404,
    agent: 200,
    reviewer: 200,
    integrator: 200,
  } as const;
  /** R2: a seeker's own step; the provider does not see a draft (API.md "Conventions"), so 404. */
  const SEEKER_STEP_EXPECTED = {
    'the seeker': 200,
    'another seeker': 404,
    'the provider': 404,
    'another provider': 404,
    agent: 403,
    reviewer: 403,
    integrator: 200,
  } as const;
  const REVIEW_EXPECTED = { 'the seeker': 403, 'another seeker': 404, 'a provider': 404, agent: 403, reviewer: 200, integrator: 200 } as const;
  const REFUND_EXPECTED = { 'the seeker': 403, 'another seeker': 404, 'a provider': 404, agent: 200, reviewer: 200, integrator: 200 } as const;

  const ended = (status: string) => (after: any) => {
    expect(after.status).toBe(status);
    expect(after.data.ended_at).toEqual(expect.any(String));
    expect(after.data.reason).toBe('the member called customer care');
  };

  const COMMANDS: CommandAction[] = [
    {
      action: 'STAFF_REMOVE (seeker side) on a pending link',
      setup: () => linkIn('request_pending'),
      event: { type: 'STAFF_REMOVE', side: 'seeker', reason: 'the member called customer care' },
      expected: STAFF_REMOVE_EXPECTED,
      effect: ended('request_cancelled'),
    },
    {
      action: 'STAFF_REMOVE (seeker side) on an active link',
      setup: () => linkIn('active'),
      event: { type: 'STAFF_REMOVE', side: 'seeker', reason: 'the member called customer care' },
      expected: STAFF_REMOVE_EXPECTED,
      effect: ended('inactive'),
    },
    {
      action: 'STAFF_REMOVE (provider side) on a pending link',
      setup: () => linkIn('request_pending'),
      event: { type: 'STAFF_REMOVE', side: 'provider', reason: 'the member called customer care' },
      expected: STAFF_REMOVE_EXPECTED,
      effect: ended('declined'),
    },
    {
      action: 'STAFF_REMOVE (provider side) on an active link',
      setup: () => linkIn('active'),
      event: { type: 'STAFF_REMOVE', side: 'provider', reason: 'the member called customer care' },
      expected: STAFF_REMOVE_EXPECTED,
      effect: ended('access_denied'),
    },
    {
      action: 'CONFIRM_HIRE on a draft link',
      setup: () => linkIn('confirm_hire'),
      event: { type: 'CONFIRM_HIRE' },
      expected: SEEKER_STEP_EXPECTED,
      effect: async (after, fx) => {
        expect(after).toMatchObject({ status: 'draft', data: { step: 'disclosures' } });
        expect((await getActor(t, fx.seekerId)).data.hired_providers).toContain(fx.providerId);
      },
    },
    {
      action: 'ACCEPT_DISCLOSURES on a draft link',
      setup: () => linkIn('disclosures'),
      event: { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE },
      expected: SEEKER_STEP_EXPECTED,
      effect: async (after, fx) => {
        expect(after).toMatchObject({
          status: 'request_pending',
          data: { requested_at: expect.any(String), seeker_disclosure: { version: DISCLOSURE.disclosure_version } },
        });
        expect((await getActor(t, fx.seekerId)).data.monitoring.links).toContain(fx.actorId);
      },
    },
    {
      action: 'ACCEPT on a pending link',
      setup: () => linkIn('request_pending'),
      event: { type: 'ACCEPT', ...DISCLOSURE },
      expected: { 'the seeker': 403, 'another seeker': 404, 'the provider': 200, 'another provider': 404, agent: 403, reviewer: 403, integrator: 200 },
      effect: (after) =>
        expect(after).toMatchObject({
          status: 'active',
          data: { accepted_at: expect.any(String), provider_disclosure: { version: DISCLOSURE.disclosure_version } },
        }),
    },
    {
      action: 'APPROVE_REVIEW on a seeker in manual_review',
      setup: () => throughVeriff('Review', 'manual_review'),
      event: { type: 'APPROVE_REVIEW' },
      expected: REVIEW_EXPECTED,
      effect: async (after, fx) => {
        expect(after).toMatchObject({ status: 'active', data: { idv_status: 'verified', idv: { verified_by: 'review' } } });
        expect((await t.api('POST', `/v1/seekers/${fx.seekerId}/gate`, { action: 'message' })).body).toEqual({ allowed: true });
      },
    },
    {
      action: 'REJECT_REVIEW on a seeker in manual_review',
      setup: () => throughVeriff('Review', 'manual_review'),
      event: { type: 'REJECT_REVIEW', reason: 'the selfie does not match the document' },
      expected: REVIEW_EXPECTED,
      effect: async (after, fx) => {
        // I7: failing closes the account.
        expect(after).toMatchObject({ status: 'closed', data: { idv_status: 'failed', account_status: 'closed' } });
        expect((await t.api('POST', `/v1/seekers/${fx.seekerId}/gate`, { action: 'message' })).body).toEqual({ allowed: false, reason: 'account_closed' });
      },
    },
    {
      action: 'REQUEST_REFUND (idv_refusal) on a seeker who did not verify',
      setup: requiredSeeker,
      event: { type: 'REQUEST_REFUND', reason: 'idv_refusal' },
      expected: REFUND_EXPECTED,
      effect: async (after, fx) => {
        expect(after.data.refund_requests).toEqual([{ reason: 'idv_refusal', at: expect.any(String) }]);
        // I13: issued, and recorded in a `refunds` case tagged #IDVrefusal.
        const [refund] = await eventually(
          () => casesOf(fx.seekerId, 'refunds'),
          (cases) => cases.length > 0,
        );
        expect(refund.tags).toContain('IDVrefusal');
      },
    },
    {
      action: 'REQUEST_REFUND (failed_verification) on a seeker who failed verification',
      setup: () => throughVeriff('Declined', 'failed'),
      event: { type: 'REQUEST_REFUND', reason: 'failed_verification' },
      expected: REFUND_EXPECTED,
      effect: async (after, fx) => {
        expect(after).toMatchObject({ status: 'closed', data: { refund_requests: [{ reason: 'failed_verification', at: expect.any(String) }] } });
        // I13: not refunded automatically; an escalation for member care.
        const escalations = await eventually(
          () => casesOf(fx.seekerId, 'member_care_escalations'),
          (cases) => cases.length > 0,
        );
        expect(escalations).toHaveLength(1);
        expect((await casesOf(fx.seekerId, 'refunds')).length).toBe(0);
      },
    },
  ];

  for (const transport of ['REST', 'the socket'] as const) {
    describe(`commands over ${transport}`, () => {
      for (const action of COMMANDS) {
        const rows = Object.entries(action.expected).map(([who, status]) => ({
          who: who as Who,
          status,
          name: `${who} ${status === 200 ? 'may' : 'may not'} ${action.action} over ${transport} → ${status}`,
        }));
        it.each(rows)('$name', async ({ who, status }) => {
          const fx = await action.setup();
          const token = await tokenOf(who, fx);
          const before = await getActor(t, fx.actorId);
          const historyBefore = await historyOf(fx.actorId);

          const answer = await send(transport, token, fx.actorId, action.event);
          expect(answer.status, JSON.stringify(answer)).toBe(status);

          const after = await getActor(t, fx.actorId);
          if (status === 200) {
            expect(answer.actor).toMatchObject({ id: fx.actorId, version: after.version, status: after.status });
            expect(after.version).toBeGreaterThan(before.version);
            await action.effect(after, fx);
            // P3: recorded with who did it, from and to.
            const entry = (await historyOf(fx.actorId)).find((h) => h.event.type === action.event.type);
            expect(entry, 'the change is in the audit history').toBeDefined();
            expect(entry.by).toMatchObject(byOf(who, fx));
            expect(entry).toMatchObject({ from: before.status, to: after.status });
          } else {
            expect(answer.code).toBe(status === 403 ? 'forbidden' : 'not_found');
            expect(answer.actor).toBeUndefined();
            // Nothing changed.
            expect(after.version).toBe(before.version);
            expect(after.status).toBe(before.status);
            expect(after.state).toEqual(before.state);
            expect(await historyOf(fx.actorId)).toHaveLength(historyBefore.length);
          }
        });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // POST /v1/links (R2): only the seeker for themselves, or the integrator for them.

  describe('POST /v1/links over REST', () => {
    const expected = {
      'the seeker': 201,
      'another seeker': 404,
      'the provider': 404,
      'another provider': 404,
      agent: 403,
      reviewer: 403,
      integrator: 201,
    } as const;
    const rows = Object.entries(expected).map(([who, status]) => ({
      who: who as Who,
      status,
      name: `${who} ${status === 201 ? 'may' : 'may not'} POST /v1/links for the seeker → ${status}`,
    }));
    it.each(rows)('$name', async ({ who, status }) => {
      const seekerId = await createSeeker(t, 'complete');
      const providerId = await createProvider(t);
      const fx: Fixture = { seekerId, providerId, actorId: seekerId };
      const linksOf = async () => (await t.api('GET', `/v1/actors?kind=link&member=${seekerId}`)).body;
      const seekerBefore = await getActor(t, seekerId);
      const res = await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: providerId }, { token: await tokenOf(who, fx) });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status === 201) {
        expect(res.body).toMatchObject({ kind: 'link', status: 'draft', data: { seeker_id: seekerId, provider_id: providerId, step: 'confirm_hire' } });
        const links = await linksOf();
        expect(links.data.map((l: any) => l.id)).toEqual([res.body.id]);
        const [created] = await historyOf(res.body.id);
        expect(created.by).toMatchObject(who === 'integrator' ? { role: 'integrator', on_behalf_of: seekerId } : { role: 'seeker', subject: seekerId });
      } else {
        expect(res.body.code).toBe(status === 403 ? 'forbidden' : 'not_found');
        expect(await linksOf()).toMatchObject({ data: [], count: 0 });
        expect((await getActor(t, seekerId)).version).toBe(seekerBefore.version);
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Reads and case work over REST

  interface RestAction {
    action: string;
    setup: () => Promise<Fixture>;
    expected: Partial<Record<Who, number>>;
    call: (fx: Fixture, token: string | undefined, who: Who) => Promise<{ status: number; body: any }>;
    /** After a 2xx: the answer is what it should be, or the change happened. */
    allowed: (res: { status: number; body: any }, fx: Fixture, who: Who) => void | Promise<void>;
    /** After a refusal: nothing changed (reads change nothing, but must leak nothing). */
    refused?: (fx: Fixture, who: Who) => void | Promise<void>;
  }

  /** Staff (agent, reviewer) and the integrator read; no member does. */
  const STAFF_READ = { 'the seeker': 403, 'another seeker': 403, 'a provider': 403, agent: 200, reviewer: 200, integrator: 200 } as const;
  /**
   * Reads about one seeker, staff and integrator only: the seeker themselves is refused (403), and
   * a member who may not see that seeker gets 404 — API.md "Errors": "When several errors apply,
   * the first of this order wins: 401, 400, 413, 404, 403 …; an actor the caller may not see is
   * answered 404, as if it did not exist" (R1).
   */
  const SEEKER_READ = { 'the seeker': 403, 'another seeker': 404, 'a provider': 404, agent: 200, reviewer: 200, integrator: 200 } as const;
  /** Case work that is staff's own (API.md: comments "(staff)"; the brief: assign/resolve by agent, reviewer). */
  const CASE_WORK = { 'the seeker': 403, 'another seeker': 403, 'a provider': 403, agent: 201, reviewer: 201, integrator: 403 } as const;
  const caseOf = async (id: string) => (await t.api('GET', `/v1/cases/${id}`)).body;
  const staffSubject = (who: Who) => (who === 'agent' || who === 'reviewer' ? STAFF_IDS[who] : undefined);

  const REST: RestAction[] = [
    {
      action: 'GET /v1/members?q= (member search)',
      setup: requiredSeeker,
      expected: STAFF_READ,
      call: async (fx, token) => {
        const email = (await getActor(t, fx.seekerId)).data.email as string;
        return t.api('GET', `/v1/members?q=${encodeURIComponent(email)}`, undefined, { token });
      },
      allowed: (res, fx) => {
        expect(res.body.object).toBe('list');
        expect(res.body.data.map((m: any) => m.id)).toEqual([fx.seekerId]);
      },
    },
    {
      action: 'GET /v1/seekers/{id}/screening_history (I11)',
      setup: () => throughVeriff('Review', 'manual_review'),
      expected: SEEKER_READ,
      call: (fx, token) => t.api('GET', `/v1/seekers/${fx.seekerId}/screening_history`, undefined, { token }),
      allowed: (res) => {
        expect(res.body.object).toBe('list');
        expect(res.body.data.map((a: any) => a.vendor)).toEqual(['prove', 'veriff']);
        expect(res.body.data[1]).toMatchObject({ outcome: 'review', reference: expect.any(String), at: expect.any(String) });
      },
    },
    {
      action: 'GET /v1/seekers/{id}/inbox (I14)',
      setup: () => throughVeriff('Review', 'manual_review'),
      expected: SEEKER_READ,
      call: (fx, token) => t.api('GET', `/v1/seekers/${fx.seekerId}/inbox`, undefined, { token }),
      allowed: (res) => {
        expect(res.body.object).toBe('list');
        expect(res.body.mask).toEqual({ reason: 'manual_review' });
        // I8: the seeker was notified of the review.
        expect(res.body.data.length).toBeGreaterThan(0);
      },
    },
    {
      action: 'POST /v1/seekers/{id}/inbox/dismiss_mask (I14)',
      setup: requiredSeeker,
      // I14: the agent (and the reviewer, who may everything an agent may) dismisses it for their
      // own view. The integrator has no view of its own: the server refuses it (SPEC/API are silent).
      expected: { 'the seeker': 403, 'another seeker': 404, 'a provider': 404, agent: 200, reviewer: 200, integrator: 403 },
      call: (fx, token) => t.api('POST', `/v1/seekers/${fx.seekerId}/inbox/dismiss_mask`, {}, { token }),
      allowed: async (res, fx, who) => {
        expect(res.body).toEqual({ dismissed: true });
        const own = await t.api('GET', `/v1/seekers/${fx.seekerId}/inbox`, undefined, { token: await tokenOf(who, fx) });
        expect(own.body.mask, 'gone from their own view').toBeNull();
        const other = await t.api('GET', `/v1/seekers/${fx.seekerId}/inbox`, undefined, { token: tokens.otherAgent });
        expect(other.body.mask, 'still shown to another agent').toEqual({ reason: 'required' });
      },
      refused: async (fx) => {
        for (const [token, label] of [
          [tokens.agent, 'agent'],
          [tokens.otherAgent, 'another agent'],
          [undefined, 'integrator'],
        ] as const) {
          const inbox = await t.api('GET', `/v1/seekers/${fx.seekerId}/inbox`, undefined, { token });
          expect(inbox.body.mask, `still shown to the ${label}`).toEqual({ reason: 'required' });
        }
      },
    },
    {
      action: 'GET /v1/cases',
      setup: seekerWithCase,
      expected: STAFF_READ,
      call: (fx, token) => t.api('GET', `/v1/cases?subject=${fx.seekerId}`, undefined, { token }),
      allowed: (res, fx) => {
        expect(res.body).toMatchObject({ object: 'list', count: 1 });
        expect(res.body.data.map((c: any) => c.id)).toEqual([fx.caseId]);
      },
    },
    {
      action: 'GET /v1/cases/{id}',
      setup: seekerWithCase,
      expected: STAFF_READ,
      call: (fx, token) => t.api('GET', `/v1/cases/${fx.caseId}`, undefined, { token }),
      allowed: (res, fx) => expect(res.body).toMatchObject({ id: fx.caseId, subject: fx.seekerId, queue: 'manual', status: 'open', comments: [] }),
    },
    {
      action: 'POST /v1/cases (I12: reviewers open cases by hand)',
      setup: requiredSeeker,
      // The subject is the fixture's seeker: the seeker's own actor for "the seeker", a foreign one
      // for the other members.
      expected: { 'the seeker': 403, 'another seeker': 404, 'a provider': 404, agent: 403, reviewer: 201, integrator: 201 },
      call: (fx, token) => t.api('POST', '/v1/cases', { subject: fx.seekerId, queue: 'manual', summary: 'Opened by hand from the console.' }, { token }),
      allowed: async (res, fx) => {
        expect(res.body).toMatchObject({ subject: fx.seekerId, queue: 'manual', status: 'open', summary: 'Opened by hand from the console.' });
        expect((await casesOf(fx.seekerId, 'manual')).map((c) => c.id)).toEqual([res.body.id]);
      },
      refused: async (fx) => expect(await casesOf(fx.seekerId, 'manual')).toEqual([]),
    },
    {
      action: 'POST /v1/cases/{id}/comments',
      setup: seekerWithCase,
      expected: CASE_WORK,
      call: (fx, token) => t.api('POST', `/v1/cases/${fx.caseId}/comments`, { text: 'Called the member back. #followup' }, { token }),
      allowed: async (res, fx, who) => {
        const stored = await caseOf(fx.caseId!);
        expect(stored.comments).toHaveLength(1);
        expect(stored.comments[0]).toMatchObject({ text: 'Called the member back. #followup', by: { role: who, subject: staffSubject(who) } });
        expect(stored.tags).toEqual(['followup']);
        expect(res.body.comments).toHaveLength(1);
      },
      refused: async (fx) => expect(await caseOf(fx.caseId!)).toMatchObject({ comments: [], tags: [] }),
    },
    {
      action: 'POST /v1/cases/{id} (assign)',
      setup: seekerWithCase,
      expected: { ...CASE_WORK, agent: 200, reviewer: 200 },
      call: (fx, token) => t.api('POST', `/v1/cases/${fx.caseId}`, { assignee: OTHER_AGENT }, { token }),
      allowed: async (res, fx) => {
        expect(res.body.assignee).toBe(OTHER_AGENT);
        expect(await caseOf(fx.caseId!)).toMatchObject({ assignee: OTHER_AGENT, status: 'open' });
      },
      refused: async (fx) => expect(await caseOf(fx.caseId!)).toMatchObject({ assignee: null, status: 'open' }),
    },
    {
      action: 'POST /v1/cases/{id} (resolve)',
      setup: seekerWithCase,
      expected: { ...CASE_WORK, agent: 200, reviewer: 200 },
      call: (fx, token) => t.api('POST', `/v1/cases/${fx.caseId}`, { status: 'resolved' }, { token }),
      allowed: async (res, fx) => {
        expect(res.body.status).toBe('resolved');
        expect(await caseOf(fx.caseId!)).toMatchObject({ status: 'resolved', resolved_at: expect.any(String) });
      },
      refused: async (fx) => expect(await caseOf(fx.caseId!)).toMatchObject({ status: 'open', resolved_at: null }),
    },
    {
      action: 'GET /v1/actors/{id}/history of a seeker',
      setup: requiredSeeker,
      expected: { 'the seeker': 200, 'another seeker': 404, 'a provider': 404, agent: 200, reviewer: 200, integrator: 200 },
      call: (fx, token) => t.api('GET', `/v1/actors/${fx.seekerId}/history`, undefined, { token }),
      allowed: (res) => {
        expect(res.body.object).toBe('list');
        expect(res.body.data[0]).toMatchObject({ event: { type: 'CREATED' }, by: { role: 'integrator' }, version: 1 });
      },
    },
    {
      action: 'GET /v1/actors/{id}/history of a pending link',
      setup: () => linkIn('request_pending'),
      expected: { 'the seeker': 200, 'the provider': 200, 'another seeker': 404, 'another provider': 404, agent: 200, reviewer: 200, integrator: 200 },
      call: (fx, token) => t.api('GET', `/v1/actors/${fx.actorId}/history`, undefined, { token }),
      allowed: (res) => expect(res.body.data.map((h: any) => h.event.type)).toEqual(['CREATED', 'IDME_VERIFIED', 'CONFIRM_HIRE', 'ACCEPT_DISCLOSURES']),
    },
  ];

  describe('reads and case work over REST', () => {
    for (const action of REST) {
      for (const [whoKey, status] of Object.entries(action.expected)) {
        const who = whoKey as Who;
        const authorized = status >= 200 && status < 300;
        it(`${who} ${authorized ? 'may' : 'may not'} ${action.action} → ${status}`, async () => {
          const fx = await action.setup();
          const res = await action.call(fx, await tokenOf(who, fx), who);
          expect(res.status, JSON.stringify(res.body)).toBe(status);
          if (authorized) {
            await action.allowed(res, fx, who);
          } else {
            expect(res.body).toMatchObject({ code: status === 403 ? 'forbidden' : 'not_found', error: expect.any(String) });
            expect(res.body.data, 'nothing leaked').toBeUndefined();
            await action.refused?.(fx, who);
          }
        });
      }
    }
  });
});
