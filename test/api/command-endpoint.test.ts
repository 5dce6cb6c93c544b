import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeeker } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';

const INTEGRATOR = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
/** Headers that differ between any two answers, or between the two paths by design (README "API"). */
const VARYING = new Set(['date', 'x-request-id', 'etag', 'keep-alive', 'connection']);

/**
 * `POST /v1/commands` has a path of its own past Express (api/command-endpoint.ts) for plain JSON
 * to exactly that path; everything else goes through Express's commands router. A client must not
 * tell them apart: each request here is sent both ways (a query string, which the router ignores,
 * sends it through Express).
 */
describe('the command endpoint answers as the commands router does', () => {
  let t: TestServer;
  let seekerId: string;

  beforeAll(async () => {
    t = await startTestServer();
    seekerId = await createSeeker(t);
  });
  afterAll(() => t.close());

  async function send(body: string, headers: Record<string, string>, viaExpress: boolean) {
    const res = await fetch(`${t.url}/v1/commands${viaExpress ? '?via=express' : ''}`, {
      method: 'POST',
      headers: { authorization: INTEGRATOR, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    const kept: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!VARYING.has(name)) kept[name] = value;
    });
    return { status: res.status, headers: kept, text, etag: res.headers.get('etag') };
  }

  /** Sends a request both ways and expects the same answer; returns it. */
  async function bothWays(body: () => string, headers: Record<string, string> = {}) {
    const direct = await send(body(), headers, false);
    const routed = await send(body(), headers, true);
    expect(direct.etag, 'the direct path sends no ETag').toBeNull();
    expect(routed.etag, 'the Express path does: this request went through it').not.toBeNull();
    expect({ ...direct, etag: null }).toEqual({ ...routed, etag: null });
    return direct;
  }

  it('answers a command with the actor, with the same headers (security headers included)', async () => {
    let plan = 'starter';
    const change = () => {
      plan = plan === 'starter' ? 'legacy' : 'starter';
      return JSON.stringify({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan } });
    };
    // Each way changes the plan: the two answers differ in version and plan, so compare their shapes.
    const direct = await send(change(), {}, false);
    const routed = await send(change(), {}, true);
    expect(direct.status).toBe(200);
    const { 'content-length': _a, ...directHeaders } = direct.headers;
    const { 'content-length': _b, ...routedHeaders } = routed.headers;
    expect(directHeaders).toEqual(routedHeaders);
    expect(direct.headers['content-security-policy']).toContain("default-src 'self'");
    const [a, b] = [JSON.parse(direct.text).actor, JSON.parse(routed.text).actor];
    expect(b.version).toBe(a.version + 1);
    expect(a.data.plan).toBe('legacy');
    expect(b.data.plan).toBe('starter');
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });

  it('refuses bad input the same way: JSON, size, charset, nesting, fields, actors, events', async () => {
    const cases: [string, () => string, Record<string, string>?][] = [
      ['not JSON', () => '{"actor":'],
      ['too large', () => JSON.stringify({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'x'.repeat(200_000) } })],
      ['a byte order mark', () => `\uFEFF${JSON.stringify({ actor: seekerId, event: { type: 'FLY' } })}`],
      ['whitespace only', () => ' \n '],
      ['a string, not an object', () => '"actor"'],
      ['too deep', () => `${'['.repeat(40)}${']'.repeat(40)}`],
      ['no body', () => ''],
      ['unknown field', () => JSON.stringify({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'legacy' }, extra: 1 })],
      ['unknown actor', () => JSON.stringify({ actor: 'skr_000000000000000000000000', event: { type: 'CHANGE_PLAN', plan: 'legacy' } })],
      ['unknown event', () => JSON.stringify({ actor: seekerId, event: { type: 'FLY' } })],
      ['bad plan', () => JSON.stringify({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'gold' } })],
      ['stale version', () => JSON.stringify({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'legacy' }, expected_version: 99 })],
    ];
    for (const [label, body, headers] of cases) {
      const answer = await bothWays(body, headers);
      expect(answer.status, label).toBeGreaterThanOrEqual(400);
      expect(answer.status, label).toBeLessThan(500);
      expect(JSON.parse(answer.text), label).toMatchObject({ code: expect.any(String), docs: expect.stringContaining('/docs/errors') });
    }
  });

  it('replays a command sent with an Idempotency-Key, and refuses the key with another body', async () => {
    const keyed = (body: unknown) =>
      fetch(`${t.url}/v1/commands`, {
        method: 'POST',
        headers: { authorization: INTEGRATOR, 'content-type': 'application/json', 'idempotency-key': 'plan-once' },
        body: JSON.stringify(body),
      });
    const body = { actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'complete' } };
    const first = await keyed(body);
    const retry = await keyed(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag'), 'the direct path answered').toBeNull();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const [once, again] = [await first.json(), await retry.json()];
    expect(again).toEqual(once);
    const history = (await t.api('GET', `/v1/actors/${seekerId}/history`)).body.data;
    expect(history.filter((h: { event: { type: string } }) => h.event.type === 'CHANGE_PLAN').length).toBe(once.actor.version - 1);
    const reused = await keyed({ ...body, event: { type: 'CHANGE_PLAN', plan: 'legacy' } });
    expect(reused.status).toBe(422);
    expect((await reused.json()).code).toBe('idempotency_key_reused');
  });

  it('keeps the client’s X-Request-Id, or gives one', async () => {
    const body = JSON.stringify({ actor: seekerId, event: { type: 'FLY' } });
    const given = await fetch(`${t.url}/v1/commands`, {
      method: 'POST',
      headers: { authorization: INTEGRATOR, 'content-type': 'application/json', 'x-request-id': 'client-id-7' },
      body,
    });
    expect(given.headers.get('x-request-id')).toBe('client-id-7');
    const made = await fetch(`${t.url}/v1/commands`, { method: 'POST', headers: { authorization: INTEGRATOR, 'content-type': 'application/json' }, body });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves to Express what it does not take (no credentials, forms, compressed bodies) and reads other charsets as body-parser does', async () => {
    const res = (headers: Record<string, string>, body = '{}') => fetch(`${t.url}/v1/commands`, { method: 'POST', headers, body });
    const unauthorized = await res({ 'content-type': 'application/json' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ code: 'unauthorized', error: 'Bad authentication error' });
    const form = await res({ authorization: INTEGRATOR, 'content-type': 'application/x-www-form-urlencoded' }, `actor=${seekerId}&event[type]=FLY`);
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ code: 'invalid_request', error: expect.stringContaining('FLY') });
    const gzip = await res({ authorization: INTEGRATOR, 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    const latin1 = await res({ authorization: INTEGRATOR, 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    const command = JSON.stringify({ actor: 'skr_000000000000000000000000', event: { type: 'CHANGE_PLAN', plan: 'legacy' } });
    const utf16 = await fetch(`${t.url}/v1/commands`, {
      method: 'POST',
      headers: { authorization: INTEGRATOR, 'content-type': 'application/json; charset=utf-16le' },
      body: new Uint8Array(Buffer.from(command, 'utf16le')),
    });
    expect(utf16.status, 'body-parser decodes UTF-16: the actor is looked up').toBe(404);
  });
});

