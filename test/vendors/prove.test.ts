import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProveConfig, ProveNext, ProvePerson, StartInput } from '../../server/vendors/prove/adapter.ts';
import { isRetryable, ProveClient, ProveError } from '../../server/vendors/prove/adapter.ts';
import { proveSandbox } from '../../server/vendors/prove/sandbox.ts';
import { close, listen, urlOf } from '../helpers/http.ts';

const PERSON: ProvePerson = { firstName: 'Pat', lastName: 'Seeker', dob: '1990-04-12' };
const MOBILE_AUTH = '+1 555 555 0100';
const SMS = '+1-555-555-0101';
const UNVERIFIABLE = '+15555550199';
const CREDENTIALS = { clientId: 'trustwire', clientSecret: 'sandbox' };

let sandbox: Server;
let sandboxUrl: string;
/** Added to the sandbox's clock, to outlive flows, codes and tokens. */
let skewMs = 0;
let tokenCalls = 0;

beforeAll(async () => {
  const app = express();
  app.use((req, _res, next) => {
    if (req.path === '/sandbox/prove/token') tokenCalls++;
    next();
  });
  const now = () => Date.now() + skewMs;
  app.use('/sandbox/prove', proveSandbox({ clients: { [CREDENTIALS.clientId]: CREDENTIALS.clientSecret }, now }));
  sandbox = await listen(app);
  sandboxUrl = `${urlOf(sandbox)}/sandbox/prove`;
});

afterAll(() => close(sandbox));

beforeEach(() => {
  skewMs = 0;
});

const client = (overrides: Partial<ProveConfig> = {}) => new ProveClient({ baseUrl: `${sandboxUrl}/`, ...CREDENTIALS, ...overrides });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a ProveError'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ProveError);
      return err as ProveError;
    },
  );

async function bearer(): Promise<string> {
  const res = await fetch(`${sandboxUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CREDENTIALS.clientId, client_secret: CREDENTIALS.clientSecret }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A raw call, for what the adapter never sends. */
async function raw(path: string, body: string | undefined, type = 'application/json'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandboxUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await bearer()}`, 'content-type': type },
    ...(body !== undefined && { body }),
  });
  return { status: res.status, body: await res.json() };
}

const startFor = (c: ProveClient, phoneNumber: string, extra: Partial<StartInput> = {}) => c.start({ phoneNumber, flowType: 'mobile', ...extra });

