import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, createProvider, createSeeker } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** What the dashboards read besides the actors: sign-in, the provider directory, counts, pages. */
describe('dashboard endpoints', () => {
  let demo: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    [demo, plain] = await Promise.all([startTestServer({ DEMO: '1' }), startTestServer()]);
  });
  afterAll(() => Promise.all([demo.close(), plain.close()]));

  const post = (t: TestServer, path: string, body: unknown) =>
    fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('the development sign-in lists the demo members and issues their sessions, only with DEMO=1', async () => {
    const members = await (await fetch(`${demo.url}/demo/members`)).json();
    expect(members.seekers.map((s: any) => s.name)).toEqual(expect.arrayContaining(['Casey Complete', 'Lena Legacy', 'Sam Starter']));
    expect(members.providers).toHaveLength(4);
    expect(members.staff.map((s: any) => s.role)).toEqual(['agent', 'reviewer']);

    const casey = members.seekers.find((s: any) => s.name === 'Casey Complete');
    const session = await post(demo, '/demo/sessions', { subject: casey.subject, role: 'seeker' });
    expect(session.status).toBe(201);
    const { token } = await session.json();
    expect((await demo.api('GET', `/v1/actors/${casey.subject}`, undefined, { token })).status).toBe(200);

    // A member id under another role, or an unknown one, gets no session.
    expect((await post(demo, '/demo/sessions', { subject: casey.subject, role: 'provider' })).status).toBe(404);
    expect((await post(demo, '/demo/sessions', { subject: 'skr_nope', role: 'seeker' })).status).toBe(404);
    expect((await post(demo, '/demo/sessions', { subject: casey.subject, role: 'integrator' })).status).toBe(400);

    expect((await fetch(`${plain.url}/demo/members`)).status).toBe(404);
    expect((await post(plain, '/demo/sessions', { subject: 'agent_demo', role: 'agent' })).status).toBe(404);
  });

  it('the provider directory shows every caller a display name and never contact data', async () => {
    const providerId = await createProvider(plain, 'Dana');
    const seekerId = await createSeeker(plain);
    const token = await plain.session(seekerId, 'seeker');
    const list = await plain.api('GET', '/v1/providers?per_page=100', undefined, { token });
    expect(list.status).toBe(200);
    const profile = list.body.data.find((p: any) => p.id === providerId);
    expect(profile).toEqual({ id: providerId, object: 'provider_profile', display_name: 'Dana P.', account_status: 'active', background_check: null });
    expect(JSON.stringify(list.body)).not.toContain('@example.com');
    expect((await plain.api('GET', `/v1/providers/${providerId}`, undefined, { token })).body).toEqual(profile);
    expect((await plain.api('GET', `/v1/providers/${seekerId}`, undefined, { token })).status).toBe(404);
    expect((await fetch(`${plain.url}/v1/providers`)).status).toBe(401);
  });

  it('counts actors per kind and status for staff and the integrator, not for members', async () => {
    const before = (await plain.api('GET', '/v1/actors/counts')).body.counts;
    const seekerId = await createSeeker(plain);
    await createLink(plain, seekerId, await createProvider(plain));
    const agent = await plain.session('agent_1', 'agent');
    const after = await plain.api('GET', '/v1/actors/counts', undefined, { token: agent });
    expect(after.status).toBe(200);
    expect(after.body.counts.link.draft).toBe((before.link?.draft ?? 0) + 1);
    expect(after.body.counts.seeker.active).toBe((before.seeker?.active ?? 0) + 1);
    const member = await plain.session(seekerId, 'seeker');
    expect((await plain.api('GET', '/v1/actors/counts', undefined, { token: member })).status).toBe(403);
  });

  it('serves the dashboards at their paths and leaves the API alone', async () => {
    for (const path of ['/', '/login', '/seeker', '/provider', '/staff', '/ops']) {
      const page = await fetch(demo.url + path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<div id="root">');
    }
    const html = await (await fetch(`${demo.url}/login`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect((await fetch(demo.url + script!)).status).toBe(200);
    expect((await fetch(`${demo.url}/v1/nope`)).status).toBe(401);
    expect((await fetch(`${demo.url}/nope`)).status).toBe(404);
  });
});
