import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, FULL_CANDIDATE, openPage, openSignedLink } from '../helpers/checks.ts';
import { createSeeker, eventually, notificationsOf } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;

/**
 * B6, seed 000 ("the candidate can check at any time"): a lasting link to the candidate's status
 * page, emailed when a report is created without an invitation, renewable by email; and, from
 * issue 17, no candidate page keeps its link's token in its URL.
 */
describe('candidate status links', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '300' });
  });
  afterAll(() => t.close());

  const statusEmails = async (candidate: string) => (await notificationsOf(t, candidate)).filter((n) => n.template === 'status_link');
  const linkIn = (text: string) => text.match(/https?:\/\/\S+\?t=[\w.-]+/)![0];

  it('POST /v1/candidates/{id}/status_link: 201 with a link that works for 7 days; the integrator only', async () => {
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    const before = Date.now();
    const res = await t.api('POST', `/v1/candidates/${candidate.id}/status_link`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['expires_at', 'status_url']);
    const expires = Date.parse(res.body.expires_at);
    expect(expires - before).toBeGreaterThanOrEqual(7 * DAY - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(7 * DAY);
    expect(new URL(res.body.status_url).pathname).toBe(`/status/${candidate.id}`);

    expect((await t.api('POST', '/v1/candidates/cand_nobody/status_link', {})).status).toBe(404);
    const reviewer = await t.session('reviewer_status', 'reviewer');
    const seeker = await t.session(await createSeeker(t, 'starter'), 'seeker');
    for (const token of [reviewer, seeker]) expect((await t.api('POST', `/v1/candidates/${candidate.id}/status_link`, {}, { token })).status).toBe(403);
  });

  it('emails the link when a report is created without an invitation; the page shows each report and its searches in words', async () => {
    const candidate = await createCandidate(t, { ...FULL_CANDIDATE, last_name: 'Consider' });
    const report = await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id });
    expect(report.status).toBe(200);
    const [email] = await eventually(
      () => statusEmails(candidate.id),
      (e) => e.length === 1,
    );
    expect(email.channel).toBe('email');

    const session = await openSignedLink(linkIn(email.text));
    expect(session.url).toBe(`${t.url}/status/${candidate.id}`);
    const page = await eventually(
      async () => (await openPage(session)).text(),
      (html) => html.includes('data-status="complete"'),
      15_000,
    );
    expect(page).toContain('Tasker Standard');
    for (const words of [
      'Social Security number trace',
      'Sex offender registry search',
      'National criminal search',
      'County criminal search',
      'Done: something was found',
    ]) {
      expect(page).toContain(words);
    }
    expect(page).toContain('Something was found that the company will review with you');
    // A second report is listed too, newest first.
    await t.api('POST', '/v1/reports', { package: 'basic_criminal', candidate_id: candidate.id });
    const both = await eventually(
      async () => (await openPage(session)).text(),
      (html) => html.includes('Basic Criminal'),
    );
    expect(both.indexOf('Basic Criminal')).toBeLessThan(both.indexOf('Tasker Standard'));
  });

  it('streams the page’s changes as server-sent events: a new report and its progress, for this candidate’s session only', async () => {
    const [a, b] = [await createCandidate(t, FULL_CANDIDATE), await createCandidate(t, FULL_CANDIDATE)];
    const session = await openSignedLink((await t.api('POST', `/v1/candidates/${a.id}/status_link`, {})).body.status_url);
    expect((await fetch(`${session.url}/events`)).status).toBe(404);
    expect((await openPage(session, `${t.url}/status/${b.id}/events`)).status).toBe(404);

    const stream = await openPage(session, `${session.url}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const until = async (count: number) => {
      while ((received.match(/event: changed/g) ?? []).length < count) received += (await reader.read()).value ?? '';
    };
    // A report created for the candidate changes the page, and so does its running on.
    const report = (await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: a.id })).body;
    await until(1);
    await eventually(
      async () => (await t.api('GET', `/v1/reports/${report.id}`)).body.status,
      (status) => status === 'complete',
      15_000,
    );
    await until(2);
    await reader.cancel();
  });

  it('exchanges the token for a session cookie and shows the page at a token-free URL (issue 17), for this candidate only', async () => {
    const [a, b] = [await createCandidate(t, FULL_CANDIDATE), await createCandidate(t, FULL_CANDIDATE)];
    const link = (await t.api('POST', `/v1/candidates/${a.id}/status_link`, {})).body.status_url;
    const arrival = await fetch(link, { redirect: 'manual' });
    expect(arrival.status).toBe(303);
    expect(arrival.headers.get('location')).toBe(`/status/${a.id}`);
    expect(arrival.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = arrival.headers.getSetCookie()[0];
    expect(cookie).toMatch(new RegExp(`Path=/status/${a.id};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = { url: `${t.url}/status/${a.id}`, cookie: cookie.split(';')[0] };
    const page = await openPage(session);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).not.toContain('?t=');
    // Without the session, or with A's session on B's page, nothing is shown.
    expect((await fetch(`${t.url}/status/${a.id}`)).status).toBe(404);
    expect((await openPage(session, `${t.url}/status/${b.id}`)).status).toBe(404);
    // A's link does not open B's page, nor does a forged one.
    expect((await fetch(link.replace(a.id, b.id), { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${t.url}/status/${a.id}?t=tw1.forged.sig`, { redirect: 'manual' })).status).toBe(404);
  });

  it('the hosted apply form also trades its token for a session before showing the form (issue 17)', async () => {
    const candidate = await createCandidate(t);
    const invitation = (await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.id })).body;
    const arrival = await fetch(invitation.invitation_url, { redirect: 'manual' });
    expect([arrival.status, arrival.headers.get('location')]).toEqual([303, `/apply/${invitation.id}`]);
    expect(arrival.headers.getSetCookie()[0]).toMatch(new RegExp(`Path=/apply/${invitation.id};.*HttpOnly`));
    const session = await openSignedLink(invitation.invitation_url);
    const form = await openPage(session);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(`action="/apply/${invitation.id}"`);
    expect((await fetch(`${t.url}/apply/${invitation.id}`)).status).toBe(404);
    // Its status page follows the invitation by the same kind of event stream, for this session only.
    expect((await fetch(`${t.url}/apply/${invitation.id}/events`)).status).toBe(404);
    const stream = await openPage(session, `${t.url}/apply/${invitation.id}/events`);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await t.api('DELETE', `/v1/invitations/${invitation.id}`)).status).toBe(200);
    let received = '';
    while (!received.includes('event: changed')) received += (await reader.read()).value ?? '';
    await reader.cancel();
  });

  it('an expired link offers a new one by email, sent only to the address on file, with the same answer for any address', async () => {
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    const expired = t.server.auth.signed({ candidate_status: candidate.id }, Date.now() - 1000);
    const page = await fetch(`${t.url}/status/${candidate.id}?t=${expired}`, { redirect: 'manual' });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('This link has expired');
    expect(html).toContain('action="/status/new_link"');

    const ask = async (email: string) => {
      const res = await fetch(`${t.url}/status/new_link`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email }),
      });
      return { status: res.status, text: await res.text() };
    };
    const known = await ask(candidate.email.toUpperCase());
    const unknown = await ask(`nobody-${crypto.randomUUID().slice(0, 6)}@example.com`);
    const empty = await ask('');
    expect(known).toEqual(unknown);
    expect(empty).toEqual(unknown);
    expect(known.text).toContain('If this address belongs to a background check, we have sent a new link to it.');

    const [email] = await eventually(
      () => statusEmails(candidate.id),
      (e) => e.length === 1,
    );
    const delivered = await eventually(
      async () => (await notificationsOf(t, candidate.id)).find((n) => n.id === email.id),
      (n) => n?.delivered_at !== null,
    );
    expect(delivered!.recipient).toBe(candidate.id);
    const fresh = await openSignedLink(linkIn(email.text));
    expect((await openPage(fresh)).status).toBe(200);
  });
});