describe('the command endpoint counts the same budget as Express', () => {
  let t: TestServer;
  let seekerId: string;

  beforeAll(async () => {
    t = await startTestServer({ INTEGRATOR_RATE_LIMIT_PER_MINUTE: '4' });
    seekerId = await createSeeker(t);
  });
  afterAll(() => t.close());

  it('announces what is left either way, then refuses both ways with 429', async () => {
    const body = JSON.stringify({ actor: seekerId, event: { type: 'FLY' } });
    const send = (query = '') =>
      fetch(`${t.url}/v1/commands${query}`, { method: 'POST', headers: { authorization: INTEGRATOR, 'content-type': 'application/json' }, body });
    // createSeeker spent one request of the four.
    const answers = [await send(), await send('?via=express'), await send(), await send('?via=express'), await send()];
    const left = answers.map((res) => res.headers.get('x-ratelimit-remaining'));
    expect(left).toEqual(['2', '1', '0', '0', '0']);
    expect(answers.map((res) => res.status)).toEqual([400, 400, 400, 429, 429]);
    for (const res of answers) expect(res.headers.get('ratelimit')).toMatch(/^"4-in-1min"; r=\d; t=\d+$/);
    expect(answers[0].headers.get('etag'), 'a caller with a budget takes the direct path too').toBeNull();
    expect(answers[1].headers.get('etag')).not.toBeNull();
    const [viaExpress, direct] = [await answers[3].json(), await answers[4].json()];
    expect(direct).toEqual(viaExpress);
    expect(direct.code).toBe('rate_limited');
  });
});
