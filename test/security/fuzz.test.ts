import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinds } from '../../machines/index.ts';
import { API_KEY, createMembers, startTestServer, type TestServer } from '../helpers/server.ts';
import { arbitraryOf, mutated } from '../helpers/zod-arbitrary.ts';

/**
 * Fuzzing (issue 17): generated and mutated requests to every route and socket event, as every
 * kind of caller. Whatever comes in: no 5xx, no crash, nothing changed by a refused request, no
 * `Object.prototype` pollution. Seeded and bounded in time; a failure prints the seed and the
 * path to replay it (`FUZZ_SEED=<seed> npx vitest run test/security/fuzz.test.ts`).
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 10_000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
console.log(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run test/security/fuzz.test.ts)`);

/** Every route, with `:id` filled from the fixtures or a generated string. */
const ROUTES: [string, string][] = [
  ['POST', '/v1/commands'],
  ['POST', '/v1/sessions'],
  ['POST', '/v1/seekers'],
  ['POST', '/v1/providers'],
  ['GET', '/v1/actors'],
  ['GET', '/v1/actors/counts'],
  ['GET', '/v1/actors/:id'],
  ['GET', '/v1/actors/:id/history'],
  ['POST', '/v1/links'],
  ['GET', '/v1/providers'],
  ['GET', '/v1/providers/:id'],
  ['GET', '/v1/notifications'],
  ['GET', '/v1/members'],
  ['GET', '/v1/seekers/:id/inbox'],
  ['POST', '/v1/seekers/:id/inbox/dismiss_mask'],
  ['POST', '/v1/seekers/:id/gate'],
  ['GET', '/v1/seekers/:id/screening_history'],
  ['POST', '/v1/seekers/:id/idme'],
  ['GET', '/v1/idme/callback'],
  ['GET', '/v1/cases'],
  ['GET', '/v1/cases/:id'],
  ['POST', '/v1/cases'],
  ['POST', '/v1/cases/:id'],
  ['POST', '/v1/cases/:id/comments'],
  ['POST', '/v1/candidates'],
  ['GET', '/v1/candidates'],
  ['GET', '/v1/candidates/:id'],
  ['POST', '/v1/candidates/:id'],
  ['POST', '/v1/candidates/:id/continuous_checks'],
  ['GET', '/v1/candidates/:id/continuous_checks'],
  ['GET', '/v1/continuous_checks/:id'],
  ['POST', '/v1/invitations'],
  ['GET', '/v1/invitations'],
  ['GET', '/v1/invitations/:id'],
  ['GET', '/v1/packages'],
  ['GET', '/v1/packages/:id'],
  ['POST', '/v1/reports'],
  ['GET', '/v1/reports/:id'],
  ['POST', '/v1/reports/:id'],
  ['POST', '/v1/reports/:id/complete'],
  ['GET', '/v1/reports/:id/adverse_items'],
  ['POST', '/v1/reports/:id/adverse_actions'],
  ['GET', '/v1/adverse_actions/:id'],
  ['GET', '/v1/ssn_traces/:id'],
  ['POST', '/v1/webhooks'],
  ['GET', '/v1/webhooks'],
  ['GET', '/v1/webhooks/:id'],
  ['DELETE', '/v1/webhooks/:id'],
  ['GET', '/v1/events'],
  ['GET', '/v1/events/:id'],
  ['POST', '/v1/events/:id/redeliver'],
  ['POST', '/v1/vendors/veriff/decisions'],
  ['POST', '/v1/vendors/veriff/events'],
  ['POST', '/v1/vendors/sterling/callback/:id'],
  ['GET', '/apply/:id'],
  ['POST', '/apply/:id'],
  ['GET', '/apply/:id/status'],
  ['POST', '/apply/:id/status'],
  ['GET', '/demo/members'],
  ['POST', '/demo/sessions'],
  ['POST', '/sandbox/sterling/alerts'],
  ['GET', '/:id'],
];
const SOCKET_EVENTS = ['command', 'subscribe', 'unsubscribe', 'constructor', '__proto__', 'hasOwnProperty', 'toString'];

