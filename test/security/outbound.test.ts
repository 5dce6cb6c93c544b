import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwarding } from '../../server/effects/forward.ts';
import { outboundFetch, refusal } from '../../server/outbound.ts';
import { commitOf } from '../../server/store/store.ts';
import { subscriptionRecord } from '../../server/webhooks/subscriptions.ts';
import { close, listen, urlOf } from '../helpers/http.ts';
import { eventually } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Finding 3 of issue 17: `POST /v1/webhooks` accepted cloud metadata, loopback in any notation
 * and `[::1]`, and the event log then showed the far end's status codes and timings.
 */
const REFUSED = [
  'http://169.254.169.254/latest/meta-data/iam',
  'http://127.0.0.1:9/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://017700000001/',
  'http://127.1/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://localhost/',
  'http://10.1.2.3/',
  'http://192.168.0.1/',
  'http://100.64.0.1/',
  'http://0.0.0.0/',
  'http://224.0.0.1/',
  'http://[fe80::1]/',
];

describe('outbound URL guard', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and unspecified hosts in any notation', async () => {
    for (const url of REFUSED) expect(await refusal(url, { allowPrivate: false }), url).toBeDefined();
    expect(await refusal('http://93.184.215.14/hook', { allowPrivate: false })).toBeUndefined();
  });

  it('allows loopback and private ranges with WEBHOOK_ALLOW_PRIVATE_NETWORKS, link-local and CGNAT never', async () => {
    for (const url of ['http://127.0.0.1:9/', 'http://[::1]/', 'http://10.1.2.3/', 'http://localhost/'])
      expect(await refusal(url, { allowPrivate: true }), url).toBeUndefined();
    for (const url of ['http://169.254.169.254/', 'http://[fe80::1]/', 'http://100.64.0.1/', 'http://0.0.0.0/'])
      expect(await refusal(url, { allowPrivate: true }), url).toBeDefined();
  });
});

describe('webhook subscriptions and deliveries', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof listen>>;
  const hits: string[] = [];

  beforeAll(async () => {
    t = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '0' });
    const app = express();
    app.post('/moved', (req, res) => {
      hits.push(req.path);
      res.redirect(307, '/landing');
    });
    app.use((req, res) => {
      hits.push(req.path);
      res.sendStatus(200);
    });
    receiver = await listen(app);
  });
  afterAll(async () => {
    await t.close();
    await close(receiver);
  });

  it('refuses to subscribe a refused address, and subscribes nothing', async () => {
    for (const webhook_url of REFUSED) {
      const res = await t.api('POST', '/v1/webhooks', { webhook_url });
      expect(res.status, webhook_url).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    expect((await t.api('GET', '/v1/webhooks')).body.data).toEqual([]);
  });

  it('checks again at delivery against the address connected to, and logs no timings', async () => {
    // A name that resolved to a public address when subscribed and resolves to loopback now (DNS rebinding).
    const port = new URL(urlOf(receiver)).port;
    const subscription = {
      id: 'whk_rebound',
      object: 'webhook' as const,
      uri: '/v1/webhooks/whk_rebound',
      webhook_url: `http://localhost:${port}/rebound`,
      include_object: false,
      created_at: new Date().toISOString(),
      deleted_at: null,
      disabled_at: null,
    };
    await t.server.store.commit(commitOf({ records: [subscriptionRecord(subscription, { secret: 'whsec_test', api_key: 'test-api-key' }, t.sealer)] }));
    const candidate = await t.api('POST', '/v1/candidates', { email: `rebound-${crypto.randomUUID().slice(0, 8)}@example.com` });
    expect(candidate.status).toBe(201);
    const event = await eventually(
      async () => (await t.api('GET', '/v1/events?type=candidate.created')).body.data[0],
      (e) => Boolean(e),
    );
    const logged = await eventually(
      () => t.api('GET', `/v1/events/${event.id}`),
      (r) => r.body.deliveries?.[0]?.attempts?.length > 0,
    );
    expect(logged.body.deliveries[0].attempts[0]).toEqual({ at: expect.any(String), status_code: null, error: 'refused_address' });
    expect(hits).toEqual([]);
  });

  it('does not follow a redirect, even to an allowed place', async () => {
    const post = outboundFetch({ allowPrivate: true });
    const res = await post(`${urlOf(receiver)}/moved`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(307);
    expect(hits).toEqual(['/moved']);
  });

  it('guards the CRM and billing forwarders the same way', async () => {
    const forward = forwarding<unknown>('crm_case', { url: `${urlOf(receiver)}/crm`, secret: 's' }, outboundFetch({ allowPrivate: false }));
    await expect(forward.deliver({ id: 'obx_1' } as never, { type: 'case.created' }, {} as never)).rejects.toThrow();
    expect(hits).toEqual(['/moved']);
  });
});