describe('Prove sandbox, walked with the adapter', () => {
  it('00: mobile auth passes and the flow verifies', async () => {
    const c = client();
    const { correlationId, authToken, next } = await startFor(c, MOBILE_AUTH);
    expect(next).toEqual({ 'v3-validate': '/v3/validate' });
    expect(await c.authenticate(authToken)).toEqual({ method: 'mobile_auth', success: true });
    expect(await c.verify(correlationId, next, PERSON)).toEqual({ verified: true });
  });

  it('01: an SMS code, 123456 passes', async () => {
    const c = client();
    const { correlationId, authToken, next } = await startFor(c, SMS);
    expect(await c.authenticate(authToken)).toEqual({ method: 'otp' });
    expect(await c.submitOtp(authToken, '123456')).toEqual({ success: true });
    expect(await c.verify(correlationId, next, PERSON)).toEqual({ verified: true });
  });

  it('01: a wrong code fails possession', async () => {
    const c = client();
    const { correlationId, authToken, next } = await startFor(c, SMS);
    await c.authenticate(authToken);
    expect(await c.submitOtp(authToken, '654321')).toEqual({ success: false });
    // One try without allowOTPRetry: the right code comes too late.
    expect(await c.submitOtp(authToken, '123456')).toEqual({ success: false });
    expect(await c.verify(correlationId, next, PERSON)).toEqual({ verified: false, reason: 'possession_failed' });
  });

  it('99: mobile auth fails with no SMS fallback', async () => {
    const c = client();
    const { correlationId, authToken, next } = await startFor(c, UNVERIFIABLE);
    expect(await c.authenticate(authToken)).toEqual({ method: 'mobile_auth', success: false });
    expect(await c.verify(correlationId, next, PERSON)).toEqual({ verified: false, reason: 'possession_failed' });
  });

  it('compares digits only, and sends other endings to SMS', async () => {
    const c = client();
    const dashed = await startFor(c, '+1 (555) 555-01-00');
    expect(await c.authenticate(dashed.authToken)).toEqual({ method: 'mobile_auth', success: true });
    const other = await startFor(c, '+44 20 7946 0042', { flowType: 'desktop' });
    expect(await c.authenticate(other.authToken)).toEqual({ method: 'otp' });
  });

  it('allowOTPRetry gives three tries', async () => {
    const c = client();
    const second = await startFor(c, SMS, { allowOTPRetry: true });
    await c.authenticate(second.authToken);
    expect(await c.submitOtp(second.authToken, '000000')).toEqual({ success: false });
    expect(await c.submitOtp(second.authToken, '123456')).toEqual({ success: true });
    expect(await c.verify(second.correlationId, second.next, PERSON)).toEqual({ verified: true });

    const spent = await startFor(c, SMS, { allowOTPRetry: true });
    await c.authenticate(spent.authToken);
    for (const code of ['000001', '000002', '000003']) expect(await c.submitOtp(spent.authToken, code)).toEqual({ success: false });
    expect(await c.submitOtp(spent.authToken, '123456')).toEqual({ success: false });
    expect(await c.verify(spent.correlationId, spent.next, PERSON)).toMatchObject({ reason: 'possession_failed' });
  });

  it('the SMS code lives 2 minutes', async () => {
    const c = client();
    const { correlationId, authToken, next } = await startFor(c, SMS);
    await c.authenticate(authToken);
    skewMs = 2 * 60_000 + 1_000;
    expect(await c.submitOtp(authToken, '123456')).toEqual({ success: false });
    expect(await c.verify(correlationId, next, PERSON)).toEqual({ verified: false, reason: 'possession_failed' });
  });

  it('an unanswered code that expired fails possession at Validate', async () => {
    const c = client();
    const { correlationId, authToken } = await startFor(c, SMS);
    await c.authenticate(authToken);
    await expect(failure(c.validate(correlationId))).resolves.toMatchObject({ status: 400, code: '8003' });
    skewMs = 2 * 60_000 + 1_000;
    expect(await c.validate(correlationId)).toEqual({ success: false, challengeMissing: true, next: { done: 'done' } });
  });

  it("answers each step in Prove's shape", async () => {
    const c = client();
    const { correlationId, authToken } = await startFor(c, MOBILE_AUTH);
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    await c.authenticate(authToken);
    expect(await c.validate(correlationId)).toEqual({
      success: true,
      challengeMissing: true,
      phoneNumber: MOBILE_AUTH,
      next: { 'v3-challenge': '/v3/challenge' },
    });
    expect(await c.challenge(correlationId, { dob: PERSON.dob })).toEqual({
      success: true,
      individual: { dob: PERSON.dob },
      next: { 'v3-complete': '/v3/complete' },
    });
    expect(await c.complete(correlationId, { firstName: 'Pat', lastName: 'Seeker', dob: PERSON.dob })).toEqual({
      success: true,
      idv: expect.any(Object),
      next: { done: 'done' },
    });
  });

  it('a correlationId dies 15 minutes after Start', async () => {
    const c = client();
    const { correlationId, authToken } = await startFor(c, MOBILE_AUTH);
    skewMs = 15 * 60_000 + 1_000;
    await expect(failure(c.authenticate(authToken))).resolves.toMatchObject({ status: 401, code: '8002' });
    await expect(failure(c.validate(correlationId))).resolves.toMatchObject({ status: 404, code: '8008' });
  });
});

