import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SterlingClient,
  SterlingError,
  normaliseResult,
  normaliseStatus,
  parseCallback,
} from '../../server/vendors/sterling/adapter.ts';
import { sterlingSandbox } from '../../server/vendors/sterling/sandbox.ts';

const API_KEY = 'test-api-key';
const requireApiKey: express.RequestHandler = (req, res, next) => {
  if (req.get('authorization') === `Bearer ${API_KEY}`) return next();
  res.status(401).json({ error: 'unauthorized', code: 'unauthorized', details: {} });
};

let dir: string;
let dataFile: string;
let sandbox: Server;
let sandboxUrl: string;
let oauthCalls = 0;
let receiver: Server;
let receiverUrl: string;
const callbacks: unknown[] = [];
let client: SterlingClient;

async function listen(app: express.Express, port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function startSandbox(port = 0): Promise<Server> {
  const app = express();
  app.use((req, _res, next) => {
    if (req.path === '/sandbox/sterling/oauth') oauthCalls++;
    next();
  });
  app.use('/sandbox/sterling', await sterlingSandbox({ dataFile, requireApiKey }));
  return listen(app, port);
}

const person = (reference: string, key = `enroll-${reference}`) => ({
  reference,
  givenName: 'Pat',
  familyName: 'Provider',
  email: `${reference}@example.test`,
  callbackUri: `${receiverUrl}/hooks/sterling/unguessable-${reference}`,
  idempotencyKey: key,
});

async function bearer(): Promise<string> {
  const res = await fetch(`${sandboxUrl}/oauth`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('id:secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function getSubscription(id: string): Promise<{ status: string; candidateId: string }> {
  const res = await fetch(`${sandboxUrl}/v2/monitoring/subscriptions/${id}`, {
    headers: { authorization: `Bearer ${await bearer()}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; candidateId: string };
}

function triggerAlert(providerId: string): Promise<Response> {
  return fetch(`${sandboxUrl}/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider_id: providerId }),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sterling-'));
  dataFile = join(dir, 'sandbox', 'sterling.json');
  sandbox = await startSandbox();
  sandboxUrl = `${urlOf(sandbox)}/sandbox/sterling`;

  const hooks = express();
  hooks.post('/hooks/sterling/:secret', express.json(), (req, res) => {
    callbacks.push(req.body);
    res.sendStatus(200);
  });
  receiver = await listen(hooks);
  receiverUrl = urlOf(receiver);

  client = new SterlingClient({ baseUrl: `${sandboxUrl}/`, clientId: 'trustwire', clientSecret: 'sandbox' });
});

afterAll(async () => {
  await close(sandbox);
  await close(receiver);
  await rm(dir, { recursive: true, force: true });
});

describe('Sterling adapter against the sandbox', () => {
  it('enrolls a provider: candidate and active subscription', async () => {
    const { candidateId, subscriptionId } = await client.enrollMonitoring(person('prov_enroll'));
    const subscription = await getSubscription(subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', candidateId });
  });

  it('reuses the candidate and subscription for the same idempotency key', async () => {
    const first = await client.enrollMonitoring(person('prov_idem'));
    const again = await client.enrollMonitoring(person('prov_idem'));
    expect(again).toEqual(first);
    const other = await client.enrollMonitoring(person('prov_idem', 'another-key'));
    expect(other.subscriptionId).not.toBe(first.subscriptionId);
  });

  it('caches the token (expires_in arrives as a string)', async () => {
    const before = oauthCalls;
    await client.enrollMonitoring(person('prov_token_a'));
    await client.enrollMonitoring(person('prov_token_b'));
    expect(oauthCalls).toBe(before);
  });

  it('delivers an alert as a screening callback that normalises to consider', async () => {
    const { candidateId } = await client.enrollMonitoring(person('prov_alert'));
    const res = await triggerAlert('prov_alert');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ alerts: 1 });

    await vi.waitFor(() => expect(callbacks.map(parseCallback)).toContainEqual(expect.objectContaining({ candidateId })));
    const callback = callbacks.map(parseCallback).find((c) => c?.candidateId === candidateId)!;
    expect(callback.type).toBe('screening');

    const screening = await client.getScreening(callback.screeningId);
    expect(screening).toMatchObject({ id: callback.screeningId, candidateId, status: 'complete', result: 'consider' });
    expect(screening.items).toEqual([
      expect.objectContaining({ type: 'County Criminal', status: 'complete', result: 'consider' }),
    ]);
  });

  it('after withdrawal an alert for that provider reaches nobody', async () => {
    const { subscriptionId } = await client.enrollMonitoring(person('prov_withdraw'));
    await client.withdrawMonitoring(subscriptionId, 'withdraw-1');
    expect((await getSubscription(subscriptionId)).status).toBe('cancelled');
    await client.withdrawMonitoring(subscriptionId, 'withdraw-2');
    await client.withdrawMonitoring('no-such-subscription', 'withdraw-3');

    const delivered = callbacks.length;
    const res = await triggerAlert('prov_withdraw');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callbacks).toHaveLength(delivered);
  });

  it('requires the API key for the alert trigger', async () => {
    const res = await fetch(`${sandboxUrl}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider_id: 'prov_enroll' }),
    });
    expect(res.status).toBe(401);
  });

  it('answers 401 to a bad bearer token', async () => {
    const res = await fetch(`${sandboxUrl}/v2/screenings/anything`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ code: '401', message: expect.any(String) }] });
  });

  it('throws SterlingError with the vendor code and no personal data', async () => {
    const missingEmail = client.enrollMonitoring({ ...person('prov_bad'), email: '' });
    await expect(missingEmail).rejects.toMatchObject({ name: 'SterlingError', status: 400, code: '400#email' });

    const badClient = new SterlingClient({ baseUrl: sandboxUrl, clientId: 'trustwire', clientSecret: '' });
    const error = await badClient.getScreening('x').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SterlingError);
    expect(error).toMatchObject({ status: 401, operation: 'token' });

    const gone = await client.getScreening('no-such-screening').catch((err: unknown) => err);
    expect(gone).toMatchObject({ status: 404, code: '404' });
    expect((gone as Error).message).not.toContain('@');
  });

  it('keeps its state across a restart from the same data file', async () => {
    const { candidateId, subscriptionId } = await client.enrollMonitoring(person('prov_restart'));
    const port = (sandbox.address() as AddressInfo).port;
    await close(sandbox);
    sandbox = await startSandbox(port);

    // The old client's token died with the old process: it must renew and carry on.
    expect(await client.enrollMonitoring(person('prov_restart'))).toEqual({ candidateId, subscriptionId });
    expect((await getSubscription(subscriptionId)).status).toBe('active');
    const res = await triggerAlert('prov_restart');
    expect(await res.json()).toEqual({ alerts: 1 });
    await vi.waitFor(() => expect(callbacks.map(parseCallback)).toContainEqual(expect.objectContaining({ candidateId })));
  });
});

describe('normalisation', () => {
  it.each([
    ['new', 'pending'],
    ['PreDraft', 'pending'],
    ['predraft', 'pending'],
    ['Pending', 'in_progress'],
    ['In Progress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['complete', 'complete'],
    ['COMPLETE', 'complete'],
    ['something new', 'in_progress'],
  ])('status %s → %s', (vendor, ours) => {
    expect(normaliseStatus(vendor)).toBe(ours);
  });

  it.each([
    ['n/a', 'pending'],
    ['Pending', 'pending'],
    [null, 'pending'],
    ['Clear', 'clear'],
    ['no data', 'clear'],
    ['NO DATA', 'clear'],
    ['alert', 'consider'],
    ['Consider', 'consider'],
    ['Adverse', 'adverse'],
    ['constructor', 'consider'],
    ['unheard of', 'consider'],
  ])('result %s → %s', (vendor, ours) => {
    expect(normaliseResult(vendor)).toBe(ours);
  });

  it('parses screening callbacks and ignores other types', () => {
    const payload = { id: 'scr_1', packageId: 'p', candidateId: 'cand_1', status: 'complete', result: 'alert', reportItems: [] };
    expect(parseCallback({ type: 'screening', payload })).toEqual({ type: 'screening', screeningId: 'scr_1', candidateId: 'cand_1' });
    expect(parseCallback({ type: 'candidate', payload })).toBeUndefined();
    expect(parseCallback({ type: 'screening', payload: { id: 'scr_1' } })).toBeUndefined();
    expect(parseCallback('screening')).toBeUndefined();
    expect(parseCallback(null)).toBeUndefined();
  });
});
