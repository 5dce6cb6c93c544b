import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkInput } from '../../machines/link.ts';
import { SYSTEM } from '../../server/runtime/caller.ts';
import { importedVerification } from '../helpers/imported.ts';
import { createProvider, DISCLOSURE, eventually, getActor, notificationsOf, ok } from '../helpers/link-flow.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';
import { submitVeriffSession } from '../helpers/veriff.ts';

/**
 * I6 for monitoring requests (seed 003: a seeker who cancels verification "will be unable to
 * interact with Providers until they run and pass the verification"): no request is created or
 * sent while the seeker's verification is required, in progress, in manual review or cancelled.
 */
describe('monitoring requests need a verified identity (I6)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '20' });
  });
  afterAll(() => t.close());

  /** Eight random digits: unique emails and phones (a phone's last two digits choose the Prove path). */
  const digits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');

  async function seeker(extra: Record<string, unknown> = {}) {
    const res = await t.api('POST', '/v1/seekers', { email: `i6-${digits()}@example.com`, plan: 'complete', first_name: 'Ines', last_name: 'Six', ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = await t.session(res.body.id, 'seeker');
    return { id: res.body.id as string, token, send: (event: Record<string, unknown>) => command(t, res.body.id, event, token) };
  }
  const legal = (ending: string, last = 'Rivera') => ({
    legal_first_name: 'Ines',
    legal_last_name: last,
    dob: '1984-06-30',
    address: '12 Harbor Road, Portland, ME 04101',
    phone: `+1 555 ${digits().slice(0, 5)}${ending}`,
  });
  const idvOf = (id: string, status: string) =>
    eventually(
      () => getActor(t, id),
      (v) => v.data.idv_status === status,
      10_000,
    );

  /** A seeker in each status that I6 names. */
  async function seekerWhoseIdvIs(status: 'required' | 'in_progress' | 'cancelled' | 'manual_review') {
    const s = await seeker();
    if (status === 'required') return s;
    await s.send({ type: 'START_VERIFICATION' });
    if (status === 'in_progress') return s;
    if (status === 'cancelled') {
      await s.send({ type: 'CANCEL_VERIFICATION' });
      await s.send({ type: 'CONFIRM_CANCEL' });
      await idvOf(s.id, 'cancelled');
      return s;
    }
    // Prove cannot verify (phone ending in 99), Veriff asks for a review (last name `Review`).
    await s.send({ type: 'SUBMIT_LEGAL_INFO', ...legal('99', 'Review') });
    const capture = await eventually(
      () => getActor(t, s.id),
      (v) => v.data.idv.step === 'veriff_capture',
      10_000,
    );
    await submitVeriffSession(t.url, capture.data.idv.veriff_session_id);
    await idvOf(s.id, 'manual_review');
    return s;
  }

  /** A draft made before this rule held (stored drafts of unverified seekers exist): created by the runtime directly. */
  async function draftFromBefore(seekerId: string, providerId: string, idme_verified: boolean) {
    const input: LinkInput = {
      seeker_id: seekerId,
      provider_id: providerId,
      seeker_name: 'Ines S.',
      provider_name: 'Pat P.',
      hire_confirmed: true,
      idme_verified,
    };
    return (await t.server.host.create('link', input, SYSTEM)).actor.id;
  }

  for (const status of ['required', 'in_progress', 'cancelled', 'manual_review'] as const) {
    it(`refuses POST /v1/links while the verification is ${status}, creating nothing`, async () => {
      const s = await seekerWhoseIdvIs(status);
      const provider = await createProvider(t);
      for (const token of [s.token, undefined]) {
        const res = await t.api('POST', '/v1/links', { seeker_id: s.id, provider_id: provider }, { token });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.code).toBe('identity_verification_required');
        expect(res.body.details.idv_status).toBe(status);
      }
      expect((await t.api('GET', '/v1/actors?kind=link', undefined, { token: s.token })).body.count).toBe(0);
    });
  }

  it('lets seekers verified by Prove or before trustwire ask', async () => {
    const proved = await seeker();
    await proved.send({ type: 'START_VERIFICATION' });
    await proved.send({ type: 'SUBMIT_LEGAL_INFO', ...legal('00') });
    await idvOf(proved.id, 'verified');
    const imported = await seeker(importedVerification('Ines', 'Six'));
    for (const s of [proved, imported]) {
      const res = await t.api('POST', '/v1/links', { seeker_id: s.id, provider_id: await createProvider(t) }, { token: s.token });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });

  it('refuses ACCEPT_DISCLOSURES of a draft whose seeker is not verified, with or without ID.me, and the provider hears nothing', async () => {
    const s = await seekerWhoseIdvIs('cancelled');
    const provider = await createProvider(t);
    const providerToken = await t.session(provider, 'provider');
    for (const idme of [true, false]) {
      const draft = await draftFromBefore(s.id, provider, idme);
      const res = await command(t, draft, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, s.token);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('identity_verification_required');
      const after = await getActor(t, draft);
      expect([after.status, after.data.step, after.data.seeker_disclosure]).toEqual(['draft', 'disclosures', null]);
      await ok(t, draft, { type: 'CANCEL_REQUEST' }, s.token);
    }
    expect((await getActor(t, s.id)).data.monitoring.used).toBe(0);
    expect(await notificationsOf(t, provider, providerToken)).toEqual([]);
  });

  it('never sends a request while the verification is being cancelled at the same moment', async () => {
    // Each round: a seeker whose cancellation waits for confirmation, drafts from before the rule,
    // and the confirmation racing the drafts' sending. Whatever order the mailboxes take, no
    // request is sent: the seeker's status is read by the seeker itself, under its mailbox.
    for (let round = 0; round < 5; round++) {
      const s = await seekerWhoseIdvIs('in_progress');
      await s.send({ type: 'CANCEL_VERIFICATION' });
      const providers = await Promise.all([1, 2, 3].map(() => createProvider(t)));
      const drafts = await Promise.all(providers.map((p, i) => draftFromBefore(s.id, p, i !== 1)));
      const answers = await Promise.all([
        s.send({ type: 'CONFIRM_CANCEL' }),
        ...drafts.map((draft) => command(t, draft, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, s.token)),
      ]);
      expect(answers[0].status).toBe(200);
      for (const answer of answers.slice(1)) expect([answer.status, answer.body.code]).toEqual([422, 'identity_verification_required']);
      for (const draft of drafts) expect((await getActor(t, draft)).status).toBe('draft');
      expect((await getActor(t, s.id)).data).toMatchObject({ idv_status: 'cancelled', monitoring: { used: 0 } });
      for (const p of providers) expect(await notificationsOf(t, p)).toEqual([]);
    }
  });
});
