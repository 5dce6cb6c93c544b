import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';
import { submitVeriffSession } from '../helpers/veriff.ts';

/** Identity verification rules an integrator and the staff see over REST (SPEC.md I1–I3, I7, I10, I11; P8). */
describe('identity verification over REST', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '20' });
  });
  afterAll(() => t.close());

  let serial = 0;
  const unique = () => `${String(Date.now() % 1e5).padStart(5, '0')}${String(++serial).padStart(3, '0')}`;
  const legalInfo = (n: string, ending: string, last = 'Rivera') => ({
    legal_first_name: `Alex${n}`,
    legal_last_name: last,
    dob: '1984-06-30',
    address: '12 Harbor Road, Portland, ME 04101',
    phone: `+1 ${n.slice(0, 3)} ${n.slice(3, 8)}${ending}`,
  });

  async function newSeeker(plan: 'legacy' | 'starter' | 'complete', extra: Record<string, unknown> = {}) {
    const res = await t.api('POST', '/v1/seekers', { email: `rest-${unique()}@example.com`, plan, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = await t.session(res.body.id, 'seeker');
    return {
      id: res.body.id as string,
      email: res.body.data.email as string,
      token,
      send: (event: Record<string, unknown>) => command(t, res.body.id, event, token),
    };
  }
  const view = async (id: string, token?: string) => (await t.api('GET', `/v1/actors/${id}`, undefined, { token })).body;
  const idvOf = (id: string, status: string) =>
    eventually(
      () => view(id),
      (v) => v.data.idv_status === status,
    );

  /** A seeker who passes Prove's mobile auth (phone ending in 00). */
  async function verifiedSeeker(plan: 'starter' | 'complete' = 'starter') {
    const seeker = await newSeeker(plan);
    const n = unique();
    await seeker.send({ type: 'START_VERIFICATION' });
    await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(n, '00') });
    await idvOf(seeker.id, 'verified');
    return { ...seeker, legal: legalInfo(n, '00') };
  }

  /** A seeker Veriff declined (phone ending in 99, last name `Declined`): account closed, identity blocklisted. */
  async function failedSeeker(phone?: string) {
    const seeker = await newSeeker('starter', phone ? { phone } : {});
    const n = unique();
    const legal = legalInfo(n, '99', 'Declined');
    await seeker.send({ type: 'START_VERIFICATION' });
    await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legal });
    const capture = await eventually(
      () => view(seeker.id),
      (v) => v.data.idv.step === 'veriff_capture',
    );
    await submitVeriffSession(t.url, capture.data.idv.veriff_session_id);
    await idvOf(seeker.id, 'failed');
    return { ...seeker, legal };
  }

  it('I1, I2: a legacy seeker is never gated; a paid one is until verified', async () => {
    const legacy = await newSeeker('legacy');
    expect((await view(legacy.id)).data.idv_status).toBe('not_required');
    expect((await t.api('POST', `/v1/seekers/${legacy.id}/gate`, { action: 'book' })).body).toEqual({ allowed: true });

    const paid = await newSeeker('complete');
    expect((await t.api('POST', `/v1/seekers/${paid.id}/gate`, { action: 'message' }, { token: paid.token })).body).toEqual({
      allowed: false,
      reason: 'identity_verification_required',
    });
    expect((await t.api('POST', `/v1/seekers/${paid.id}/gate`, { action: 'dance' })).status).toBe(400);
    const agent = await t.session('agent_1', 'agent');
    expect((await t.api('POST', `/v1/seekers/${paid.id}/gate`, { action: 'message' }, { token: agent })).status).toBe(403);
    const other = await newSeeker('starter');
    expect((await t.api('POST', `/v1/seekers/${paid.id}/gate`, { action: 'message' }, { token: other.token })).status, 'R1').toBe(404);
  });

  it('I10: a verified seeker changing plans is not asked again', async () => {
    const seeker = await verifiedSeeker('starter');
    for (const plan of ['complete', 'legacy', 'starter']) {
      expect((await command(t, seeker.id, { type: 'CHANGE_PLAN', plan })).status).toBe(200);
      expect((await view(seeker.id)).data.idv_status).toBe('verified');
      expect((await t.api('POST', `/v1/seekers/${seeker.id}/gate`, { action: 'message' })).body).toEqual({ allowed: true });
    }
    expect((await seeker.send({ type: 'START_VERIFICATION' })).status, 'never sent through verification again').toBe(409);
  });

  it('takes the legal address as fields, checking a US state and ZIP code, and stores them as given', async () => {
    const seeker = await newSeeker('starter');
    await seeker.send({ type: 'START_VERIFICATION' });
    const legal = legalInfo(unique(), '00');
    const address = { street: '12 Harbor Road', unit: 'Apt 4', city: 'Portland', state: 'me', postal_code: '04101' };
    for (const [bad, field] of [
      [{ ...address, state: 'ZZ' }, 'state'],
      [{ ...address, postal_code: '4101' }, 'postal_code'],
      [{ ...address, city: undefined }, 'city'],
      [{ ...address, country: 'USA' }, 'country'],
      [{ ...address, floor: 3 }, 'floor'],
    ] as const) {
      const refused = await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legal, address: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error).toContain(field);
    }
    expect((await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legal, address })).status).toBe(200);
    expect((await view(seeker.id, seeker.token)).data.legal_info.address).toEqual({ ...address, state: 'ME', country: 'US' });
    await idvOf(seeker.id, 'verified');

    const abroad = await newSeeker('starter');
    await abroad.send({ type: 'START_VERIFICATION' });
    const bristol = { street: '12 Harbour Street', city: 'Bristol', postal_code: 'BS1 4QA', country: 'gb' };
    expect((await abroad.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(unique(), '00'), address: bristol })).status).toBe(200);
    expect((await view(abroad.id)).data.legal_info.address).toEqual({ ...bristol, unit: null, state: null, country: 'GB' });
  });

  it('I3: legal information is locked once submitted, and shown per role (P8)', async () => {
    const seeker = await verifiedSeeker();
    const again = await command(t, seeker.id, { type: 'SUBMIT_LEGAL_INFO', ...seeker.legal, address: '1 Other Street, Boston' }, seeker.token);
    expect(again).toMatchObject({ status: 422, body: { code: 'legal_info_locked' } });

    // An address given on one line is kept whole as its street.
    const stored = { ...seeker.legal, address: { street: seeker.legal.address, unit: null, city: null, state: null, postal_code: null, country: 'US' } };
    expect((await view(seeker.id, seeker.token)).data.legal_info).toMatchObject(stored);
    expect((await view(seeker.id)).data.legal_info, 'the integrator').toMatchObject(stored);
    const reviewer = await t.session('reviewer_1', 'reviewer');
    expect((await view(seeker.id, reviewer)).data.legal_info).toMatchObject(stored);
    const agent = await t.session('agent_1', 'agent');
    const masked = (await view(seeker.id, agent)).data.legal_info;
    expect(masked.legal_first_name).toBe(`A${'•'.repeat(seeker.legal.legal_first_name.length - 1)}`);
    expect(masked.legal_last_name).toBe(`R${'•'.repeat(seeker.legal.legal_last_name.length - 1)}`);
    expect(masked.dob).toBe('1984-••-••');
    expect(masked.phone).toMatch(/^•+00$/);
    expect(masked.address).toMatchObject({ street: '••••', city: null, postal_code: null });
    for (const value of Object.values(seeker.legal)) expect(JSON.stringify(masked), 'nothing of the legal information in clear').not.toContain(value);
  });

  it('I7: a failed identity is blocklisted by email, account phone, legal phone and legal name with date of birth', async () => {
    const accountPhone = `+1 617 ${unique().slice(0, 7)}`;
    const failed = await failedSeeker(accountPhone);
    expect((await view(failed.id)).data.account_status, 'the account is closed').toBe('closed');
    expect((await t.api('GET', `/v1/cases?subject=${failed.id}&queue=idv_failures`)).body.count).toBe(1);
    // I13: no automatic refund; a request becomes an escalation for member care.
    const agent = await t.session('agent_1', 'agent');
    expect((await command(t, failed.id, { type: 'REQUEST_REFUND', reason: 'failed_verification' }, agent)).status).toBe(200);
    const [escalation] = (await t.api('GET', `/v1/cases?subject=${failed.id}&queue=member_care_escalations`)).body.data;
    expect(escalation.tags).toEqual(['RefundRequest', 'FailedIDV']);
    expect((await command(t, failed.id, { type: 'REQUEST_REFUND', reason: 'idv_refusal' }, agent)).body.code).toBe('refund_not_applicable');

    expect((await t.api('POST', '/v1/seekers', { email: failed.email.toUpperCase(), plan: 'starter' })).body.code).toBe('blocklisted');
    expect(
      (await t.api('POST', '/v1/seekers', { email: `x-${unique()}@example.com`, plan: 'starter', phone: accountPhone.replace(/ /g, '-') })).body.code,
    ).toBe('blocklisted');
    expect((await t.api('POST', '/v1/seekers', { email: `x-${unique()}@example.com`, plan: 'starter', phone: failed.legal.phone })).body.code).toBe(
      'blocklisted',
    );

    // The same person under a new email: refused when their legal information is given.
    const returning = await newSeeker('starter');
    await returning.send({ type: 'START_VERIFICATION' });
    const samePerson = { ...failed.legal, legal_first_name: ` ${failed.legal.legal_first_name.toUpperCase()} `, phone: `+1 212 555 ${unique().slice(0, 4)}` };
    expect(await returning.send({ type: 'SUBMIT_LEGAL_INFO', ...samePerson })).toMatchObject({ status: 422, body: { code: 'blocklisted' } });
    expect(await returning.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(unique(), '00'), phone: failed.legal.phone })).toMatchObject({
      status: 422,
      body: { code: 'blocklisted' },
    });
    expect((await view(returning.id)).data.legal_info, 'nothing stored').toBeNull();
    // Someone else entirely is not.
    expect((await returning.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(unique(), '00') })).status).toBe(200);
  });

  it('I3: stores legal information as validated, trimmed, before it is locked', async () => {
    const seeker = await newSeeker('starter');
    await seeker.send({ type: 'START_VERIFICATION' });
    const legal = legalInfo(unique(), '01');
    const sent = await seeker.send({
      type: 'SUBMIT_LEGAL_INFO',
      ...legal,
      legal_first_name: '   Casey   ',
      legal_last_name: ' Rivera ',
      address: '  12 Harbor Road, Portland  ',
    });
    expect(sent.status).toBe(200);
    expect((await view(seeker.id)).data.legal_info).toMatchObject({
      legal_first_name: 'Casey',
      legal_last_name: 'Rivera',
      address: { street: '12 Harbor Road, Portland', city: null },
    });
  });

  it('I3: refuses legal information of someone under 18 on the day it is submitted, storing nothing', async () => {
    const seeker = await newSeeker('starter');
    await seeker.send({ type: 'START_VERIFICATION' });
    const today = new Date().toISOString().slice(0, 10);
    const seventeen = `${Number(today.slice(0, 4)) - 17}${today.slice(4)}`;
    expect(await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(unique(), '01'), dob: seventeen })).toMatchObject({
      status: 422,
      body: { code: 'age_below_minimum' },
    });
    expect((await view(seeker.id)).data.legal_info).toBeNull();
    const eighteen = `${Number(today.slice(0, 4)) - 18}${today.slice(4)}`;
    expect((await seeker.send({ type: 'SUBMIT_LEGAL_INFO', ...legalInfo(unique(), '01'), dob: eighteen })).status).toBe(200);
  });

  it('I7: a failed verification closes the account at the time it failed', async () => {
    const failed = await failedSeeker();
    const seeker = await view(failed.id);
    expect(seeker.data.account_status).toBe('closed');
    expect(Date.parse(seeker.data.closed_at)).toBeGreaterThan(Date.parse(seeker.created_at));
  });

  it('I11: the screening history lists every attempt, for staff and the integrator only', async () => {
    const failed = await failedSeeker();
    const agent = await t.session('agent_1', 'agent');
    const history = (await t.api('GET', `/v1/seekers/${failed.id}/screening_history`, undefined, { token: agent })).body;
    expect(history.object).toBe('list');
    expect(history.data.map((a: any) => [a.vendor, a.outcome])).toEqual([
      ['prove', 'possession_failed'],
      ['veriff', 'declined'],
    ]);
    for (const attempt of history.data) {
      expect(attempt.reference).toMatch(/\S/);
      expect(Date.parse(attempt.at)).not.toBeNaN();
    }
    expect((await t.api('GET', `/v1/seekers/${failed.id}/screening_history`, undefined, { token: failed.token })).status).toBe(403);
    expect((await t.api('GET', '/v1/cases', undefined, { token: failed.token })).status).toBe(403);
  });

  it('I8: only a reviewer decides a manual review', async () => {
    const seeker = await newSeeker('starter');
    expect((await command(t, seeker.id, { type: 'APPROVE_REVIEW' }, await t.session('agent_1', 'agent'))).status).toBe(403);
    expect((await command(t, seeker.id, { type: 'APPROVE_REVIEW' }, await t.session('reviewer_1', 'reviewer'))).status, 'not in review').toBe(409);
    expect((await command(t, seeker.id, { type: 'REJECT_REVIEW' }, await t.session('reviewer_1', 'reviewer'))).status, 'a reason is required').toBe(400);
  });
});
