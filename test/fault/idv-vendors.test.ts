import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/runtime/clock.ts';
import { eventually } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A vendor that is down, slow or answers garbage never leaves a seeker stuck (issue 4): the call
 * is retried with back-off until the seeker's time-out (a durable reminder), which returns them to
 * `required` with a message; a late retry then calls no one, and once the vendor is back the seeker
 * starts again and passes. A forged or unsigned Veriff webhook changes nothing; a replayed one is
 * applied once.
 */

type Mode = 'healthy' | 'error' | 'garbage' | 'slow' | 'reset';

/** A vendor in front of the real sandbox: passes calls through when healthy, fails them as told otherwise. */
class FlakyVendor {
  mode: Mode = 'healthy';
  target = '';
  hits = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      this.hits++;
      const body = await read(req);
      switch (this.mode) {
        case 'error':
          return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":8000,"message":"internal"}');
        case 'garbage':
          return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        case 'reset':
          return void req.socket.destroy();
        case 'slow':
          await new Promise((r) => setTimeout(r, 5_000));
          return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        case 'healthy': {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
          const answer = await fetch(this.target + req.url, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
          res
            .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
            .end(Buffer.from(await answer.arrayBuffer()));
        }
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const MINUTE = 60_000;
const VERIFF_SECRET = 'test-veriff-secret';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of cleanup.reverse()) await close();
});

/** The vendors' credentials, shared by the server under test and the one whose sandboxes stand in for the vendor. */
const CREDENTIALS = { PROVE_CLIENT_SECRET: 'test-prove-secret', VERIFF_API_KEY: 'test-veriff-key', VERIFF_SHARED_SECRETS: VERIFF_SECRET };

/**
 * A server whose Prove or Veriff is the flaky vendor, on a simulated clock. A server with a
 * vendor URL mounts no sandbox of that vendor, so the flaky vendor passes calls on to a second
 * server's sandbox (same credentials). A call times out after 2 s (the slow vendor takes 5 s):
 * shorter would fail healthy calls on a loaded machine, and their retry waits for the simulated clock.
 */
async function serverWith(vendor: 'prove' | 'veriff') {
  const flaky = new FlakyVendor();
  const url = await flaky.start();
  const vendorSide = await startTestServer(CREDENTIALS);
  const clock = new ManualClock(Date.now());
  const t = await startTestServer({ ...CREDENTIALS, [`${vendor.toUpperCase()}_URL`]: url, VENDOR_TIMEOUT_MS: '2000', SANDBOX_VERIFF_DELAY_MS: '50' }, clock);
  flaky.target = `${vendorSide.url}/sandbox/${vendor}`;
  cleanup.push(
    () => flaky.close(),
    () => t.close(),
    () => vendorSide.close(),
  );
  return { t, flaky, clock };
}

let serial = 0;
/** A starter seeker in verification, their legal information given; `ending` picks the Prove test phone. */
async function seekerInVerification(t: TestServer, ending: '00' | '01' | '99') {
  const n = `${process.pid % 1000}${String(++serial).padStart(4, '0')}`.padStart(8, '0');
  const seeker = (await t.api('POST', '/v1/seekers', { email: `flaky-${n}@example.com`, plan: 'starter' })).body;
  const token = await t.session(seeker.id, 'seeker');
  const send = (event: Record<string, unknown>) => command(t, seeker.id, event, token);
  expect((await send({ type: 'START_VERIFICATION' })).status).toBe(200);
  const legal = {
    legal_first_name: `Robin${n}`,
    legal_last_name: 'Flaky',
    dob: '1985-02-03',
    address: '9 Elm Street, Springfield',
    phone: `+1 ${n.slice(0, 3)} ${n.slice(3)}${ending}`,
  };
  expect((await send({ type: 'SUBMIT_LEGAL_INFO', ...legal })).status).toBe(200);
  const view = () => t.api('GET', `/v1/actors/${seeker.id}`, undefined, { token }).then((r) => r.body);
  return { id: seeker.id as string, send, view };
}

describe.each(['error', 'garbage', 'slow', 'reset'] as const)('Prove %s', (mode) => {
  it('is retried with back-off, times out to `required` with a message, calls no one late, and works once back', async () => {
    const { t, flaky, clock } = await serverWith('prove');
    flaky.mode = mode;
    const seeker = await seekerInVerification(t, '00');
    await eventually(
      () => Promise.resolve(flaky.hits),
      (hits) => hits >= 1,
    );
    expect((await seeker.view()).data.idv).toMatchObject({ step: 'prove_checking' });

    clock.advance(6_000); // past the first back-off
    await eventually(
      () => Promise.resolve(flaky.hits),
      (hits) => hits >= 2,
    );
    expect((await seeker.view()).data.idv_status).toBe('in_progress');

    clock.advance(2 * MINUTE); // the seeker's time-out
    const back = await eventually(seeker.view, (v) => v.data.idv_status === 'required');
    expect(back.data.idv).toMatchObject({ step: null, message: 'vendor_unavailable' });
    expect(back.can).toContain('START_VERIFICATION');

    // The outbox still retries the abandoned call, but it reaches no vendor.
    const hits = flaky.hits;
    clock.advance(10 * MINUTE);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(flaky.hits).toBe(hits);

    flaky.mode = 'healthy';
    expect((await seeker.send({ type: 'START_VERIFICATION' })).body.actor.data.idv.step, 'the legal information is kept: straight to Prove').toBe(
      'prove_checking',
    );
    await eventually(seeker.view, (v) => v.data.idv_status === 'verified');
  });
});