describe('Prove sandbox refusals', () => {
  it('requires flowType and a phone number', async () => {
    const c = client();
    const missing = await failure(c.start({ phoneNumber: SMS } as StartInput));
    expect(missing).toMatchObject({ status: 400, code: '8001', operation: 'start' });
    expect(missing.message).not.toMatch(/555/);
    await expect(failure(startFor(c, ''))).resolves.toMatchObject({ status: 400, code: '8001' });
    await expect(failure(startFor(c, 'call me'))).resolves.toMatchObject({ status: 400, code: '8001' });
  });

  it('refuses steps out of order with 8003', async () => {
    const c = client();
    const early = await startFor(c, MOBILE_AUTH);
    await expect(failure(c.validate(early.correlationId))).resolves.toMatchObject({ status: 400, code: '8003' });
    await expect(failure(c.complete(early.correlationId, PERSON))).resolves.toMatchObject({ code: '8003' });

    await c.authenticate(early.authToken);
    await expect(failure(c.authenticate(early.authToken))).resolves.toMatchObject({ code: '8003' });
    await expect(failure(c.challenge(early.correlationId, { dob: PERSON.dob }))).resolves.toMatchObject({ code: '8003' });
    await c.validate(early.correlationId);
    await expect(failure(c.validate(early.correlationId))).resolves.toMatchObject({ code: '8003' });

    const failed = await startFor(c, UNVERIFIABLE);
    await c.authenticate(failed.authToken);
    await c.validate(failed.correlationId);
    await expect(failure(c.challenge(failed.correlationId, { dob: PERSON.dob }))).resolves.toMatchObject({ code: '8003' });

    const noCode = await startFor(c, MOBILE_AUTH);
    await expect(failure(c.submitOtp(noCode.authToken, '123456'))).resolves.toMatchObject({ code: '8003' });
  });

  it('refuses an unknown correlationId with 404 8008', async () => {
    await expect(failure(client().validate('00000000-0000-4000-8000-000000000000'))).resolves.toMatchObject({
      status: 404,
      code: '8008',
      operation: 'validate',
    });
  });

  it('needs dob or ssn at Challenge, names or ssn at Complete', async () => {
    const c = client();
    const { correlationId, authToken } = await startFor(c, MOBILE_AUTH);
    await c.authenticate(authToken);
    await c.validate(correlationId);
    await expect(failure(c.challenge(correlationId, {}))).resolves.toMatchObject({ status: 400, code: '8001' });
    await expect(failure(c.challenge(correlationId, { dob: '12/04/1990' }))).resolves.toMatchObject({ code: '8001' });
    await c.challenge(correlationId, { ssn: '1234' });
    await expect(failure(c.complete(correlationId, { firstName: 'Pat' }))).resolves.toMatchObject({ code: '8001' });
    expect((await c.complete(correlationId, { ssn: '123456789' })).success).toBe(true);
  });

  it('refuses bodies of 4 KB or more', async () => {
    const of = (size: number) => {
      const body = { flowType: 'mobile', phoneNumber: MOBILE_AUTH, pad: '' };
      body.pad = 'x'.repeat(size - JSON.stringify(body).length);
      const text = JSON.stringify(body);
      expect(text).toHaveLength(size);
      return text;
    };
    expect(await raw('/v3/start', of(4096))).toEqual({ status: 400, body: { code: 8001, message: expect.any(String) } });
    expect((await raw('/v3/start', of(4095))).status).toBe(200);
  });

  it.each([
    ['bad JSON', '/v3/start', '{"flowType":', 'application/json'],
    ['an array', '/v3/start', '[1,2]', 'application/json'],
    ['no body', '/v3/start', undefined, 'application/json'],
    ['text', '/v3/start', 'flowType=mobile', 'text/plain'],
    ['wrong types', '/v3/start', '{"flowType":["mobile"],"phoneNumber":5555550100}', 'application/json'],
    ['a non-boolean retry flag', '/v3/start', `{"flowType":"mobile","phoneNumber":"${SMS}","allowOTPRetry":"yes"}`, 'application/json'],
    ['an object correlationId', '/v3/validate', '{"correlationId":{"$ne":null}}', 'application/json'],
    ['a null individual', '/v3/complete', '{"correlationId":"x","individual":null}', 'application/json'],
    ['a numeric code', '/sdk/otp', '{"authToken":"x","code":123456}', 'application/json'],
    ['an object authToken', '/sdk/authenticate', '{"authToken":{}}', 'application/json'],
  ])('answers 8001 to %s', async (_name, path, body, type) => {
    expect(await raw(path, body, type)).toEqual({ status: 400, body: { code: 8001, message: expect.any(String) } });
  });

  it('answers 401 8002 without a valid bearer or device token', async () => {
    const res = await fetch(`${sandboxUrl}/v3/start`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: JSON.stringify({ flowType: 'mobile', phoneNumber: SMS }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 8002, message: expect.any(String) });
    await expect(failure(client().authenticate('not-a-token'))).resolves.toMatchObject({ status: 401, code: '8002' });
  });

  it('checks client credentials when clients are configured', async () => {
    const strict = (clientSecret: string) => new ProveClient({ baseUrl: `${urlOf(sandbox)}/sandbox/prove`, clientId: CREDENTIALS.clientId, clientSecret });
    await expect(failure(startFor(strict('wrong'), SMS))).resolves.toMatchObject({ status: 401, code: '8002', operation: 'token' });
    expect((await startFor(strict(CREDENTIALS.clientSecret), SMS)).next).toEqual({ 'v3-validate': '/v3/validate' });
  });
});

