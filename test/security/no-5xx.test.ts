import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { log } from '../../server/log.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Finding 4 of issue 17: 500 `internal_error`, with a stack trace at error level, for compressed
 * bodies, form bodies past the parser's limits, a bad percent-escape and 5,000-deep JSON with an
 * `Idempotency-Key`. Each is the client's mistake: a 4xx naming it, and nothing logged as a bug.
 */
describe('no 5xx from malformed requests', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const auth = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
  const send = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    fetch(t.url + path, { method: init.method ?? 'POST', headers: { authorization: auth, ...init.headers }, body: init.body });
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const seeker = JSON.stringify({ email: 'enc@example.com', plan: 'starter' });

  const cases: [string, () => Promise<Response>, number][] = [
    ['gzip on a plain body', () => send('/v1/seekers', { headers: { ...json, 'content-encoding': 'gzip' }, body: seeker }), 415],
    ['deflate on a plain body', () => send('/v1/seekers', { headers: { ...json, 'content-encoding': 'deflate' }, body: seeker }), 415],
    ['br on a plain body', () => send('/v1/seekers', { headers: { ...json, 'content-encoding': 'br' }, body: seeker }), 415],
    ['gzip to a vendor callback', () => send('/v1/vendors/veriff/decisions', { headers: { ...json, 'content-encoding': 'gzip' }, body: '{}' }), 415],
    ['gzip to the hosted form', () => send('/apply/inv_x', { headers: { ...form, 'content-encoding': 'gzip' }, body: 'a=1' }), 415],
    ['a form nested past the depth', () => send('/v1/candidates', { headers: form, body: `email=a%40b.co&metadata${'[a]'.repeat(40)}=1` }), 400],
    ['a form of 1,500 parameters', () => send('/v1/candidates', { headers: form, body: Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&') }), 413],
    ['a bad percent-escape in the path', () => send('/v1/actors/%E0%A4%A', { method: 'GET' }), 400],
    ['a bad percent-escape on the hosted form', () => send('/apply/%E0%A4%A', { method: 'GET' }), 400],
    [
      '5,000-deep JSON with an Idempotency-Key',
      () => send('/v1/commands', { headers: { ...json, 'idempotency-key': 'deep' }, body: '['.repeat(5000) + ']'.repeat(5000) }),
      400,
    ],
    [
      '5,000-deep JSON inside a command',
      () => send('/v1/commands', { headers: json, body: `{"actor":"x","event":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}` }),
      400,
    ],
  ];

  it.each(cases)('%s is a 4xx in the API error shape, not a bug', async (_name, request, status) => {
    const errors = vi.spyOn(log, 'error');
    const res = await request();
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      error: expect.any(String),
      code: expect.any(String),
      details: expect.any(Object),
      docs: expect.stringMatching(/\/docs\/errors(#\w+)?$/),
    });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
