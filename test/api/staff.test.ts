import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createProvider, createSeeker, eventually, ok } from '../helpers/link-flow.ts';
import { command, nextEvent, startTestServer, type TestServer } from '../helpers/server.ts';

/** A CRM or billing endpoint: records what trustwire forwards, with its signature checked. */
async function endpoint(secret: string) {
  const received: { body: any; signed: boolean }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ body: JSON.parse(raw), signed: req.headers['x-trustwire-signature'] === createHmac('sha256', secret).update(raw).digest('hex') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((r) => server.close(r)) };
}

/** What support staff do in the console, over REST (SPEC.md I8, I11–I14, C14, R2). */
describe('staff console API', () => {
  let t: TestServer;
  let crm: Awaited<ReturnType<typeof endpoint>>;
  let billing: Awaited<ReturnType<typeof endpoint>>;
  let agent: string;
  let otherAgent: string;
  let reviewer: string;
  beforeAll(async () => {
    crm = await endpoint('crm-secret');
    billing = await endpoint('billing-secret');
    t = await startTestServer({
      CRM_WEBHOOK_URL: crm.url,
      CRM_WEBHOOK_SECRET: 'crm-secret',
      BILLING_WEBHOOK_URL: billing.url,
      BILLING_WEBHOOK_SECRET: 'billing-secret',
    });
    [agent, otherAgent, reviewer] = await Promise.all([t.session('agent_ann', 'agent'), t.session('agent_bo', 'agent'), t.session('reviewer_rae', 'reviewer')]);
  });
  afterAll(async () => {
    await t.close();
    await crm.close();
    await billing.close();
  });

  it('finds members by name, email, phone or id', async () => {
    const n = crypto.randomUUID().slice(0, 6);
    const seeker = await t.api('POST', '/v1/seekers', {
      email: `findme-${n}@example.com`,
      plan: 'starter',
      first_name: 'Marisol',
      last_name: `Quade${n}`,
      phone: '+1 503 555 0188',
    });
    const search = async (q: string, token = agent) =>
      (await t.api('GET', `/v1/members?q=${encodeURIComponent(q)}`, undefined, { token })).body.data.map((m: any) => m.id);
    expect(await search(`Quade${n}`)).toEqual([seeker.body.id]);
    expect(await search(`marisol quade${n}`)).toEqual([seeker.body.id]);
    expect(await search(`findme-${n}`)).toEqual([seeker.body.id]);
    expect(await search(seeker.body.id)).toEqual([seeker.body.id]);
    // By phone only for staff who see phones in clear: agents see them masked (issue 17).
    expect(await search('(503) 555-0188', reviewer)).toContain(seeker.body.id);
    const member = await t.session(seeker.body.id, 'seeker');
    expect((await t.api('GET', '/v1/members?q=Quade', undefined, { token: member })).status).toBe(403);
    expect((await t.api('GET', '/v1/members?q=a', undefined, { token: agent })).status).toBe(400);
  });

  it('works cases: a reviewer opens one, staff comment with hashtags, assign and resolve, live and forwarded to the CRM', async () => {
    const seeker = await createSeeker(t, 'starter');
    const socket = await t.socket(agent);
    const opened = await t.api(
      'POST',
      '/v1/cases',
      { subject: seeker, queue: 'manual', summary: 'Reported by a provider: rude messages.' },
      { token: reviewer },
    );
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ subject: seeker, queue: 'manual', status: 'open', tags: [], comments: [], assignee: null });
    expect((await t.api('POST', '/v1/cases', { subject: seeker, queue: 'manual', summary: 'x' }, { token: agent })).status, 'I12: reviewers open cases').toBe(
      403,
    );
    expect((await t.api('POST', '/v1/cases', { subject: 'skr_nobody', queue: 'manual', summary: 'x' }, { token: reviewer })).status).toBe(404);
    expect((await t.api('POST', '/v1/cases', { subject: seeker, queue: 'nowhere', summary: 'x' }, { token: reviewer })).status).toBe(400);

    const live = nextEvent(socket, 'case.changed', (m: any) => m.case.id === opened.body.id && m.case.comments.length === 1);
    const commented = await t.api('POST', `/v1/cases/${opened.body.id}/comments`, { text: 'Called the member. #followup #Messaging' }, { token: agent });
    expect(commented.status).toBe(201);
    expect(commented.body.tags).toEqual(['followup', 'Messaging']);
    expect(commented.body.comments[0]).toMatchObject({ text: 'Called the member. #followup #Messaging', by: { role: 'agent', subject: 'agent_ann' } });
    expect((await live).case.tags).toEqual(['followup', 'Messaging']);

    const assigned = (await t.api('POST', `/v1/cases/${opened.body.id}`, { assignee: 'agent_bo' }, { token: agent })).body;
    expect(assigned.assignee).toBe('agent_bo');
    const resolved = (await t.api('POST', `/v1/cases/${opened.body.id}`, { status: 'resolved' }, { token: otherAgent })).body;
    expect(resolved).toMatchObject({ status: 'resolved', assignee: 'agent_bo', resolved_at: expect.any(String) });
    expect((await t.api('GET', `/v1/cases?subject=${seeker}&status=resolved`, undefined, { token: reviewer })).body.count).toBe(1);
    expect((await t.api('POST', `/v1/cases/${opened.body.id}`, {}, { token: agent })).status).toBe(400);

    const forwarded = await eventually(
      async () => crm.received.filter((r) => r.body.case.id === opened.body.id),
      (r) => r.length === 4,
    );
    expect(forwarded.map((r) => [r.body.type, r.signed])).toEqual([
      ['case.created', true],
      ['case.updated', true],
      ['case.updated', true],
      ['case.updated', true],
    ]);
  });

  it('I13: a refund after a failed verification is escalated; declining verification is refunded, tagged #IDVrefusal', async () => {
    const declined = await createSeeker(t, 'starter');
    await ok(t, declined, { type: 'START_VERIFICATION' });
    await ok(t, declined, { type: 'CANCEL_VERIFICATION' });
    await ok(t, declined, { type: 'CONFIRM_CANCEL' });
    await ok(t, declined, { type: 'CLOSE_ACCOUNT' });
    const refunded = await command(t, declined, { type: 'REQUEST_REFUND', reason: 'idv_refusal' }, agent);
    expect(refunded.status, 'accepted on a closed account too').toBe(200);
    const [refundCase] = (await t.api('GET', `/v1/cases?subject=${declined}&queue=refunds`, undefined, { token: agent })).body.data;
    expect(refundCase.tags).toContain('IDVrefusal');
    expect(refundCase.comments[0].by).toEqual({ role: 'agent', subject: 'agent_ann' });
    const issued = await eventually(
      async () => billing.received.filter((r) => r.body.seeker === declined),
      (r) => r.length === 1,
    );
    expect(issued[0]).toMatchObject({ body: { reason: 'idv_refusal' }, signed: true });
    expect((await command(t, declined, { type: 'REQUEST_REFUND', reason: 'idv_refusal' }, agent)).body.code, 'refunded once').toBe('refund_not_applicable');
    expect((await command(t, declined, { type: 'REQUEST_REFUND', reason: 'failed_verification' }, agent)).body.code, 'it did not fail').toBe(
      'refund_not_applicable',
    );

    const member = await t.session(declined, 'seeker');
    expect((await command(t, declined, { type: 'REQUEST_REFUND', reason: 'idv_refusal' }, member)).status, 'agents record refunds').toBe(403);
  });

  it('I14: a blocked seeker’s inbox is masked; an agent dismisses the mask for their own view only', async () => {
    const seeker = await createSeeker(t, 'starter');
    const inbox = async (token: string) => (await t.api('GET', `/v1/seekers/${seeker}/inbox`, undefined, { token })).body;
    expect((await inbox(agent)).mask).toEqual({ reason: 'required' });
    expect((await t.api('POST', `/v1/seekers/${seeker}/inbox/dismiss_mask`, {}, { token: agent })).status).toBe(200);
    expect((await inbox(agent)).mask).toBeNull();
    expect((await inbox(otherAgent)).mask, 'another agent still sees it').toEqual({ reason: 'required' });
    const member = await t.session(seeker, 'seeker');
    expect((await t.api('GET', `/v1/seekers/${seeker}/inbox`, undefined, { token: member })).status).toBe(403);

    const legacy = await createSeeker(t, 'legacy');
    expect((await t.api('GET', `/v1/seekers/${legacy}/inbox`, undefined, { token: otherAgent })).body.mask, 'not blocked: no mask').toBeNull();
  });

  it('C14, R2: staff remove on a member’s behalf, named in the audit history, and may never request or accept', async () => {
    const seeker = await createSeeker(t, 'complete');
    await completeIdme(t, seeker);
    const provider = await createProvider(t);
    const link = await activeLink(t, seeker, provider);
    const seekerSocket = await t.socket(await t.session(seeker, 'seeker'));
    const providerSocket = await t.socket(await t.session(provider, 'provider'));
    const seen = [seekerSocket, providerSocket].map((s) =>
      nextEvent(s, 'actor.changed', (m: any) => m.actor.id === link && m.actor.status === 'access_denied'),
    );
    const removed = await command(t, link, { type: 'STAFF_REMOVE', side: 'provider', reason: 'The provider called customer care.' }, agent);
    expect(removed.body.actor.status).toBe('access_denied');
    await Promise.all(seen);
    const history = (await t.api('GET', `/v1/actors/${link}/history`, undefined, { token: reviewer })).body.data;
    expect(history.at(-1)).toMatchObject({ event: { type: 'STAFF_REMOVE' }, by: { role: 'agent', subject: 'agent_ann' }, from: 'active', to: 'access_denied' });

    const other = await createProvider(t);
    expect((await t.api('POST', '/v1/links', { seeker_id: seeker, provider_id: other }, { token: agent })).status).toBe(403);
    const draft = (await t.api('POST', '/v1/links', { seeker_id: seeker, provider_id: other })).body.id;
    for (const event of [{ type: 'CONFIRM_HIRE' }, { type: 'ACCEPT_DISCLOSURES', disclosure_version: 'v1' }, { type: 'ACCEPT', disclosure_version: 'v1' }]) {
      expect((await command(t, draft, event, reviewer)).status, `${event.type} by staff`).toBe(403);
    }
  });
});