describe('ProveClient tokens', () => {
  it('caches the token and shares one request among concurrent calls', async () => {
    const c = client();
    const before = tokenCalls;
    await Promise.all([startFor(c, SMS), startFor(c, SMS), startFor(c, SMS)]);
    await startFor(c, SMS);
    expect(tokenCalls - before).toBe(1);
  });

  it('renews a token the sandbox no longer honours, once', async () => {
    const c = client();
    await startFor(c, SMS);
    const before = tokenCalls;
    // The sandbox's clock is past the token's hour while the client's cache is not.
    skewMs = 61 * 60_000;
    expect((await startFor(c, SMS)).correlationId).toBeTruthy();
    expect(tokenCalls - before).toBe(1);
  });
});

type Reply = { status?: number; json?: unknown; text?: string; delayMs?: number };

/** A stand-in for Prove answering as each test scripts it, recording what it was sent. */
async function fakeProve(routes: Record<string, (body: Record<string, unknown>) => Reply>) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.use(async (req, res) => {
    calls.push({ path: req.path, body: req.body });
    const route = routes[req.path] ?? (req.path === '/token' ? bearerReply : undefined);
    const reply = route ? route(req.body) : { status: 404, json: { code: 8000, message: 'no such route' } };
    if (reply.delayMs) await sleep(reply.delayMs);
    res.status(reply.status ?? 200);
    if (reply.text !== undefined) res.type('html').send(reply.text);
    else res.json(reply.json);
  });
  const server = await listen(app);
  fakes.push(server);
  const prove = new ProveClient({ baseUrl: urlOf(server), ...CREDENTIALS, timeoutMs: 300 });
  return { prove, calls, steps: () => calls.map((c) => c.path).filter((p) => p !== '/token') };
}

const bearerReply = (): Reply => ({ json: { access_token: 'fake-token', token_type: 'Bearer', expires_in: 3600 } });
const fakes: Server[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map(close));
});

const step =
  (success: boolean, next: ProveNext, extra: Record<string, unknown> = {}) =>
  (): Reply => ({
    json: { success, next, ...extra },
  });
const DONE = { done: 'done' };

