import { expect } from 'vitest';
import { DISCLOSURE_VERSION } from '../../server/checks/apply-page.ts';
import { eventually } from './link-flow.ts';
import type { TestServer } from './server.ts';

/** A candidate with everything a criminal package needs; `last_name: 'Consider'` gets a record. */
export const FULL_CANDIDATE = {
  first_name: 'Jamie',
  no_middle_name: true,
  last_name: 'Clear',
  dob: '1988-04-12',
  ssn: '123-45-6780',
  zipcode: '94105',
};

/** A report of `pkg` ordered for the candidate, once the sandbox completed it. */
export async function completedReport(t: TestServer, candidateId: string, pkg = 'tasker_standard'): Promise<any> {
  const created = await t.api('POST', '/v1/reports', { package: pkg, candidate_id: candidateId });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const done = await eventually(
    () => t.api('GET', `/v1/reports/${created.body.id}`),
    (r) => r.body.status === 'complete',
    15_000,
  );
  return done.body;
}

export async function createCandidate(t: TestServer, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await t.api('POST', '/v1/candidates', { email: `cand-${crypto.randomUUID().slice(0, 8)}@example.com`, ...fields });
  if (res.status !== 201) throw new Error(`candidate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A candidate's page opened from its signed link: the token-free URL and the session cookie it was exchanged for. */
export interface SignedSession {
  url: string;
  cookie: string;
}

/** Follows a signed link (an invitation's, a status link) as a browser would: the token becomes a session cookie. */
export async function openSignedLink(link: string): Promise<SignedSession> {
  const res = await fetch(link, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`${link} answered ${res.status}, not the exchange for a session`);
  const url = new URL(location, link);
  if (url.search) throw new Error(`the page after the exchange still has a query: ${url.href}`);
  return { url: url.href, cookie: res.headers.getSetCookie()[0].split(';')[0] };
}

/** GETs a candidate page with its session; resolves with the response. */
export function openPage(session: SignedSession, url = session.url): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: { cookie: session.cookie } });
}

/** Posts a candidate page's form as a browser would (form-encoded); resolves with the response. */
export function postPage(session: SignedSession, values: Record<string, string>, url = session.url): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    body: new URLSearchParams(values),
  });
}

/** Posts the hosted form as a browser would, after following the invitation's link; resolves with the response. */
export async function submitForm(link: string | SignedSession, values: Record<string, string>): Promise<Response> {
  const session = typeof link === 'string' ? await openSignedLink(link) : link;
  return postPage(session, { consent: 'yes', disclosure_version: DISCLOSURE_VERSION, ...values });
}