/** A command for any kind's any event, its fields derived from the event's zod schema. */
const derivedCommand = (actors: string[]) =>
  fc.oneof(
    ...Object.values(kinds).flatMap((kind) =>
      Object.entries(kind.commands).map(([type, command]) =>
        fc.record({
          actor: fc.constantFrom(...actors),
          event: mutated(arbitraryOf(command.fields)).map((fields) => (isPlain(fields) ? { ...fields, type } : { type, fields })),
          expected_version: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
        }),
      ),
    ),
  );

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe('fuzzing every route and socket event', { timeout: 120_000 }, () => {
  let t: TestServer;
  let actors: string[];
  let tokens: Record<string, string | undefined>;
  let sockets: Socket[];
  let commits = 0;
  const baseline = prototypeKeys();

  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' });
    const { seekerId, providerId } = await createMembers(t);
    const candidate = (await t.api('POST', '/v1/candidates', { email: 'fuzz@example.com' })).body.id as string;
    actors = [seekerId, providerId, candidate, 'lnk_00000000000000000000', 'x'];
    tokens = {
      integrator: undefined,
      seeker: await t.session(seekerId, 'seeker'),
      provider: await t.session(providerId, 'provider'),
      agent: await t.session('agent_fuzz', 'agent'),
      reviewer: await t.session('reviewer_fuzz', 'reviewer'),
    };
    sockets = await Promise.all(Object.values(tokens).map((token) => t.socket(token ?? API_KEY)));
    t.server.store.onCommitted(() => commits++);
  });
  afterAll(() => t?.close());

  /** Until no commit came for a while: effects of earlier successes have settled. */
  async function quiet() {
    for (let seen = -1; seen !== commits; ) {
      seen = commits;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  const callers = fc.constantFrom('integrator', 'seeker', 'provider', 'agent', 'reviewer', 'nobody', 'garbage');
  const headersOf = (caller: string): Record<string, string> => {
    if (caller === 'nobody') return {};
    if (caller === 'garbage') return { authorization: 'Bearer not-a-token' };
    const token = tokens[caller];
    return { authorization: token ? `Bearer ${token}` : `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` };
  };
  const segment = () =>
    fc.oneof(fc.constantFrom(...actors), fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.constantFrom('%E0%A4%A', '%00', '..', '__proto__', '%2F'));
  const body = () =>
    fc.oneof(
      { weight: 4, arbitrary: derivedCommand(actors).map((value) => ({ type: 'application/json', text: JSON.stringify(value) })) },
      { weight: 2, arbitrary: mutated(fc.jsonValue({ maxDepth: 3 })).map((value) => ({ type: 'application/json', text: JSON.stringify(value) ?? 'null' })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ type: 'application/json', text })) },
      {
        weight: 1,
        arbitrary: fc
          .dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
          .map((form) => ({ type: 'application/x-www-form-urlencoded', text: `${new URLSearchParams(form)}&a[__proto__][polluted]=yes` })),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const request = () =>
    fc.record({
      route: fc.constantFrom(...ROUTES),
      id: segment(),
      query: fc.dictionary(
        fc.constantFrom('q', 'type', 'state', 'code', 'error', 'page', 'per_page', 'member', 'kind', 't', 'include', 'email'),
        fc.string({ maxLength: 10 }),
        { maxKeys: 3 },
      ),
      caller: callers,
      body: body(),
    });

  type Request = { route: [string, string]; id: string; query: Record<string, string>; caller: string; body?: { type: string; text: string } };
  const send = async ({ route: [method, template], id, query, caller, body }: Request) => {
    const search = new URLSearchParams(query).toString();
    const url = `${t.url}${template.replace(':id', id)}${search ? `?${search}` : ''}`;
    const headers = { ...headersOf(caller), ...(body && method !== 'GET' ? { 'content-type': body.type } : {}) };
    return fetch(url, { method, headers, body: method === 'GET' ? undefined : body?.text, redirect: 'manual' });
  };

  it('REST: no 5xx, refusals change nothing, no prototype pollution', async () => {
    await quiet();
    await fc.assert(
      fc.asyncProperty(request(), async (req) => {
        const before = commits;
        const res = await send(req);
        const text = await res.text();
        expect(res.status, `${req.route.join(' ')} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(prototypeKeys()).toBe(baseline);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (res.status >= 400) expect(commits, `${req.route.join(' ')} was refused (${res.status}) yet committed`).toBe(before);
        else await quiet();
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('sockets: every event acked in shape or ignored, the socket kept, no pollution', async () => {
    await quiet();
    const payload = fc.oneof({ weight: 3, arbitrary: derivedCommand(actors) }, { weight: 1, arbitrary: mutated(fc.jsonValue({ maxDepth: 3 })) });
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sockets.length - 1 }), fc.constantFrom(...SOCKET_EVENTS), payload, async (which, event, value) => {
        const socket = sockets[which];
        const before = commits;
        const ack = await socket
          .timeout(5_000)
          .emitWithAck(event, value)
          .catch(() => 'no ack');
        if (event === 'command' || event === 'subscribe' || event === 'unsubscribe') {
          expect(ack).toMatchObject({ ok: expect.any(Boolean) });
          expect((ack as { status?: number }).status ?? 200).toBeLessThan(500);
        }
        expect(socket.connected).toBe(true);
        expect(prototypeKeys()).toBe(baseline);
        if ((ack as { ok?: boolean }).ok === false) expect(commits).toBe(before);
        else await quiet();
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
  });
});
