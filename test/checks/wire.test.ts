import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateSchema, eventSchema, listOf, reportSchema } from '../../server/checks/schemas.ts';
import { createCandidate, FULL_CANDIDATE, submitForm } from '../helpers/checks.ts';
import { close, urlOf } from '../helpers/http.ts';
import { eventually } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';
import { WebhookReceiver } from '../helpers/webhook-receiver.ts';

const integrator = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;

/** A reverse proxy publishing the server under `/checks` (as an integrator's gateway might): strips the prefix, passes the rest. */
function prefixProxy(prefix: string): { server: Server; target: { url: string } } {
  const target = { url: '' };
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(`${prefix}/`)) return void res.writeHead(404).end();
    const upstream = new URL(req.url.slice(prefix.length), target.url);
    const forwarded = request(upstream, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  return { server, target };
}

describe('behind a proxy path prefix: absolute hrefs and links from SELF_URL', () => {
  const proxy = prefixProxy('/checks');
  let t: TestServer;
  let publicUrl: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    publicUrl = `${urlOf(proxy.server)}/checks`;
    t = await startTestServer({ SELF_URL: publicUrl, SANDBOX_SCREENING_DELAY_MS: '20' });
    proxy.target.url = t.url;
  });
  afterAll(async () => {
    await t?.close();
    await close(proxy.server);
  });

  const viaProxy = async (href: string) => {
    const res = await fetch(href, { headers: { authorization: integrator } });
    return { status: res.status, body: await res.json() };
  };

  it('list hrefs name the public URL with its prefix, and following them through the proxy pages on', async () => {
    for (let i = 0; i < 3; i++) await createCandidate(t);
    const first = await viaProxy(`${publicUrl}/v1/candidates?per_page=2`);
    expect(first.status).toBe(200);
    listOf(candidateSchema).parse(first.body);
    expect(first.body.next_href).toBe(`${publicUrl}/v1/candidates?per_page=2&page=2`);
    const second = await viaProxy(first.body.next_href);
    expect(second.body.data.length).toBeGreaterThan(0);
    expect(second.body.previous_href).toBe(`${publicUrl}/v1/candidates?per_page=2&page=1`);
    const back = await viaProxy(second.body.previous_href);
    expect(back.body.data.map((c: any) => c.id)).toEqual(first.body.data.map((c: any) => c.id));
  });

  it('a check runs end to end through the prefix: the invitation link, the vendor sandbox and its callbacks', async () => {
    const candidate = await createCandidate(t);
    const invitation = (await t.api('POST', '/v1/invitations', { package: 'basic_criminal', candidate_id: candidate.id })).body;
    expect(invitation.invitation_url.startsWith(`${publicUrl}/apply/`)).toBe(true);
    const posted = await submitForm(invitation.invitation_url, { ...FULL_CANDIDATE, no_middle_name: 'true', signature: 'Jamie Clear' });
    expect(posted.status).toBe(303);
    const completed = await eventually(
      () => t.api('GET', `/v1/invitations/${invitation.id}`),
      (r) => r.body.report_id !== null,
    );
    const report = await eventually(
      () => t.api('GET', `/v1/reports/${completed.body.report_id}`),
      (r) => r.body.status === 'complete',
      15_000,
    );
    reportSchema.parse(report.body);
  });
});

describe('rate-limit headers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ INTEGRATOR_RATE_LIMIT_PER_MINUTE: '4', RATE_LIMIT_WINDOW_MS: '3000' });
  });
  afterAll(() => t?.close());

  const get = async () => {
    const res = await fetch(`${t.url}/v1/packages`, { headers: { authorization: integrator } });
    await res.body?.cancel();
    return {
      status: res.status,
      limit: res.headers.get('x-ratelimit-limit'),
      remaining: Number(res.headers.get('x-ratelimit-remaining')),
      reset: res.headers.get('x-ratelimit-reset'),
    };
  };

  it('count down on every answer, 429 included, and start again once the window resets', async () => {
    // Start at the beginning of a window, so that the four requests below share it.
    const opening = await get();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(opening.reset!) - Date.now()) + 50));
    const answers: Awaited<ReturnType<typeof get>>[] = [];
    for (let i = 0; i < 5; i++) answers.push(await get());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429]);
    expect(answers.map((a) => a.remaining)).toEqual([3, 2, 1, 0, 0]);
    for (const a of answers) {
      expect(a.limit).toBe('4');
      expect(a.reset).toBe(answers[0].reset);
      expect(Date.parse(a.reset!)).toBeGreaterThan(Date.now() - 3000);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(answers[0].reset!) - Date.now()) + 50));
    const fresh = await get();
    expect(fresh).toMatchObject({ status: 200, limit: '4', remaining: 3 });
    expect(Date.parse(fresh.reset!)).toBeGreaterThan(Date.parse(answers[0].reset!));
  });
});

describe('report.updated as screenings complete', () => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    // Screenings finish a second apart (SSN trace, then national and sex offender, then county).
    t = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '1000' });
    receiver = new WebhookReceiver(API_KEY);
    const subscribed = await t.api('POST', '/v1/webhooks', { webhook_url: await receiver.start(), include_object: true });
    receiver.secret = subscribed.body.secret;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('come between report.created and report.completed, in the order of their ids, each signed both ways, the first while the report still ran', async () => {
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    const report = (await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id })).body;
    await receiver.until(() => receiver.of('report.completed', report.id).length === 1, 'report.completed', 20_000);

    // Deliveries may arrive in any order (CHECKR.md); event ids sort as the events happened.
    const events = receiver.received.filter((r) => r.body.data.object.id === report.id).sort((a, b) => (a.body.id < b.body.id ? -1 : 1));
    const types = events.map((e) => e.body.type);
    expect(types[0]).toBe('report.created');
    expect(types.at(-1)).toBe('report.completed');
    const updates = events.filter((e) => e.body.type === 'report.updated');
    expect(updates.length, 'one per batch of screenings that completed').toBeGreaterThanOrEqual(2);
    expect(types.slice(1, -1).every((type) => type === 'report.updated')).toBe(true);

    const stamps = events.map((e) => Date.parse(e.body.created_at));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    // Each carries the report as it was: the first while it still ran, before the county search was done.
    expect(updates[0].body.data.object.status).toBe('pending');
    const county = (await t.api('GET', `/v1/county_criminal_searches/${report.county_criminal_search_ids[0]}`)).body;
    expect(Date.parse(updates[0].body.created_at)).toBeLessThan(Date.parse(county.completed_at));
    for (const event of events) {
      eventSchema.parse(event.body);
      expect(event.standardSignatureValid, event.body.type).toBe(true);
      expect(event.checkrSignatureValid, event.body.type).toBe(true);
      expect(event.headers['user-agent']).toMatch(/^trustwire\/\d+\.\d+\.\d+$/);
    }
  });
});
