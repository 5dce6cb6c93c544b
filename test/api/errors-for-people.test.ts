import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** API errors a developer reads without the source: in words, linked to their explanation, 405 where a path takes other methods. */
describe('errors worded for people', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('says which field is missing or wrong, in words, and links to the code’s explanation', async () => {
    const empty = await t.api('POST', '/v1/commands', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('Invalid command: actor is required; event is required');
    expect(empty.body.details.fields).toEqual([
      { path: 'actor', message: 'is required' },
      { path: 'event', message: 'is required' },
    ]);
    expect(empty.body.docs).toBe(`${t.url}/docs/errors#invalid_request`);

    expect((await t.api('POST', '/v1/commands', { actor: 5, event: { type: 'CONFIRM_HIRE' } })).body.error).toBe('Invalid command: actor must be a string');
    const unknown = await t.api('POST', '/v1/seekers', { email: 'x@example.com', plan: 'starter', colour: 'blue' });
    expect(unknown.body.error).toMatch(/"colour" is not a field this request takes/);
    const plan = await t.api('POST', '/v1/seekers', { email: 'x@example.com', plan: 'gold' });
    expect(plan.body.error).toMatch(/plan must be one of "legacy", "starter", "complete"/);
    // A schema's own wording stays (Checkr's, here).
    expect((await t.api('POST', '/v1/candidates', { email: 'nope' })).body.error).toBe('Invalid candidate: email: Email is not a valid email address');

    const page = await fetch(empty.body.docs.split('#')[0]);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const code of ['invalid_request', 'not_found', 'method_not_allowed', 'monitoring_limit_reached']) expect(html).toContain(`id="${code}"`);
  });

  it('answers 405 with Allow for a method a path does not take, and explains where reports are listed', async () => {
    const reports = await fetch(`${t.url}/v1/reports`, { headers: { authorization: `Basic ${Buffer.from('test-api-key:').toString('base64')}` } });
    expect(reports.status).toBe(405);
    expect(reports.headers.get('allow')).toBe('POST');
    const body = (await reports.json()) as { code: string; error: string; docs: string };
    expect(body).toMatchObject({ code: 'method_not_allowed', docs: `${t.url}/docs/errors#method_not_allowed` });
    expect(body.error).toMatch(/report_ids/);

    const actors = await t.api('DELETE', '/v1/actors');
    expect(actors).toMatchObject({
      status: 405,
      body: { code: 'method_not_allowed', error: '/v1/actors takes GET, HEAD, not DELETE.', details: { allowed: ['GET', 'HEAD'] } },
    });
    expect((await t.api('PUT', '/v1/commands', {})).body.details.allowed).toEqual(['POST']);

    // No such path: 404, in words; no credentials: 401 first, as API.md orders.
    expect((await t.api('GET', '/v1/nope')).body).toMatchObject({
      code: 'not_found',
      error: 'There is no route GET /v1/nope; the API reference at /docs lists them all.',
    });
    expect((await fetch(`${t.url}/v1/reports`)).status).toBe(401);
  });
});
