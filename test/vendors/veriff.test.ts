import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  isRetryable,
  parseDecision,
  parseEvent,
  sign,
  VeriffClient,
  VeriffError,
  type VeriffSession,
  verifySignature,
} from '../../server/vendors/veriff/adapter.ts';
import { veriffSandbox } from '../../server/vendors/veriff/sandbox.ts';
import { close, listen, urlOf } from '../helpers/http.ts';

const API_KEY = 'test-veriff-key';
/** The sandbox signs with the new secret; the old one is still listed, as during a rotation. */
const SECRET = 'secret-new';
const SECRETS = [SECRET, 'secret-old'];
const DELAY_MS = 30;
/** A tiny valid base64 payload, not an image. */
const IMAGE = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;

interface Received {
  kind: 'decision' | 'event';
  raw: Buffer;
  signature?: string;
  authClient?: string;
  body: any;
}

let sandbox: Server;
let sandboxUrl: string;
let origin: string;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Sessions (by vendorData) whose first decision delivery the receiver refuses with a 500. */
const refuseOnce = new Set<string>();
let client: VeriffClient;

beforeAll(async () => {
  const hooks = express();
  hooks.post('/hooks/veriff/:kind', express.raw({ type: () => true }), (req, res) => {
    const body = JSON.parse(req.body.toString('utf8'));
    const kind = req.params.kind === 'decisions' ? 'decision' : 'event';
    const vendorData = body.verification?.vendorData;
    if (kind === 'decision' && refuseOnce.delete(vendorData)) {
      res.sendStatus(500);
      return;
    }
    received.push({ kind, raw: req.body, signature: req.get('x-hmac-signature'), authClient: req.get('x-auth-client'), body });
    res.json({ received: true });
  });
  receiver = await listen(hooks);
  receiverUrl = urlOf(receiver);

  const app = express();
  app.use(
    '/sandbox/veriff',
    veriffSandbox({
      apiKey: API_KEY,
      sharedSecret: SECRET,
      decisionWebhookUrl: () => `${receiverUrl}/hooks/veriff/decisions`,
      eventWebhookUrl: () => `${receiverUrl}/hooks/veriff/events`,
      callbacks: ['/seeker?veriff=submitted'],
      decisionDelayMs: DELAY_MS,
    }),
  );
  sandbox = await listen(app);
  origin = urlOf(sandbox);
  sandboxUrl = `${origin}/sandbox/veriff`;
  client = new VeriffClient({ baseUrl: `${sandboxUrl}/`, apiKey: API_KEY, sharedSecrets: SECRETS });
});

afterAll(async () => {
  await close(sandbox);
  await close(receiver);
});

