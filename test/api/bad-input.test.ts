import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, pendingLink } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';

const INTEGRATOR = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;

/** P7: bad input of any kind gets a documented 4xx in the error shape, and changes nothing. */
describe('bad input (P7)', () => {
  let t: TestServer;
  let seekerId: string;
  let otherSeeker: string;
  let providerId: string;
  let linkId: string;
  let draftId: string;
  let foreignLink: string;
  let seekerToken: string;
  let agentToken: string;
  let before: Map<string, number>;

  /** Every actor the integrator sees, with its version. */
  async function store(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (let page = 1; ; page++) {
      const res = await t.api('GET', `/v1/actors?per_page=100&page=${page}`);
      for (const actor of res.body.data) versions.set(actor.id, actor.version);
      if (!res.body.next_href) return versions;
    }
  }

  /** A raw request, so that bodies and headers can be anything. */
  async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const res = await fetch(t.url + path, {
      method,
      headers: { authorization: INTEGRATOR, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }

  function expectError(res: { status: number; body: any }, status: number, code: string, label = '') {
    expect(res.status, `${label} → ${JSON.stringify(res.body)}`).toBe(status);
    expect(res.body, label).toEqual({ error: expect.any(String), code, details: expect.any(Object), docs: expect.stringMatching(/\/docs\/errors(#\w+)?$/) });
    expect(res.body.error.length, label).toBeGreaterThan(0);
  }

  const commands = (body: unknown, token?: string) => t.api('POST', '/v1/commands', body, { token });

  beforeAll(async () => {
    t = await startTestServer();
    [seekerId, otherSeeker, providerId] = await Promise.all([createSeeker(t), createSeeker(t), createProvider(t)]);
    await completeIdme(t, seekerId);
    await completeIdme(t, otherSeeker);
    seekerToken = await t.session(seekerId, 'seeker');
    agentToken = await t.session('agent-1', 'agent');
    linkId = await pendingLink(t, seekerId, providerId, seekerToken);
    draftId = (await createLink(t, seekerId, await createProvider(t), seekerToken)).id;
    foreignLink = await pendingLink(t, otherSeeker, providerId);
    before = await store();
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses malformed JSON and bodies that are not JSON objects', async () => {
    for (const body of [
      '{',
      '{"actor":',
      "{'actor':'x'}",
      '{"actor":"lnk_x",}',
      'actor=x',
      '\u0000\u0001',
      '[]',
      'null',
      '"CONFIRM_HIRE"',
      '42',
      'true',
      '[{"actor":"x"}]',
    ]) {
      for (const path of ['/v1/commands', '/v1/seekers', '/v1/links', '/v1/sessions']) {
        expectError(await raw('POST', path, body), 400, 'invalid_request', `${path} ${JSON.stringify(body)}`);
      }
    }
    expectError(await raw('POST', '/v1/commands', ''), 400, 'invalid_request', 'empty body');
  });

  it('refuses a body sent as another content type', async () => {
    const body = JSON.stringify({ actor: linkId, event: { type: 'CANCEL_REQUEST' } });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await raw('POST', '/v1/commands', body, { 'content-type': type });
      expect([400, 415], type).toContain(res.status);
      expect(res.body).toMatchObject({ error: expect.any(String), code: expect.stringMatching(/^(invalid_request|unsupported_media_type)$/) });
    }
    const latin = await raw('POST', '/v1/commands', body, { 'content-type': 'application/json; charset=latin1' });
    expect([400, 415]).toContain(latin.status);
  });

  it('refuses unknown fields, at the top and inside the event', async () => {
    // Events the link would accept, so that a server ignoring the extra field would apply them.
    const cases: unknown[] = [
      { actor: draftId, event: { type: 'CONFIRM_HIRE' }, force: true },
      { actor: draftId, event: { type: 'CONFIRM_HIRE', hire_confirmed: true } },
      { actor: linkId, event: { type: 'ACCEPT', ...DISCLOSURE, accepted: true } },
      { actor: draftId, event: { type: 'CONFIRM_HIRE' }, expected_version: 1, extra: null },
      { actor: draftId, event: { type: 'CONFIRM_HIRE', constructor: 'x' } },
    ];
    for (const body of cases) expectError(await commands(body), 400, 'invalid_request', JSON.stringify(body));
    for (const junk of ['"__proto__":{"by":"system"}', '"__proto__":null', '"by":"system"', '"at":"2020-01-01T00:00:00Z"']) {
      const res = await raw('POST', '/v1/commands', `{"actor":"${draftId}","event":{"type":"CONFIRM_HIRE",${junk}}}`);
      expectError(res, 400, 'invalid_request', `${junk} in the event`);
    }
    expectError(
      await raw('POST', '/v1/commands', `{"actor":"${draftId}","event":{"type":"CONFIRM_HIRE"},"__proto__":{}}`),
      400,
      'invalid_request',
      '__proto__ at the top',
    );
    expectError(await t.api('POST', '/v1/seekers', { email: 'a@example.com', plan: 'complete', role: 'admin' }), 400, 'invalid_request', 'seeker extra');
    expectError(await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: providerId, status: 'active' }), 400, 'invalid_request', 'link extra');
  });

  it('refuses unknown event types and the runtime’s own events', async () => {
    const system = [
      'IDME_VERIFIED',
      'MEMBER_LEFT',
      'CLAIM_SLOT',
      'SLOT_REFUSED',
      'RELEASE_SLOT',
      'HIRE_CONFIRMED',
      'RECORD_FOUND',
      'REMIND_PROVIDER',
      'CREATED',
    ];
    for (const type of [...system, 'NOPE', 'cancel_request', 'CANCEL_REQUEST ', 'xstate.init']) {
      for (const actor of [linkId, draftId, seekerId, providerId]) {
        for (const token of [undefined, seekerToken, agentToken]) {
          const res = await commands({ actor, event: { type, reason: 'monitoring_limit_reached', link: linkId, provider_id: providerId } }, token);
          expectError(res, 400, 'invalid_request', `${type} to ${actor}`);
        }
        expectError(await commands({ actor, event: { type } }), 400, 'invalid_request', `${type} alone to ${actor}`);
      }
    }
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('refuses the event type %s like any unknown type', async (type) => {
    for (const actor of [linkId, seekerId, providerId]) {
      expectError(await commands({ actor, event: { type } }), 400, 'invalid_request', `${type} to ${actor}`);
      expectError(await commands({ actor, event: { type } }, seekerToken), 400, 'invalid_request', `${type} to ${actor} as the seeker`);
    }
  });

  it('refuses badly typed and missing fields', async () => {
    const cases: unknown[] = [
      {},
      { actor: linkId },
      { event: { type: 'CANCEL_REQUEST' } },
      { actor: linkId, event: {} },
      { actor: linkId, event: { type: '' } },
      { actor: linkId, event: { type: 42 } },
      { actor: linkId, event: { type: null } },
      { actor: linkId, event: 'CANCEL_REQUEST' },
      { actor: linkId, event: ['CANCEL_REQUEST'] },
      { actor: 42, event: { type: 'CANCEL_REQUEST' } },
      { actor: null, event: { type: 'CANCEL_REQUEST' } },
      { actor: '', event: { type: 'CANCEL_REQUEST' } },
      { actor: 'x'.repeat(10_000), event: { type: 'CANCEL_REQUEST' } },
      { actor: linkId, event: { type: 'CANCEL_REQUEST' }, expected_version: '1' },
      { actor: linkId, event: { type: 'CANCEL_REQUEST' }, expected_version: -1 },
      { actor: linkId, event: { type: 'CANCEL_REQUEST' }, expected_version: 1.5 },
      { actor: linkId, event: { type: 'CANCEL_REQUEST' }, expected_version: null },
      { actor: linkId, event: { type: 'ACCEPT' } },
      { actor: linkId, event: { type: 'ACCEPT', disclosure_version: 3 } },
      { actor: linkId, event: { type: 'ACCEPT', disclosure_version: '' } },
      { actor: linkId, event: { type: 'ACCEPT', disclosure_version: 'v'.repeat(100_000) } },
      { actor: linkId, event: { type: 'ACCEPT', disclosure_version: { $gt: '' } } },
      { actor: linkId, event: { type: 'STAFF_REMOVE', side: 'seeker' } },
      { actor: linkId, event: { type: 'STAFF_REMOVE', side: 'both', reason: 'x' } },
      { actor: linkId, event: { type: 'REPORT_CONCERN', report_id: 'rpt_1' } },
      { actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'gold' } },
      { actor: seekerId, event: { type: 'CHANGE_PLAN' } },
      { actor: seekerId, event: { type: 'CHANGE_PLAN', plan: ['starter'] } },
    ];
    for (const body of cases) expectError(await commands(body), 400, 'invalid_request', JSON.stringify(body).slice(0, 120));
    // The details name the offending field.
    const detailed = await commands({ actor: linkId, event: { type: 'ACCEPT', disclosure_version: 3 } });
    expect(JSON.stringify(detailed.body.details)).toContain('disclosure_version');
  });

  it('refuses invalid members, sessions and links', async () => {
    const seekers: unknown[] = [
      { plan: 'complete' },
      { email: 'someone@example.com' },
      { email: 'not-an-email', plan: 'complete' },
      { email: '@example.com', plan: 'complete' },
      { email: 'a@b', plan: 'complete' },
      { email: `${'a'.repeat(300)}@example.com`, plan: 'complete' },
      { email: 42, plan: 'complete' },
      { email: 'a@example.com', plan: 'gold' },
      { email: 'a@example.com', plan: 'Complete' },
      { email: 'a@example.com', plan: null },
      { email: 'a@example.com', plan: 'complete', first_name: '' },
      { email: 'a@example.com', plan: 'complete', first_name: 'x'.repeat(101) },
      { email: 'a@example.com', plan: 'complete', phone: 'call me' },
      { email: 'a@example.com', plan: 'complete', phone: 5551234567 },
    ];
    for (const body of seekers) expectError(await t.api('POST', '/v1/seekers', body), 400, 'invalid_request', `seeker ${JSON.stringify(body).slice(0, 80)}`);
    for (const body of [
      { email: 'p@example.com', first_name: 'P' },
      { email: 'p@example.com', first_name: 'P', last_name: '   ' },
    ]) {
      expectError(await t.api('POST', '/v1/providers', body), 400, 'invalid_request', `provider ${JSON.stringify(body)}`);
    }
    for (const body of [
      { subject: seekerId },
      { subject: seekerId, role: 'admin' },
      { subject: '../../etc/passwd', role: 'agent' },
      { subject: '', role: 'agent' },
    ]) {
      expectError(await t.api('POST', '/v1/sessions', body), 400, 'invalid_request', `session ${JSON.stringify(body)}`);
    }
    for (const body of [{ seeker_id: seekerId }, { provider_id: providerId }, { seeker_id: 1, provider_id: providerId }]) {
      expectError(await t.api('POST', '/v1/links', body), 400, 'invalid_request', `link ${JSON.stringify(body)}`);
    }
  });

  it('refuses a body over 1 MB with 413', async () => {
    const huge = JSON.stringify({ actor: linkId, event: { type: 'REPORT_CONCERN', report_id: 'rpt_1', text: 'x'.repeat(1_100_000) } });
    expectError(await raw('POST', '/v1/commands', huge), 413, 'payload_too_large', 'huge command');
    expectError(
      await raw('POST', '/v1/seekers', JSON.stringify({ email: 'a@example.com', plan: 'complete', pad: 'x'.repeat(2_000_000) })),
      413,
      'payload_too_large',
      'huge seeker',
    );
  });

  it('survives deeply nested junk', async () => {
    const depth = 200_000;
    const nested = `{"actor":"${linkId}","event":{"type":"CANCEL_REQUEST","junk":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const res = await raw('POST', '/v1/commands', nested);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const objects = `{"actor":"${linkId}","event":${'{"type":"CANCEL_REQUEST","e":'.repeat(20_000)}null${'}'.repeat(20_000)}}`;
    expectError(await raw('POST', '/v1/commands', objects), 400, 'invalid_request', 'nested events');
    const asSeeker = await raw('POST', '/v1/seekers', `{"email":${'['.repeat(depth)}${']'.repeat(depth)},"plan":"complete"}`);
    expect(asSeeker.status).toBe(400);
  });

  it('answers unknown ids and routes with 404', async () => {
    for (const path of [
      '/v1/actors/skr_doesnotexist',
      '/v1/actors/lnk_doesnotexist/history',
      '/v1/actors/..%2F..%2Fsecrets.json',
      '/v1/notifications?recipient=prv_nope',
      '/v1/nothing-here',
      '/v1/actors/__proto__',
      '/v1/actors/constructor/history',
      '/v1/notifications?recipient=__proto__',
      '/v1/notifications?recipient=toString',
    ]) {
      expectError(await t.api('GET', path), 404, 'not_found', path);
    }
    for (const [actor, type] of [
      ['lnk_doesnotexist', 'CANCEL_REQUEST'],
      ['skr_doesnotexist', 'CLOSE_ACCOUNT'],
      ['prv_doesnotexist', 'CLOSE_ACCOUNT'],
      ['nothing', 'CLOSE_ACCOUNT'],
      ['__proto__', 'CLOSE_ACCOUNT'],
      ['constructor', 'CLOSE_ACCOUNT'],
    ]) {
      expectError(await commands({ actor, event: { type } }), 404, 'not_found', actor);
    }
    expectError(await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: 'prv_nope' }), 404, 'not_found', 'unknown provider');
    expectError(await t.api('POST', '/v1/links', { seeker_id: 'skr_nope', provider_id: providerId }), 404, 'not_found', 'unknown seeker');
    expectError(await t.api('POST', '/v1/links', { seeker_id: providerId, provider_id: seekerId }), 404, 'not_found', 'swapped ids');
    expectError(await t.api('POST', '/v1/sessions', { subject: 'skr_nope', role: 'seeker' }), 404, 'not_found', 'session for nobody');
    expectError(await t.api('POST', '/v1/sessions', { subject: providerId, role: 'seeker' }), 404, 'not_found', 'session with the wrong role');
  });

  it('refuses bad list parameters', async () => {
    for (const query of [
      'page=0',
      'page=-1',
      'page=abc',
      'page=1.5',
      'per_page=0',
      'per_page=101',
      'per_page=x',
      'per_page=1e9',
      'kind=unicorn',
      'kind=',
      'page=1&page=2',
      `status=${'x'.repeat(100)}`,
    ]) {
      expectError(await t.api('GET', `/v1/actors?${query}`), 400, 'invalid_request', query);
    }
    expectError(await t.api('GET', `/v1/notifications?recipient=${seekerId}&per_page=1000`), 400, 'invalid_request', 'notifications per_page');
    expectError(await t.api('GET', '/v1/notifications'), 400, 'invalid_request', 'notifications without recipient');
  });

  describe('error precedence (401, 400, 413, 404, 403, 409 version_conflict, then the rest)', () => {
    it('401 before anything else', async () => {
      for (const authorization of [undefined, 'Bearer nope']) {
        const headers = authorization ? { authorization } : { authorization: '' };
        expectError(await raw('POST', '/v1/commands', '{ not json', headers), 401, 'unauthorized', 'bad JSON');
        expectError(
          await raw('POST', '/v1/commands', JSON.stringify({ actor: 'lnk_nope', event: { type: 'CLOSE_ACCOUNT' } }), headers),
          401,
          'unauthorized',
          'unknown id',
        );
        expectError(await raw('POST', '/v1/commands', 'x'.repeat(2_000_000), headers), 401, 'unauthorized', 'huge body');
        expectError(await raw('GET', '/v1/actors?page=0', undefined, headers), 401, 'unauthorized', 'bad page');
      }
    });

    it('400 before 404 and 403', async () => {
      // A malformed command to an actor that does not exist, or that the caller may not see.
      expectError(await commands({ actor: 'lnk_doesnotexist', event: { type: 'NOPE' } }), 400, 'invalid_request', 'unknown type, unknown link');
      expectError(await commands({ actor: 'lnk_doesnotexist', event: { type: 'CANCEL_REQUEST', x: 1 } }), 400, 'invalid_request', 'extra field, unknown link');
      expectError(await commands({ actor: foreignLink, event: { type: 'ACCEPT' } }, seekerToken), 400, 'invalid_request', 'missing field, foreign link');
      // A staff member sending a malformed request they would be refused anyway.
      expectError(await commands({ actor: linkId, event: { type: 'ACCEPT', disclosure_version: 1 } }, agentToken), 400, 'invalid_request', 'staff, bad field');
      expectError(await t.api('POST', '/v1/links', { seeker_id: seekerId }, { token: agentToken }), 400, 'invalid_request', 'staff link, bad body');
      expectError(
        await t.api('POST', '/v1/seekers', { email: 'nope', plan: 'complete' }, { token: seekerToken }),
        400,
        'invalid_request',
        'member creating a seeker, bad body',
      );
    });

    it('404 before 403', async () => {
      // A seeker sending a provider's event to another seeker's link: it does not exist for them.
      expectError(await commands({ actor: foreignLink, event: { type: 'ACCEPT', ...DISCLOSURE } }, seekerToken), 404, 'not_found', 'foreign link');
      expectError(
        await commands({ actor: 'lnk_doesnotexist', event: { type: 'STAFF_REMOVE', side: 'seeker', reason: 'x' } }, seekerToken),
        404,
        'not_found',
        'unknown link',
      );
      expectError(
        await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: 'prv_nope' }, { token: agentToken }),
        404,
        'not_found',
        'staff, unknown provider',
      );
      expectError(
        await t.api('POST', '/v1/links', { seeker_id: otherSeeker, provider_id: providerId }, { token: seekerToken }),
        404,
        'not_found',
        'foreign seeker',
      );
    });

    it('403 before 409 and 422', async () => {
      // Stale version and an event the state does not accept: the role is refused first.
      expectError(
        await commands({ actor: linkId, event: { type: 'STAFF_REMOVE', side: 'seeker', reason: 'x' }, expected_version: 0 }, seekerToken),
        403,
        'forbidden',
        'member STAFF_REMOVE, stale',
      );
      expectError(
        await commands({ actor: linkId, event: { type: 'CONFIRM_HIRE' }, expected_version: 0 }, agentToken),
        403,
        'forbidden',
        'staff CONFIRM_HIRE, stale, not accepted',
      );
      expectError(
        await commands({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'complete' } }, seekerToken),
        403,
        'forbidden',
        'seeker CHANGE_PLAN to current plan',
      );
    });

    it('409 version_conflict before invalid_transition and business rules', async () => {
      // CONFIRM_HIRE is not accepted by a pending link; the stale version is reported first.
      expectError(
        await commands({ actor: linkId, event: { type: 'CONFIRM_HIRE' }, expected_version: 0 }, seekerToken),
        409,
        'version_conflict',
        'stale, not accepted',
      );
      expectError(
        await commands({ actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'complete' }, expected_version: 0 }),
        409,
        'version_conflict',
        'stale, no change',
      );
      // Without the stale version, the state's refusal.
      expectError(await commands({ actor: linkId, event: { type: 'CONFIRM_HIRE' } }, seekerToken), 409, 'invalid_transition', 'not accepted');
    });
  });

  it('changed nothing, and still answers', async () => {
    const after = await store();
    expect([...after.entries()].sort()).toEqual([...before.entries()].sort());
    const link = await t.api('GET', `/v1/actors/${linkId}`);
    expect(link.body).toMatchObject({ status: 'request_pending', data: { seeker_id: seekerId } });
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    // And still takes good commands.
    const good = await t.api('POST', '/v1/commands', { actor: draftId, event: { type: 'CONFIRM_HIRE' } });
    expect(good.status).toBe(200);
  });
});
