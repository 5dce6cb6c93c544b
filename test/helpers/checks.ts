import { DISCLOSURE_VERSION } from '../../server/checks/apply-page.ts';
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

export async function createCandidate(t: TestServer, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await t.api('POST', '/v1/candidates', { email: `cand-${crypto.randomUUID().slice(0, 8)}@example.com`, ...fields });
  if (res.status !== 201) throw new Error(`candidate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Posts the hosted form as a browser would (form-encoded); resolves with the response. */
export function submitForm(invitationUrl: string, values: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams({ consent: 'yes', disclosure_version: DISCLOSURE_VERSION, ...values });
  return fetch(invitationUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}