let seq = 0;
const create = (lastName: string, extra: { vendorData?: string } = {}) =>
  client.createSession({
    person: { firstName: 'Sam', lastName, dateOfBirth: '1990-02-03' },
    vendorData: extra.vendorData ?? `skr_test_${++seq}`,
    callback: '/seeker?veriff=submitted',
  });

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-auth-client': API_KEY }) =>
  fetch(`${sandboxUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const upload = (id: string, context: string, headers?: Record<string, string>) =>
  api('POST', `/v1/sessions/${id}/media`, { image: { context, content: IMAGE, timestamp: new Date().toISOString() } }, headers);

const submit = (id: string) => api('PATCH', `/v1/sessions/${id}`, { verification: { status: 'submitted' } }, {});

/** Opens the hosted page, uploads both photos and submits, as the page's person would. */
async function takePhotosAndSubmit(session: VeriffSession): Promise<void> {
  expect((await fetch(`${origin}${session.url}`)).status).toBe(200);
  for (const context of ['document-front', 'face']) expect((await upload(session.id, context)).status).toBe(200);
  expect((await submit(session.id)).status).toBe(200);
}

const webhooks = (kind: Received['kind'], sessionId: string) =>
  received.filter((r) => r.kind === kind && (kind === 'decision' ? r.body.verification.id : r.body.id) === sessionId);

async function decisions(sessionId: string, count = 1): Promise<Received[]> {
  await vi.waitFor(() => expect(webhooks('decision', sessionId).length).toBeGreaterThanOrEqual(count), { timeout: 5_000, interval: 10 });
  return webhooks('decision', sessionId);
}

describe('Veriff adapter against the sandbox', () => {
  it('creates a session whose url is the hosted page on this server', async () => {
    const session = await create('Tester');
    expect(session).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: `/sandbox/veriff/session/${session.id}`,
      sessionToken: expect.any(String),
      status: 'created',
    });
    const page = await fetch(`${origin}${session.url}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Verify your identity');
  });

  it('echoes vendorData and answers the host on create', async () => {
    const res = await api('POST', '/v1/sessions', { verification: { vendorData: 'skr_echo', person: { firstName: 'A', lastName: 'B' } } });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      status: 'success',
      verification: {
        id: expect.any(String),
        url: expect.stringMatching(/^\/sandbox\/veriff\/session\//),
        vendorData: 'skr_echo',
        host: origin,
        status: 'created',
        sessionToken: expect.any(String),
      },
    });
  });

  it.each([
    ['Tester', 'approved', 9001, null],
    ['Declined', 'declined', 9102, 102],
    ['review', 'review', 9121, null],
    ['EXPIRED', 'expired', 9104, null],
  ])('last name %s → %s, by a signed decision webhook', async (lastName, status, code, reasonCode) => {
    const session = await create(lastName);
    await takePhotosAndSubmit(session);
    const [hook] = await decisions(session.id);
    expect(verifySignature(hook.raw, hook.signature, SECRETS)).toBe(true);
    expect(hook.authClient).toBe(API_KEY);
    const decision = parseDecision(JSON.parse(hook.raw.toString('utf8')));
    expect(decision).toEqual({
      sessionId: session.id,
      attemptId: expect.any(String),
      vendorData: `skr_test_${seq}`,
      status,
      code,
      reason: status === 'declined' ? expect.any(String) : null,
      reasonCode,
      decisionTime: expect.any(String),
      person: { firstName: 'Sam', lastName, dateOfBirth: '1990-02-03' },
      document: { type: 'DRIVERS_LICENSE', number: expect.stringMatching(/^SBX\d+$/), country: 'US', validUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    expect(hook.body).toMatchObject({
      status: 'success',
      verification: {
        acceptanceTime: expect.any(String),
        person: { firstName: 'Sam', lastName, dateOfBirth: '1990-02-03' },
        document: {
          type: expect.any(String),
          number: expect.any(String),
          country: expect.any(String),
          validUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        },
        riskLabels: [],
      },
      technicalData: { ip: expect.any(String) },
    });
  });

  it('Resubmit asks for new photos once, then approves the new attempt', async () => {
    const session = await create('Resubmit');
    await takePhotosAndSubmit(session);
    const [first] = await decisions(session.id);
    expect(parseDecision(first.body)).toMatchObject({ status: 'resubmission_requested', code: 9103 });

    // The page asks again; its opening begins the new attempt.
    const page = await fetch(`${origin}${session.url}`);
    expect(await page.text()).toContain('Please take both again');
    for (const context of ['document-front', 'face']) expect((await upload(session.id, context)).status).toBe(200);
    expect((await submit(session.id)).status).toBe(200);
    const [, second] = await decisions(session.id, 2);
    const approved = parseDecision(second.body)!;
    expect(approved).toMatchObject({ status: 'approved', code: 9001 });
    expect(verifySignature(second.raw, second.signature, SECRETS)).toBe(true);
    expect(approved.attemptId).not.toBe(parseDecision(first.body)!.attemptId);

    const started = webhooks('event', session.id)
      .filter((e) => e.body.action === 'started')
      .map((e) => e.body.attemptId);
    expect(started).toEqual([parseDecision(first.body)!.attemptId, approved.attemptId]);
  });

  it('sends started once per attempt and submitted, signed, with the attempt id', async () => {
    const session = await create('Tester');
    await fetch(`${origin}${session.url}`);
    await takePhotosAndSubmit(session); // opens the page a second time
    const [decision] = await decisions(session.id);
    const events = webhooks('event', session.id);
    expect(events.map((e) => parseEvent(e.body))).toEqual([
      { sessionId: session.id, attemptId: decision.body.verification.attemptId, code: 7001, action: 'started', vendorData: `skr_test_${seq}` },
      { sessionId: session.id, attemptId: decision.body.verification.attemptId, code: 7002, action: 'submitted', vendorData: `skr_test_${seq}` },
    ]);
    for (const event of events) {
      expect(verifySignature(event.raw, event.signature, SECRETS)).toBe(true);
      expect(event.body.feature).toBe('selfid');
    }
  });

  it('refuses media after submit (409) and a second submit', async () => {
    const session = await create('Tester');
    await takePhotosAndSubmit(session);
    const late = await upload(session.id, 'document-back');
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ status: 'fail', message: expect.any(String) });
    expect((await submit(session.id)).status).toBe(409);
  });

  it('refuses to submit without a face and a document-front image', async () => {
    const session = await create('Tester');
    const bare = await submit(session.id);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ status: 'fail', code: expect.any(Number), message: expect.stringMatching(/face, document-front/) });
    await upload(session.id, 'face');
    const half = await submit(session.id);
    expect(half.status).toBe(400);
    expect((await half.json()).message).toMatch(/missing: document-front$/);
  });

  it('checks the API key, the signature and the session token', async () => {
    const body = JSON.stringify({ verification: { vendorData: 'skr_auth' } });
    expect((await api('POST', '/v1/sessions', body, { 'x-auth-client': 'wrong' })).status).toBe(401);
    expect((await api('POST', '/v1/sessions', body, {})).status).toBe(401);
    const forged = await api('POST', '/v1/sessions', body, { 'x-auth-client': API_KEY, 'x-hmac-signature': sign(body, 'not-the-secret') });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ status: 'fail', code: 1819 });
    expect((await api('POST', '/v1/sessions', body, { 'x-auth-client': API_KEY, 'x-hmac-signature': 'zz' })).status).toBe(401);
    expect((await api('POST', '/v1/sessions', body, { 'x-auth-client': API_KEY, 'x-hmac-signature': sign(body, SECRET) })).status).toBe(201);

    const session = await create('Tester');
    expect((await upload(session.id, 'face', {})).status).toBe(401);
    expect((await upload(session.id, 'face', { 'x-session-token': 'guess' })).status).toBe(401);
    expect((await upload(session.id, 'face', { 'x-session-token': session.sessionToken })).status).toBe(200);
    // A wrong API key is not rescued by a right token.
    expect((await upload(session.id, 'face', { 'x-session-token': session.sessionToken, 'x-auth-client': 'wrong' })).status).toBe(401);
    const patch = await api('PATCH', `/v1/sessions/${session.id}`, { verification: { status: 'submitted' } }, { 'x-auth-client': 'wrong' });
    expect(patch.status).toBe(401);

    expect((await api('GET', `/v1/sessions/${session.id}/decision`)).status).toBe(401);
    const wrongId = await api('GET', `/v1/sessions/${session.id}/decision`, undefined, {
      'x-auth-client': API_KEY,
      'x-hmac-signature': sign('another-id', SECRET),
    });
    expect(await wrongId.json()).toMatchObject({ status: 'fail', code: 1818 });
  });

  it('media() lists the photos of a session and mediaContent() returns each, signed', async () => {
    const session = await create('Review');
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdbffd9', 'hex');
    for (const context of ['document-front', 'face']) {
      const res = await api('POST', `/v1/sessions/${session.id}/media`, { image: { context, content: `data:image/jpeg;base64,${jpeg.toString('base64')}` } });
      expect(res.status).toBe(200);
    }
    const media = await client.media(session.id);
    expect(media.map((m) => m.context).sort()).toEqual(['document-front', 'face']);
    expect(media[0]).toMatchObject({ id: expect.any(String), mimetype: 'image/jpeg', timestamp: expect.any(String) });
    expect(await client.mediaContent(media[0].id)).toEqual({ type: 'image/jpeg', content: jpeg });
    // Unsigned or signed for another id: refused, as Veriff does.
    expect((await api('GET', `/v1/media/${media[0].id}`)).status).toBe(401);
    expect((await api('GET', `/v1/media/${media[0].id}`, undefined, { 'x-auth-client': API_KEY, 'x-hmac-signature': sign('other', SECRET) })).status).toBe(401);
    await expect(client.mediaContent('no-such-media')).rejects.toMatchObject({ status: 404, operation: 'get media' });
    // Not an image (a photo upload checks only base64): refused rather than passed on to a browser.
    const other = await create('Tester');
    expect((await upload(other.id, 'face')).status).toBe(200);
    const [odd] = await client.media(other.id);
    await expect(client.mediaContent(odd.id)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('decision() is null before the decision and the decision after', async () => {
    const session = await create('Declined');
    expect(await client.decision(session.id)).toBeNull();
    await takePhotosAndSubmit(session);
    expect(await client.decision(session.id)).toBeNull(); // submitted, not yet decided
    const [hook] = await decisions(session.id);
    expect(await client.decision(session.id)).toEqual(parseDecision(hook.body));
    await expect(client.decision('no-such-session')).rejects.toMatchObject({ name: 'VeriffError', status: 404, code: '404', operation: 'get decision' });
  });

  it('retries a decision webhook the receiver refused', async () => {
    const session = await create('Tester', { vendorData: 'skr_refused_once' });
    refuseOnce.add('skr_refused_once');
    await takePhotosAndSubmit(session);
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS + 300));
    expect(refuseOnce.has('skr_refused_once')).toBe(false); // refused once already
    expect(webhooks('decision', session.id)).toHaveLength(0);
    const [hook] = await decisions(session.id); // the retry, a second later
    expect(verifySignature(hook.raw, hook.signature, SECRETS)).toBe(true);
    expect(parseDecision(hook.body)).toMatchObject({ sessionId: session.id, status: 'approved' });
  });

  it('answers garbage with 400 {status: fail, code, message} and never throws', async () => {
    const fails = async (res: Response, status = 400) => {
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ status: 'fail', code: expect.any(Number), message: expect.any(String) });
    };
    await fails(await api('POST', '/v1/sessions', '{not json'));
    await fails(await api('POST', '/v1/sessions', '[]'));
    await fails(await api('POST', '/v1/sessions', { verification: 'x' }));
    await fails(await api('POST', '/v1/sessions', { verification: { vendorData: 'x'.repeat(1001) } }));
    await fails(await api('POST', '/v1/sessions', { verification: { vendorData: 42 } }));
    await fails(await api('POST', '/v1/sessions', { verification: { person: 'Sam' } }));
    await fails(await api('POST', '/v1/sessions', { verification: { person: { lastName: ['x'] } } }));
    await fails(await api('POST', '/v1/sessions', { verification: { person: { dateOfBirth: '1990-13-45' } } }));
    await fails(await api('POST', '/v1/sessions', { verification: { callback: 'javascript:alert(1)' } }));
    // Finding 9 of issue 17: the browser is sent to the callback, so only a registered one is taken.
    await fails(await api('POST', '/v1/sessions', { verification: { callback: 'https://attacker.example/phish' } }));
    await fails(await api('POST', '/v1/sessions', { verification: { callback: '/seeker?veriff=submitted&next=//attacker.example' } }));
    expect((await api('POST', '/v1/sessions', { verification: { vendorData: 'x'.repeat(1000) } })).status).toBe(201);

    const session = await create('Tester');
    const media = (image: unknown) => api('POST', `/v1/sessions/${session.id}/media`, { image });
    await fails(await media(undefined));
    await fails(await media({ context: 'passport', content: IMAGE }));
    await fails(await media({ context: 'face' }));
    await fails(await media({ context: 'face', content: 'not base64!' }));
    await fails(await media({ context: 'face', content: IMAGE, timestamp: 'yesterday' }));
    await fails(await api('PATCH', `/v1/sessions/${session.id}`, { verification: { status: 'approved' } }));
    await fails(await api('PATCH', `/v1/sessions/${session.id}`, 'null'));
    await fails(await upload('no-such-session', 'face'), 404);
    await fails(await submit('no-such-session'), 404);

    const missing = await fetch(`${sandboxUrl}/session/no-such-session`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('This verification link is not valid');
  });
});