describe('ProveClient.verify follows next', () => {
  it('runs the steps in the order Prove names them, merging the prefill into Complete', async () => {
    const prefill = {
      dob: '1990-04-12',
      emailAddresses: ['pat@example.test'],
      addresses: [{ address: '1 Old St', city: 'Old', region: 'OR', postalCode: '97000' }],
    };
    const { prove, calls, steps } = await fakeProve({
      '/v3/challenge': step(true, { 'v3-validate': '/v3/validate' }, { individual: prefill }),
      '/v3/validate': step(true, { 'v3-complete': '/v3/complete' }, { challengeMissing: false }),
      '/v3/complete': step(true, DONE),
    });
    const address = { address: '2 New St', city: 'New', region: 'NY', postalCode: '10001' };
    const result = await prove.verify('cid-1', { 'v3-challenge': '/v3/challenge' }, { ...PERSON, address });
    expect(result).toEqual({ verified: true });
    expect(steps()).toEqual(['/v3/challenge', '/v3/validate', '/v3/complete']);
    expect(calls.find((c) => c.path === '/v3/challenge')!.body).toEqual({ correlationId: 'cid-1', dob: PERSON.dob });
    expect(calls.find((c) => c.path === '/v3/complete')!.body).toEqual({
      correlationId: 'cid-1',
      individual: { ...PERSON, emailAddresses: prefill.emailAddresses, addresses: [address] },
    });
  });

  it('skips Challenge when Prove does', async () => {
    const { prove, calls, steps } = await fakeProve({
      '/v3/validate': step(true, { 'v3-complete': '/v3/complete' }),
      '/v3/complete': step(true, DONE),
    });
    expect(await prove.verify('cid-2', { 'v3-validate': '/v3/validate' }, PERSON)).toEqual({ verified: true });
    expect(steps()).toEqual(['/v3/validate', '/v3/complete']);
    expect(calls.at(-1)!.body).toEqual({ correlationId: 'cid-2', individual: PERSON });
  });

  it.each([
    ['challenge', 'challenge_failed'],
    ['complete', 'complete_failed'],
  ])('ends unverified when %s answers success false', async (failing, reason) => {
    const { prove, steps } = await fakeProve({
      '/v3/validate': step(true, { 'v3-challenge': '/v3/challenge' }),
      '/v3/challenge': step(failing !== 'challenge', { 'v3-complete': '/v3/complete' }),
      '/v3/complete': step(failing !== 'complete', DONE),
    });
    expect(await prove.verify('cid', { 'v3-validate': '/v3/validate' }, PERSON)).toEqual({ verified: false, reason });
    expect(steps().at(-1)).toBe(`/v3/${failing}`);
  });

  it.each([
    ['an unknown step', { 'v3-validate': '/v3/validate' }, { 'v3-mystery': '/v3/mystery' }],
    ['a step named again', { 'v3-validate': '/v3/validate' }, { 'v3-validate': '/v3/validate' }],
    ['an empty next', { 'v3-validate': '/v3/validate' }, {}],
    ['no Validate at all', DONE, DONE],
  ])('refuses %s as invalid_response', async (_name, first: ProveNext, after: ProveNext) => {
    const { prove } = await fakeProve({ '/v3/validate': step(true, after) });
    await expect(failure(prove.verify('cid', first, PERSON))).resolves.toMatchObject({ status: 502, code: 'invalid_response' });
  });
});

