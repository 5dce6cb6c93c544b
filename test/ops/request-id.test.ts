import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate } from '../helpers/checks.ts';
import { eventually, freePort, killAllChildren, startChild } from '../helpers/process.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';
import { WebhookReceiver } from '../helpers/webhook-receiver.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  let t: TestServer;
  const receiver = new WebhookReceiver(API_KEY);
  beforeAll(async () => {
    t = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1' });
  });
  afterAll(async () => {
    await killAllChildren();
    await t.close();
    await receiver.close();
  });

  it('is on every response: a new id, or the one the client gave', async () => {
    for (const path of ['/healthz', '/v1/actors', '/v1/nothing-here', '/metrics', '/seeker']) {
      const fresh = await fetch(t.url + path);
      expect(fresh.headers.get('x-request-id'), path).toMatch(UUID);
    }
    const unauthorized = await fetch(`${t.url}/v1/actors`, { headers: { 'x-request-id': 'client-7f3a' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('client-7f3a');
    // An id that is not a plain token (spaces, a header-sized blob) is replaced, not echoed.
    for (const bad of ['two words', 'x'.repeat(200)]) {
      const res = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
    const ids = await Promise.all([1, 2, 3].map(async () => (await fetch(`${t.url}/healthz`)).headers.get('x-request-id')));
    expect(new Set(ids).size).toBe(3);
  });

  it('travels with the webhooks the request causes', async () => {
    const url = await receiver.start();
    const subscribed = await t.api('POST', '/v1/webhooks', { webhook_url: url, include_object: false });
    expect(subscribed.status).toBe(201);
    const res = await fetch(`${t.url}/v1/candidates`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
        'x-request-id': 'req-candidate-1',
      },
      body: JSON.stringify({ email: 'request.id@example.com' }),
    });
    expect(res.status).toBe(201);
    const candidate = (await res.json()) as { id: string };
    await receiver.until(
      (received) => received.some((r) => r.body.type === 'candidate.created' && r.body.data.object.id === candidate.id),
      'candidate.created',
    );
    expect(receiver.of('candidate.created', candidate.id)[0].headers['x-request-id']).toBe('req-candidate-1');
    // Another request's webhook carries its own id.
    const other = await createCandidate(t);
    await receiver.until((received) => received.some((r) => r.body.data.object.id === other.id), 'the second candidate.created');
    expect(receiver.of('candidate.created', other.id)[0].headers['x-request-id']).toMatch(UUID);
  });

  it('is on every log line of the request and of the deliveries it causes', async () => {
    // The CRM forwarder points at a closed port: its delivery fails and logs a warning.
    const child = await startChild({ env: { LOG_LEVEL: 'debug', CRM_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/cases` } });
    const { status, body } = await child.api(
      'POST',
      '/v1/seekers',
      { email: 'logged@example.com', plan: 'starter' },
      { headers: { 'x-request-id': 'req-seeker-1' } },
    );
    expect(status).toBe(201);
    const opened = await child.api(
      'POST',
      '/v1/cases',
      { subject: body.id, queue: 'manual', summary: 'logged' },
      { headers: { 'x-request-id': 'req-case-1' } },
    );
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-request-id')).toBe('req-case-1');
    const lines = await eventually(
      async () => {
        const logged = child
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        return logged.some((l) => l.msg === 'effect delivery failed; will retry' && l.request_id === 'req-case-1') ? logged : undefined;
      },
      15_000,
      'the failed CRM delivery logged with the request id',
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'answered', method: 'POST', path: '/v1/seekers', status: 201, request_id: 'req-seeker-1' }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'answered', path: '/v1/cases', request_id: 'req-case-1' }));
    expect(JSON.stringify(lines)).not.toContain('logged@example.com');
  });
});