describe('signatures', () => {
  it('signs as lowercase hex HMAC-SHA256 (vector computed independently)', () => {
    const expected = createHmac('sha256', 'secret').update('{"test":1}').digest('hex');
    expect(sign('{"test":1}', 'secret')).toBe(expected);
    expect(sign(Buffer.from('{"test":1}'), 'secret')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies against every listed secret and refuses tampering and missing headers', () => {
    const body = Buffer.from('{"status":"success","verification":{"id":"s"}}');
    const byOld = sign(body, 'secret-old');
    expect(verifySignature(body, byOld, ['secret-new', 'secret-old'])).toBe(true);
    expect(verifySignature(body, byOld.toUpperCase(), ['secret-new', 'secret-old'])).toBe(true);
    expect(verifySignature(body, byOld, ['secret-new'])).toBe(false);
    expect(verifySignature(Buffer.from(`${body} `), byOld, ['secret-old'])).toBe(false);
    expect(verifySignature(body, undefined, ['secret-old'])).toBe(false);
    expect(verifySignature(body, '', ['secret-old'])).toBe(false);
    expect(verifySignature(body, 'abc', ['secret-old'])).toBe(false);
    expect(verifySignature(body, `${byOld}00`, ['secret-old'])).toBe(false);
    expect(verifySignature(body, byOld, [])).toBe(false);
    expect(verifySignature(body, sign(body, ''), [''])).toBe(false);
  });
});

describe('parsing', () => {
  const verification = {
    id: 'sess',
    attemptId: 'att',
    vendorData: 'skr_1',
    status: 'declined',
    code: 9102,
    reason: 'Suspected document tampering',
    reasonCode: 102,
    decisionTime: '2024-01-01T00:00:00Z',
  };

  it('parses a decision keyed on the status string, not the code', () => {
    expect(parseDecision({ status: 'success', verification })).toEqual({
      sessionId: 'sess',
      attemptId: 'att',
      vendorData: 'skr_1',
      status: 'declined',
      code: 9102,
      reason: 'Suspected document tampering',
      reasonCode: 102,
      decisionTime: '2024-01-01T00:00:00Z',
      person: null,
      document: null,
    });
    // 9104 is given for both expired and abandoned: the string decides.
    expect(parseDecision({ verification: { ...verification, status: 'abandoned', code: 9104 } })?.status).toBe('abandoned');
    expect(parseDecision({ verification: { ...verification, status: 'approved', code: 9102 } })?.status).toBe('approved');
    expect(
      parseDecision({ verification: { ...verification, code: '9102', reasonCode: 'x', reason: 5, vendorData: null, decisionTime: undefined } }),
    ).toMatchObject({
      code: 9102,
      reasonCode: null,
      reason: null,
      vendorData: null,
      decisionTime: null,
    });
  });

  it.each([
    undefined,
    null,
    'approved',
    42,
    [],
    {},
    { verification: null },
    { verification: [] },
    { verification: { ...verification, status: 'approvedish' } },
    { verification: { ...verification, status: 'created' } },
    { verification: { ...verification, status: 9001 } },
    { verification: { ...verification, status: 'constructor' } },
    { verification: { ...verification, id: 7 } },
    { verification: { ...verification, attemptId: undefined } },
  ])('parseDecision(%j) is undefined', (body) => {
    expect(parseDecision(body)).toBeUndefined();
  });

  it('parses events and refuses garbage', () => {
    const event = { id: 'sess', attemptId: 'att', feature: 'selfid', code: 7002, action: 'submitted', vendorData: 'skr_1', endUserId: null };
    expect(parseEvent(event)).toEqual({ sessionId: 'sess', attemptId: 'att', code: 7002, action: 'submitted', vendorData: 'skr_1' });
    expect(parseEvent({ ...event, action: 'something_new', code: 'x' })).toMatchObject({ action: 'something_new', code: null });
    for (const garbage of [
      undefined,
      null,
      'submitted',
      [],
      {},
      { ...event, id: '' },
      { ...event, attemptId: 3 },
      { ...event, action: null },
      { status: 'success', verification },
    ]) {
      expect(parseEvent(garbage)).toBeUndefined();
    }
  });
});

describe('adapter errors', () => {
  let fake: Server;
  let fakeUrl: string;

  beforeAll(async () => {
    const app = express();
    // The first path segment picks the misbehaviour.
    app.use((req, res) => {
      const mode = req.path.split('/')[1];
      if (mode === 'down') res.status(500).type('html').send('<h1>oops</h1>');
      else if (mode === 'busy') res.status(429).json({ status: 'fail', code: 429 });
      else if (mode === 'garbage') res.type('text').send('this is not json');
      else if (mode === 'shape') res.json({ status: 'success', verification: { id: 1, url: null } });
      else if (mode === 'decision') res.json({ status: 'success', verification: { id: 'other-session', attemptId: 'a', status: 'approved' } });
      else if (mode === 'slow') setTimeout(() => res.json({}), 2_000).unref();
    });
    fake = await listen(app);
    fakeUrl = urlOf(fake);
  });
  afterAll(() => close(fake));

  const clientAt = (baseUrl: string, timeoutMs?: number) =>
    new VeriffClient({ baseUrl, apiKey: API_KEY, sharedSecrets: SECRETS, ...(timeoutMs && { timeoutMs }) });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('should have failed'),
      (err: unknown) => err as VeriffError,
    );
  const person = { firstName: 'Robin', lastName: 'Privateperson', dateOfBirth: '1970-01-01' };
  const createAt = (baseUrl: string, timeoutMs?: number) => failure(clientAt(baseUrl, timeoutMs).createSession({ person, vendorData: 'skr_x' }));

  it('maps HTTP failures to their status', async () => {
    const down = await createAt(`${fakeUrl}/down`);
    expect(down).toBeInstanceOf(VeriffError);
    expect(down).toMatchObject({ status: 500, code: '500', operation: 'create session' });
    expect(isRetryable(down)).toBe(true);
    const busy = await createAt(`${fakeUrl}/busy`);
    expect(busy).toMatchObject({ status: 429, code: '429' });
    expect(isRetryable(busy)).toBe(true);
    const refused = await failure(clientAt(sandboxUrl).decision('no-such-session'));
    expect(isRetryable(refused)).toBe(false);
    const unauthorised = await failure(
      new VeriffClient({ baseUrl: sandboxUrl, apiKey: 'wrong', sharedSecrets: SECRETS }).createSession({ person, vendorData: 'skr_x' }),
    );
    expect(unauthorised).toMatchObject({ status: 401, code: '401' });
    expect(isRetryable(unauthorised)).toBe(false);
  });

  it('refuses answers it cannot read as invalid_response', async () => {
    for (const mode of ['garbage', 'shape']) {
      expect(await createAt(`${fakeUrl}/${mode}`)).toMatchObject({ status: 502, code: 'invalid_response', operation: 'create session' });
    }
    expect(await failure(clientAt(`${fakeUrl}/garbage`).decision('s'))).toMatchObject({ code: 'invalid_response', operation: 'get decision' });
    // A decision for another session than asked is not ours to trust.
    expect(await failure(clientAt(`${fakeUrl}/decision`).decision('s'))).toMatchObject({ code: 'invalid_response' });
  });

  it('times out a slow Veriff and reports a closed port as network', async () => {
    const slow = await createAt(`${fakeUrl}/slow`, 100);
    expect(slow).toMatchObject({ status: 0, code: 'timeout' });
    expect(isRetryable(slow)).toBe(true);

    const gone = await listen(express());
    const goneUrl = urlOf(gone);
    await close(gone);
    const network = await createAt(goneUrl);
    expect(network).toMatchObject({ status: 0, code: 'network' });
    expect(isRetryable(network)).toBe(true);
    // Messages name the operation and codes, never the person.
    expect(network.message).toBe('Veriff create session failed: 0 network');
  });

  it('isRetryable is false for anything but a VeriffError worth retrying', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
    expect(isRetryable(new VeriffError(400, '400', 'create session'))).toBe(false);
    expect(isRetryable(new VeriffError(503, '503', 'create session'))).toBe(true);
  });
});
