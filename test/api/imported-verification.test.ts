import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedVerification } from '../helpers/imported.ts';
import { createProvider, eventually, getActor, notificationsOf } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';
import { submitVeriffSession } from '../helpers/veriff.ts';

/** Verifications done before trustwire (I10 for existing members, API.md "Added in wave 2"). */
describe('imported verifications', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '20' });
  });
  afterAll(() => t.close());

  const email = () => `imported-${crypto.randomUUID().slice(0, 8)}@example.com`;

  it('starts a seeker verified with the legal information locked; the gate lets them through; the history shows the import', async () => {
    const prior = importedVerification('Noor', 'Haddad');
    const res = await t.api('POST', '/v1/seekers', {
      email: email(),
      plan: 'starter',
      first_name: 'Noor',
      ...prior,
      identity: { ...prior.identity, vendor: 'veriff', verified_at: '2025-11-30T09:15:00+01:00' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.idv_status).toBe('verified');
    expect(res.body.data.idv).toMatchObject({ step: null, verified_by: 'veriff', verified_at: '2025-11-30T08:15:00.000Z' });
    expect(res.body.data.legal_info).toMatchObject(prior.legal);
    const id = res.body.id as string;
    const token = await t.session(id, 'seeker');

    for (const action of ['message', 'book']) {
      expect((await t.api('POST', `/v1/seekers/${id}/gate`, { action }, { token })).body).toEqual({ allowed: true });
    }
    const history = await t.api('GET', `/v1/seekers/${id}/screening_history`);
    expect(history.body.data).toEqual([
      expect.objectContaining({
        object: 'screening_attempt',
        vendor: 'veriff',
        method: 'imported',
        outcome: 'imported',
        reference: prior.identity.reference,
        at: '2025-11-30T08:15:00.000Z',
      }),
    ]);

    // I3 and I10: locked, and never sent through verification again, also after a plan change.
    const change = await command(t, id, { type: 'SUBMIT_LEGAL_INFO', ...prior.legal, legal_last_name: 'Other' }, token);
    expect([change.status, change.body.code]).toEqual([422, 'legal_info_locked']);
    expect((await command(t, id, { type: 'START_VERIFICATION' }, token)).status).toBe(409);
    expect((await command(t, id, { type: 'CHANGE_PLAN', plan: 'complete' })).body.actor.data.idv_status).toBe('verified');
    // Nothing to tell the seeker: they verified long ago.
    expect((await notificationsOf(t, id)).map((n) => n.template)).toEqual([]);
  });

  it('lets an imported Complete seeker ask to monitor a provider at once (I6)', async () => {
    const seeker = (await t.api('POST', '/v1/seekers', { email: email(), plan: 'complete', ...importedVerification() })).body.id;
    const res = await t.api('POST', '/v1/links', { seeker_id: seeker, provider_id: await createProvider(t) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('changes nothing without identity, and takes legal and identity only together', async () => {
    const plain = await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter' });
    expect([plain.body.data.idv_status, plain.body.data.legal_info]).toEqual(['required', null]);
    const { legal, identity } = importedVerification();
    for (const body of [{ legal }, { identity }]) {
      const res = await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter', ...body });
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    for (const bad of [{ vendor: 'idme' }, { reference: '' }, { verified_at: 'yesterday' }, { extra: 1 }]) {
      const res = await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter', legal, identity: { ...identity, ...bad } });
      expect([res.status, res.body.code], JSON.stringify(bad)).toEqual([400, 'invalid_request']);
    }
    const young = await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter', legal: { ...legal, dob: '2020-01-01' }, identity });
    expect([young.status, young.body.code]).toEqual([422, 'age_below_minimum']);
  });

  it('takes imports from the integrator only, and refuses a blocklisted legal identity', async () => {
    const member = (await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter' })).body.id;
    const token = await t.session(member, 'seeker');
    const asMember = await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter', ...importedVerification() }, { token });
    expect(asMember.status).toBe(403);

    // A seeker Veriff declined (phone ending in 99, last name `Declined`): their identity is blocklisted (I7), for imports too.
    const failed = (await t.api('POST', '/v1/seekers', { email: email(), plan: 'starter' })).body.id;
    const failedToken = await t.session(failed, 'seeker');
    const { legal } = importedVerification('Dana', 'Declined');
    await command(t, failed, { type: 'START_VERIFICATION' }, failedToken);
    await command(t, failed, { type: 'SUBMIT_LEGAL_INFO', ...legal, phone: legal.phone.replace(/\d\d$/, '99') }, failedToken);
    const capture = await eventually(
      () => getActor(t, failed),
      (v) => v.data.idv.step === 'veriff_capture',
      10_000,
    );
    await submitVeriffSession(t.url, capture.data.idv.veriff_session_id);
    await eventually(
      () => getActor(t, failed),
      (v) => v.data.idv_status === 'failed',
      10_000,
    );
    const again = importedVerification();
    const res = await t.api('POST', '/v1/seekers', {
      email: email(),
      plan: 'starter',
      legal: { ...again.legal, legal_first_name: 'DANA', legal_last_name: 'Declined', dob: legal.dob },
      identity: again.identity,
    });
    expect([res.status, res.body.code]).toEqual([422, 'blocklisted']);
  });
});
