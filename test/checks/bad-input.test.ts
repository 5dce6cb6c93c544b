import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, FULL_CANDIDATE, submitForm } from '../helpers/checks.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** P7 for the Checkr-shaped resources: Checkr's error strings, and nothing stored. */
describe('background checks: bad input', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const counts = async () => (await t.api('GET', '/v1/actors/counts')).body.counts;

  it.each([
    [{ email: 'a@example.com', ssn: '666-12-3456' }, 'SSN is invalid'],
    [{ email: 'a@example.com', ssn: '923-45-6789' }, 'SSN is invalid'],
    [{ email: 'a@example.com', ssn: '111111111' }, 'SSN is invalid'],
    [{ email: 'a@example.com', ssn: '123-45-6789' }, 'SSN is invalid'],
    [{ email: 'a@example.com', ssn: '12-345-6789' }, 'SSN is invalid'],
    [{ email: 'not-an-email' }, 'Email is not a valid email address'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'Email is not a valid email address'],
    [{ email: 'a@example.com', dob: '2015-01-01' }, 'Candidate must be at least 18 years old'],
    [{ email: 'a@example.com', dob: '2090-01-01' }, 'dob must be in the past'],
    [{ email: 'a@example.com', dob: '1990-02-30' }, 'dob must be a date in the form YYYY-MM-DD'],
    [{ email: 'a@example.com', first_name: 'Robert); DROP' }, 'Name may contain only'],
    [{ email: 'a@example.com', unknown_field: 1, phone: 'call me' }, 'Phone is not a valid phone number'],
    [{}, 'email'],
  ])('refuses candidate %j with 400 naming the problem', async (body, message) => {
    const before = await counts();
    const res = await t.api('POST', '/v1/candidates', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown packages and candidates with Checkr 404s, storing nothing', async () => {
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    const before = await counts();
    expect(await t.api('POST', '/v1/invitations', { package: 'nope', candidate_id: candidate.id })).toMatchObject({
      status: 404,
      body: { error: 'Package not found' },
    });
    expect(await t.api('POST', '/v1/reports', { package: 'nope', candidate_id: candidate.id })).toMatchObject({
      status: 404,
      body: { error: 'Package not found' },
    });
    expect(await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: 'cand_nope' })).toMatchObject({
      status: 404,
      body: { error: 'Candidate not found' },
    });
    expect(await t.api('GET', '/v1/candidates/cand_nope')).toMatchObject({ status: 404, body: { error: 'Candidate not found' } });
    expect(await t.api('GET', '/v1/ssn_traces/ssn_nope')).toMatchObject({ status: 404, body: { error: 'Resource not found' } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a report whose candidate lacks what the package needs', async () => {
    const bare = await createCandidate(t);
    const res = await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: bare.id });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Candidate must have first_name, last_name, dob, ssn, zipcode/);
    const noLicense = await createCandidate(t, FULL_CANDIDATE);
    const mvr = await t.api('POST', '/v1/reports', { package: 'driver_pro', candidate_id: noLicense.id });
    expect(mvr).toMatchObject({
      status: 400,
      body: { error: 'Candidate must have a driver license number and a driver license state for the package driver_pro' },
    });
    expect((await t.api('GET', `/v1/candidates/${noLicense.id}`)).body.report_ids).toEqual([]);
  });

  it('refuses changes to what a report already used, and accepts contact changes', async () => {
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    expect((await t.api('POST', '/v1/reports', { package: 'basic_criminal', candidate_id: candidate.id })).status).toBe(200);
    const locked = await t.api('POST', `/v1/candidates/${candidate.id}`, { first_name: 'Other' });
    expect(locked).toMatchObject({ status: 400, body: { error: 'first_name cannot be updated' } });
    const contact = await t.api('POST', `/v1/candidates/${candidate.id}`, { phone: '+1 415 555 0100' });
    expect(contact).toMatchObject({ status: 200, body: { phone: '+1 415 555 0100', first_name: 'Jamie' } });
  });

  it('accepts Checkr form-encoded bodies', async () => {
    const res = await fetch(`${t.url}/v1/candidates`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('test-api-key:').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=form%40example.com&no_middle_name=true&geo_ids[]=g1&geo_ids[]=g2',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ email: 'form@example.com', no_middle_name: true, geo_ids: ['g1', 'g2'] });
  });

  it('lets only the integrator write checks; staff may read; members may not', async () => {
    const candidate = await createCandidate(t);
    const agent = await t.session('agent_1', 'agent');
    expect((await t.api('POST', '/v1/candidates', { email: 'x@example.com' }, { token: agent })).status).toBe(403);
    expect((await t.api('GET', `/v1/candidates/${candidate.id}`, undefined, { token: agent })).status).toBe(200);
    const seeker = (await t.api('POST', '/v1/seekers', { email: 's@example.com', plan: 'complete' })).body.id;
    const member = await t.session(seeker, 'seeker');
    expect((await t.api('GET', `/v1/candidates/${candidate.id}`, undefined, { token: member })).status).toBe(403);
  });

  it('the hosted form refuses bad data in words, changes nothing, and needs the signed link', async () => {
    const candidate = await createCandidate(t);
    const invitation = (await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.id })).body;
    const bad = await submitForm(invitation.invitation_url, {
      first_name: 'Jo',
      last_name: 'Doe',
      no_middle_name: 'true',
      dob: '2015-01-01',
      ssn: '666-00-0000',
      zipcode: 'abc',
      signature: 'Someone Else',
    });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    for (const text of ['Candidate must be at least 18 years old', 'SSN is invalid', 'Zipcode is invalid']) expect(page).toContain(text);
    const unsigned = await submitForm(invitation.invitation_url, { ...FULL_CANDIDATE, no_middle_name: 'true', consent: '', signature: '' });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toContain('Tick the box to authorize the background check');
    expect((await t.api('GET', `/v1/candidates/${candidate.id}`)).body).toMatchObject({ first_name: null, ssn: null });
    expect((await t.api('GET', `/v1/invitations/${invitation.id}`)).body.status).toBe('pending');

    const forged = invitation.invitation_url.replace(/t=[^&]+/, 't=tw1.forged.sig');
    expect((await fetch(forged)).status).toBe(404);
    expect((await fetch(`${t.url}/apply/${invitation.id}`)).status).toBe(404);
  });
});