describe('ProveClient errors', () => {
  const start = (prove: ProveClient) => startFor(prove, MOBILE_AUTH);

  it("keeps Prove's code and the HTTP status", async () => {
    const { prove } = await fakeProve({ '/v3/start': () => ({ status: 500, json: { code: 8000, message: 'internal' } }) });
    const error = await failure(start(prove));
    expect(error).toMatchObject({ status: 500, code: '8000', operation: 'start' });
    expect(error.message).toBe('Prove start failed: 500 8000');
    expect(isRetryable(error)).toBe(true);

    const older = await fakeProve({ '/v3/start': () => ({ status: 400, json: { code: 1001, message: 'old' } }) });
    const legacy = await failure(start(older.prove));
    expect(legacy).toMatchObject({ status: 400, code: '1001' });
    expect(isRetryable(legacy)).toBe(false);
  });

  it('maps garbage to invalid_response, and a codeless error page to its status', async () => {
    const html = await fakeProve({ '/v3/start': () => ({ text: '<html>gateway</html>' }) });
    await expect(failure(start(html.prove))).resolves.toMatchObject({ status: 502, code: 'invalid_response' });
    const shapeless = await fakeProve({ '/v3/start': () => ({ json: { correlationId: 'c', next: DONE } }) });
    await expect(failure(start(shapeless.prove))).resolves.toMatchObject({ code: 'invalid_response' });
    const page = await fakeProve({ '/v3/start': () => ({ status: 503, text: 'down' }) });
    await expect(failure(start(page.prove))).resolves.toMatchObject({ status: 503, code: '503' });
    const token = await fakeProve({ '/token': () => ({ json: { access_token: 't', token_type: 'mac', expires_in: 3600 } }) });
    await expect(failure(start(token.prove))).resolves.toMatchObject({ code: 'invalid_response', operation: 'token' });
  });

  it('omits empty fields from Start', async () => {
    const { prove, calls } = await fakeProve({
      '/v3/start': () => ({ json: { correlationId: 'c', authToken: 'a', next: { 'v3-validate': '/v3/validate' } } }),
    });
    await prove.start({ phoneNumber: SMS, flowType: 'mobile', emailAddress: '', dob: undefined, allowOTPRetry: false });
    expect(calls.at(-1)!.body).toEqual({ phoneNumber: SMS, flowType: 'mobile', allowOTPRetry: false });
  });

  it('times out a slow answer', async () => {
    const { prove } = await fakeProve({ '/v3/start': () => ({ delayMs: 1_000, json: {} }) });
    const error = await failure(start(prove));
    expect(error).toMatchObject({ status: 0, code: 'timeout', operation: 'start' });
    expect(isRetryable(error)).toBe(true);
  });

  it('reports a closed port as network', async () => {
    const closed = await listen(express());
    const baseUrl = urlOf(closed);
    await close(closed);
    const error = await failure(start(new ProveClient({ baseUrl, ...CREDENTIALS })));
    expect(error).toMatchObject({ status: 0, code: 'network', operation: 'token' });
    expect(isRetryable(error)).toBe(true);
  });

  it('renews the token once on 401, then gives up', async () => {
    const { prove, calls } = await fakeProve({ '/v3/start': () => ({ status: 401, json: { code: 8002, message: 'no' } }) });
    await expect(failure(start(prove))).resolves.toMatchObject({ status: 401, code: '8002' });
    expect(calls.map((c) => c.path)).toEqual(['/token', '/v3/start', '/token', '/v3/start']);
  });

  it('speaks the device hook under devicePath, with no access token', async () => {
    const { calls } = await fakeProve({ '/device/authenticate': () => ({ json: { method: 'otp' } }) });
    const port = (fakes.at(-1)!.address() as AddressInfo).port;
    const prove = new ProveClient({ baseUrl: `http://127.0.0.1:${port}`, ...CREDENTIALS, devicePath: '/device' });
    expect(await prove.authenticate('auth-token')).toEqual({ method: 'otp' });
    expect(calls).toEqual([{ path: '/device/authenticate', body: { authToken: 'auth-token' } }]);
  });
});

describe('isRetryable', () => {
  it.each([
    [new ProveError(0, 'timeout', 'start'), true],
    [new ProveError(0, 'network', 'start'), true],
    [new ProveError(500, '8000', 'start'), true],
    [new ProveError(503, '503', 'start'), true],
    [new ProveError(429, '429', 'start'), true],
    [new ProveError(400, '8001', 'start'), false],
    [new ProveError(401, '8002', 'start'), false],
    [new ProveError(404, '8008', 'validate'), false],
    [new Error('not Prove'), false],
  ])('%s → %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});
