import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyCriminalSearchSchema } from '../../server/checks/schemas.ts';
import { completedReport, FULL_CANDIDATE } from '../helpers/checks.ts';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createProvider, createSeeker, eventually, getActor, notificationsOf, ok } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * C12, C15, B8: the monitoring vendor (Sterling sandbox) reports a record for a monitored
 * provider; it becomes a `continuous_check` report that reaches each seeker whose link is
 * active, with an alert in-app and by email, and the seeker may raise a concern about it.
 */
describe('a record found by continuous monitoring', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const monitoringSeeker = async (providerId: string) => {
    const seekerId = await createSeeker(t, 'complete');
    await completeIdme(t, seekerId);
    return { seekerId, linkId: await activeLink(t, seekerId, providerId) };
  };

  it('reaches the seekers actively monitoring, never one whose link ended', async () => {
    const providerId = await createProvider(t);
    const watching = await monitoringSeeker(providerId);
    const stopped = await monitoringSeeker(providerId);
    await ok(t, stopped.linkId, { type: 'STOP_MONITORING' });
    // Both enrolments reached the vendor before one was withdrawn.
    await eventually(
      () => t.api('POST', '/sandbox/sterling/alerts', { provider_id: providerId }),
      (r) => r.status === 202,
    );

    const link = await eventually(
      () => getActor(t, watching.linkId),
      (l) => l.data.reports.length === 1,
      10_000,
    );
    const [reportId] = link.data.reports;
    const seekerToken = await t.session(watching.seekerId, 'seeker');
    const report = (await t.api('GET', `/v1/actors/${reportId}`, undefined, { token: seekerToken })).body;
    expect(report.data).toMatchObject({ source: 'continuous_check', package: 'continuous_check', result: 'consider' });
    const checkr = (await t.api('GET', `/v1/reports/${reportId}?include=county_criminal_searches`)).body;
    expect(checkr.source).toBe('continuous_check');
    const [county] = checkr.county_criminal_searches;
    countyCriminalSearchSchema.parse(county);
    expect(county.records[0].charges.length).toBeGreaterThan(0);

    const alerts = await eventually(
      () => notificationsOf(t, watching.seekerId),
      (n) => n.filter((x) => x.template === 'record_found').length === 2,
    );
    expect(
      alerts
        .filter((n) => n.template === 'record_found')
        .map((n) => n.channel)
        .sort(),
    ).toEqual(['email', 'in_app']);

    // The same record, reported again for the seeker whose monitoring stopped (a vendor late to
    // withdraw), reaches nobody: a link no longer active takes no report.
    const sandbox = t.sealer.open<any>(await readFile(join(t.dataDir, 'sandbox', 'sterling.json'), 'utf8'));
    const alert = Object.values(sandbox.screenings as Record<string, any>).find((s) => s.result === 'alert');
    const enrolment = (await eventually(
      () => t.server.store.getRecord('monitoring', stopped.linkId),
      (e: any) => Boolean(e?.withdrawn),
    )) as { candidate_id: string };
    const callback = `${t.url}/v1/vendors/sterling/callback/${t.server.auth.signed({ callback: 'sterling' }, Date.now() + 60_000)}`;
    const late = await fetch(callback, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'screening', payload: { ...alert, candidateId: enrolment.candidate_id } }),
    });
    expect(late.status, await late.clone().text()).toBe(200);
    expect((await getActor(t, stopped.linkId)).data.reports).toEqual([]);
    expect((await notificationsOf(t, stopped.seekerId)).filter((n) => n.template === 'record_found')).toEqual([]);
    const theirToken = await t.session(stopped.seekerId, 'seeker');
    expect((await t.api('GET', `/v1/actors/${reportId}`, undefined, { token: theirToken })).status).toBe(404);

    // C12: a concern about the report opens a case.
    await ok(t, watching.linkId, { type: 'REPORT_CONCERN', report_id: reportId, text: 'This is not the person I hired.' }, seekerToken);
    const cases = (await t.api('GET', `/v1/cases?queue=concerns&subject=${watching.linkId}`)).body;
    expect(cases.data).toHaveLength(1);
    expect(cases.data[0]).toMatchObject({ queue: 'concerns', status: 'open', summary: 'This is not the person I hired.', refs: { report_id: reportId } });
  });
});

/** B8 for the integrator's own candidates: a continuous check reports only a found record, and only while enrolled. */
describe('a continuous check', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '20' });
  });
  afterAll(() => t.close());

  it('needs a completed SSN trace, then reports a found record as a continuous_check report until cancelled', async () => {
    const candidate = (await t.api('POST', '/v1/candidates', { email: `cc-${crypto.randomUUID().slice(0, 8)}@example.com`, ...FULL_CANDIDATE })).body;
    const early = await t.api('POST', `/v1/candidates/${candidate.id}/continuous_checks`, { type: 'criminal' });
    expect(early).toMatchObject({ status: 422, body: { error: 'Candidate must have a completed SSN trace' } });

    await completedReport(t, candidate.id, 'basic_criminal');
    const check = await t.api('POST', `/v1/candidates/${candidate.id}/continuous_checks`, { type: 'criminal' });
    expect(check.status).toBe(201);
    expect(check.body).toMatchObject({ object: 'continuous_check', type: 'criminal', candidate_id: candidate.id });

    // Enrolled at the vendor: an alert becomes a report of its own, with source continuous_check.
    await eventually(
      () => t.api('POST', '/sandbox/sterling/alerts', { candidate_id: candidate.id }),
      (r) => r.status === 202,
    );
    const withHit = await eventually(
      () => t.api('GET', `/v1/candidates/${candidate.id}`),
      (r) => r.body.report_ids.length === 2,
      10_000,
    );
    const hit = (await t.api('GET', `/v1/reports/${withHit.body.report_ids[1]}`)).body;
    expect(hit).toMatchObject({ source: 'continuous_check', package: 'continuous_check', status: 'complete', result: 'consider' });

    expect((await t.api('DELETE', `/v1/continuous_checks/${check.body.id}`)).status).toBe(200);
    expect((await t.api('GET', `/v1/candidates/${candidate.id}/continuous_checks`)).body.count).toBe(0);
    // Withdrawn at the vendor: nothing to alert any more.
    await eventually(
      () => t.api('POST', '/sandbox/sterling/alerts', { candidate_id: candidate.id }),
      (r) => r.status === 404,
    );
    expect((await t.api('GET', `/v1/candidates/${candidate.id}`)).body.report_ids).toHaveLength(2);
  });
});