/** Every reminder the store holds for an actor, due or not, by its key. */
async function remindersOf(t: TestServer, actor: string): Promise<string[]> {
  const all = await t.server.store.dueReminders('9999-12-31T23:59:59.999Z', 10_000);
  return all.filter((r) => r.actor === actor).map((r) => r.id.slice(actor.length + 1));
}

describe('Prove sending an SMS code', () => {
  it('stops the vendor time-out: a seeker typing the code is not sent back to `required` when it would have come due', async () => {
    const { t, flaky, clock } = await serverWith('prove');
    const typing = await seekerInVerification(t, '01');
    await eventually(typing.view, (v) => v.data.idv.step === 'sms_code');
    expect(await remindersOf(t, typing.id), 'no vendor is waited on while the seeker types').toEqual([]);

    // A seeker whose Prove never answers, waiting since after the first: their time-out is due later.
    flaky.mode = 'error';
    const waiting = await seekerInVerification(t, '00');
    clock.advance(2 * MINUTE + 1_000);
    const timedOut = await eventually(waiting.view, (v) => v.data.idv_status === 'required');
    expect(timedOut.data.idv.message).toBe('vendor_unavailable');

    const still = await typing.view();
    expect({ status: still.data.idv_status, step: still.data.idv.step, message: still.data.idv.message }).toEqual({
      status: 'in_progress',
      step: 'sms_code',
      message: null,
    });
    flaky.mode = 'healthy';
    expect((await typing.send({ type: 'SUBMIT_OTP', code: '123456' })).status).toBe(200);
    await eventually(typing.view, (v) => v.data.idv_status === 'verified');
    expect(await remindersOf(t, typing.id), 'a verified seeker waits on no vendor').toEqual([]);
  });
});

describe('Prove stopped', () => {
  it('a closed port is a vendor down: the seeker is back at `required`, never stuck', async () => {
    const clock = new ManualClock(Date.now());
    const t = await startTestServer({ PROVE_URL: 'http://127.0.0.1:9', VENDOR_TIMEOUT_MS: '200' }, clock);
    cleanup.push(() => t.close());
    const seeker = await seekerInVerification(t, '00');
    await new Promise((r) => setTimeout(r, 300));
    clock.advance(2 * MINUTE + 1_000);
    expect((await eventually(seeker.view, (v) => v.data.idv_status === 'required')).data.idv.message).toBe('vendor_unavailable');
  });
});

describe('Veriff failing to create the session', () => {
  it('times out to `required`; once back, the seeker reaches the hosted page', async () => {
    const { t, flaky, clock } = await serverWith('veriff');
    flaky.mode = 'error';
    const seeker = await seekerInVerification(t, '99');
    await eventually(seeker.view, (v) => v.data.idv.step === 'veriff_starting');
    await eventually(
      () => Promise.resolve(flaky.hits),
      (hits) => hits >= 1,
    );
    clock.advance(2 * MINUTE + 1_000);
    expect((await eventually(seeker.view, (v) => v.data.idv_status === 'required')).data.idv.message).toBe('vendor_unavailable');

    flaky.mode = 'healthy';
    await seeker.send({ type: 'START_VERIFICATION' });
    const capturing = await eventually(seeker.view, (v) => v.data.idv.step === 'veriff_capture');
    expect(capturing.data.idv.session_url).toMatch(/^\/sandbox\/veriff\/session\//);
  });
});

describe('Veriff webhooks', () => {
  const signed = (body: string, secret = VERIFF_SECRET) => createHmac('sha256', secret).update(body).digest('hex');
  const post = (t: TestServer, body: string, signature?: string) =>
    fetch(`${t.url}/v1/vendors/veriff/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hmac-signature': signature } : {}) },
      body,
    });

  it('refuses forged and unsigned decisions, changing nothing, and applies a replayed one once', async () => {
    const { t } = await serverWith('prove');
    const seeker = await seekerInVerification(t, '99');
    const capturing = await eventually(seeker.view, (v) => v.data.idv.step === 'veriff_capture');
    const session = capturing.data.idv.veriff_session_id;
    const history = async () => (await t.api('GET', `/v1/actors/${seeker.id}/history`)).body.data.map((h: any) => h.event.type);
    const before = await history();

    const decision = JSON.stringify({
      status: 'success',
      verification: {
        id: session,
        attemptId: 'att_1',
        vendorData: seeker.id,
        status: 'approved',
        code: 9001,
        reason: null,
        reasonCode: null,
        decisionTime: new Date().toISOString(),
      },
    });
    expect((await post(t, decision, signed(decision, 'not-the-secret'))).status).toBe(401);
    expect((await post(t, decision)).status).toBe(401);
    expect((await post(t, decision.replace('approved', 'declined'), signed(decision))).status, 'a body changed after signing').toBe(401);
    expect(await history()).toEqual(before);
    expect((await seeker.view()).data.idv.step).toBe('veriff_capture');

    expect((await post(t, decision, signed(decision))).status).toBe(200);
    expect((await post(t, decision, signed(decision))).status, 'Veriff retries until 200: a replay is answered 200').toBe(200);
    await eventually(seeker.view, (v) => v.data.idv_status === 'verified');
    expect((await history()).filter((type: string) => type === 'VERIFF_DECISION')).toHaveLength(1);
    const attempts = (await t.api('GET', `/v1/seekers/${seeker.id}/screening_history`)).body.data;
    expect(attempts.filter((a: any) => a.vendor === 'veriff')).toHaveLength(1);
  });
});
