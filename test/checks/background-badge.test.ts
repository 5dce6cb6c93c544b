import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { createProvider, createSeeker, eventually } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The background-check badge (seed 000: pass the status "to end users who benefit from knowing if
 * a background check has been completed on the candidate they are interacting with").
 */
describe('background-check badge on the provider profile', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '20' });
  });
  afterAll(() => t.close());

  const profile = async (id: string, token?: string) => (await t.api('GET', `/v1/providers/${id}`, undefined, { token })).body;

  it('shows null before any report, then the latest report’s status and result, to seekers and to the provider, without record details', async () => {
    const provider = await createProvider(t, 'Bea');
    const seekerToken = await t.session(await createSeeker(t, 'starter'), 'seeker');
    const providerToken = await t.session(provider, 'provider');
    expect((await profile(provider, seekerToken)).background_check).toBeNull();

    const candidate = await createCandidate(t, { ...FULL_CANDIDATE, first_name: 'Bea', last_name: 'Consider' });
    const tied = await t.api('POST', `/v1/providers/${provider}/background_check`, { candidate_id: candidate.id });
    expect(tied.status, JSON.stringify(tied.body)).toBe(200);
    expect(tied.body).toMatchObject({ id: provider, object: 'provider_profile', background_check: null });

    const report = await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id });
    expect(report.status).toBe(200);
    const done = await eventually(
      () => profile(provider, seekerToken),
      (p) => p.background_check?.status === 'complete',
      10_000,
    );
    expect(done.background_check).toEqual({ status: 'complete', result: 'consider', completed_at: expect.any(String) });
    expect((await profile(provider, providerToken)).background_check).toEqual(done.background_check);
    // The directory list carries it too.
    const listed = (await t.api('GET', '/v1/providers?per_page=100', undefined, { token: seekerToken })).body.data.find((p: any) => p.id === provider);
    expect(listed.background_check).toEqual(done.background_check);

    // A newer report of the same candidate is the one shown.
    expect((await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id })).status).toBe(200);
    await eventually(
      () => profile(provider, seekerToken),
      (p) => p.background_check.status !== 'complete' || p.background_check.completed_at > done.background_check.completed_at,
      10_000,
    );
  });

  it('refuses anyone but the integrator, unknown providers and candidates, and bad bodies', async () => {
    const provider = await createProvider(t);
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    const providerToken = await t.session(provider, 'provider');
    const reviewer = await t.session('reviewer_badge', 'reviewer');
    for (const token of [providerToken, reviewer]) {
      expect((await t.api('POST', `/v1/providers/${provider}/background_check`, { candidate_id: candidate.id }, { token })).status).toBe(403);
    }
    expect((await t.api('POST', '/v1/providers/prv_nobody/background_check', { candidate_id: candidate.id })).status).toBe(404);
    expect((await t.api('POST', `/v1/providers/${provider}/background_check`, { candidate_id: 'cand_nobody' })).status).toBe(404);
    for (const body of [{}, { candidate_id: 7 }, { candidate_id: candidate.id, extra: 1 }]) {
      expect((await t.api('POST', `/v1/providers/${provider}/background_check`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await profile(provider)).background_check).toBeNull();
  });
});
