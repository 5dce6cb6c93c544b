import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  adverseActionSchema,
  adverseItemSchema,
  candidateSchema,
  candidateWithReportsSchema,
  continuousCheckSchema,
  invitationSchema,
  listOf,
  packageSchema,
  reportEtaSchema,
  reportSchema,
  type ScreeningType,
  screeningCollections,
  screeningSchemas,
  webhookCreatedSchema,
  webhookSchema,
} from '../../server/checks/schemas.ts';
import { FULL_CANDIDATE } from '../helpers/checks.ts';
import { eventually } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';
import { type Exchange, OfficialClient } from './official-client.ts';

/**
 * The compatibility suite: for every Checkr-shaped endpoint, the requests Checkr's official client
 * library sends (official-client.ts), replayed against trustwire, each answer checked against the
 * per-object schemas, which require every field of the object's type in every state: pending,
 * complete, canceled and suspended reports and screenings.
 */

/** The answer has this status and its body fits the schema (the issues listed, if not). */
function fits<S extends z.ZodType>(exchange: Exchange, status: number, schema: S): z.infer<S> {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${JSON.stringify(exchange.body)}`).toBe(status);
  const parsed = schema.safeParse(exchange.body);
  expect(parsed.error?.issues ?? [], `${exchange.method} ${exchange.path}`).toEqual([]);
  return parsed.data as z.infer<S>;
}

const SCREENING_TYPES = Object.keys(screeningCollections) as ScreeningType[];

/** Reads every screening of a report through its own route, each checked against its type's schema. */
async function screeningsOf(client: OfficialClient, report: Record<string, unknown>) {
  const read: Record<string, any>[] = [];
  for (const type of SCREENING_TYPES) {
    const field = report[`${type}_id`] ?? report[`${type}_ids`];
    for (const id of [field].flat().filter((x): x is string => typeof x === 'string')) {
      read.push(fits(await client.request('get', `/v1/${screeningCollections[type]}/${id}`), 200, screeningSchemas[type]));
    }
  }
  return read;
}

describe('Checkr’s official client library against trustwire', () => {
  let fast: TestServer;
  let slow: TestServer;
  let client: OfficialClient;
  let slowClient: OfficialClient;

  beforeAll(async () => {
    // Screenings take 50 ms × their multiple here; on `slow` they wait an hour, so reports stay pending.
    fast = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '50', INTEGRATOR_RATE_LIMIT_PER_MINUTE: '100000' });
    slow = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '3600000', INTEGRATOR_RATE_LIMIT_PER_MINUTE: '100000' });
    client = new OfficialClient(fast.url, API_KEY);
    slowClient = new OfficialClient(slow.url, API_KEY);
  });
  afterAll(async () => {
    await fast?.close();
    await slow?.close();
  });

  const createCandidate = async (c: OfficialClient, fields: Record<string, unknown> = FULL_CANDIDATE) =>
    fits(await c.request('post', '/v1/candidates', { email: `jamie-${crypto.randomUUID().slice(0, 8)}@example.com`, ...fields }), 201, candidateSchema);
  const complete = (c: OfficialClient, id: string, status = 'complete') =>
    eventually(
      () => c.request('get', `/v1/reports/${id}`),
      (r) => r.body.status === status,
      20_000,
    );

  it('Candidate: create, all, retrieve (with include=reports), save of changed attributes with documents, and a whole candidate sent back', async () => {
    const created = await createCandidate(client, { ...FULL_CANDIDATE, metadata: { crm: 'A-17' }, geo_ids: ['geo_1'] });
    expect(created).toMatchObject({ ssn: 'XXX-XX-6780', no_middle_name: true, metadata: { crm: 'A-17' }, geo_ids: ['geo_1'] });

    const all = fits(await client.request('get', '/v1/candidates'), 200, listOf(candidateSchema));
    expect(all.data.map((c) => c.id)).toContain(created.id);
    fits(await client.request('get', `/v1/candidates/${created.id}`), 200, candidateSchema);

    // `candidate.copy_requested = true; candidate.save`: the change, and `documents` the library adds.
    const saved = fits(await client.save('candidate', created.id, { copy_requested: true }), 200, candidateSchema);
    expect(saved.copy_requested).toBe(true);

    const report = fits(await client.request('post', '/v1/reports', { candidate_id: created.id, package: 'basic_criminal' }), 200, reportSchema);
    // A JSON client sends the candidate back whole: its masked SSN, nulls and read-only fields are no change.
    const read = (await client.request('get', `/v1/candidates/${created.id}`)).body;
    const sentBack = fits(await client.sendBack(`/v1/candidates/${created.id}`, read, { phone: '+1 415 555 0100' }), 200, candidateSchema);
    expect(sentBack).toMatchObject({ phone: '+1 415 555 0100', ssn: 'XXX-XX-6780', first_name: 'Jamie', report_ids: [report.id] });
    // A known key with a bad value is still refused, in Checkr's words, and changes nothing.
    expect(await client.sendBack(`/v1/candidates/${created.id}`, read, { ssn: 'XXX-XX-0000' })).toMatchObject({
      status: 400,
      body: { error: 'SSN is invalid' },
    });
    expect(await client.save('candidate', created.id, { email: 'not-an-email' })).toMatchObject({
      status: 400,
      body: { error: 'Invalid candidate: email: Email is not a valid email address' },
    });
    expect(await client.save('candidate', created.id, { first_name: 'Other' })).toMatchObject({ status: 400, body: { error: 'first_name cannot be updated' } });

    const withReports = fits(await client.request('get', `/v1/candidates/${created.id}`, { include: 'reports' }), 200, candidateWithReportsSchema);
    expect(withReports.reports.map((r) => r.id)).toEqual([report.id]);
    const listed = fits(await client.request('get', '/v1/candidates', { include: 'reports', email: created.email }), 200, listOf(candidateWithReportsSchema));
    expect(listed.data[0].reports[0].id).toBe(report.id);
  });

  it('lists: absolute hrefs to follow, per_page=0 for the count only', async () => {
    for (let i = 0; i < 3; i++) await createCandidate(client);
    const first = fits(await client.request('get', '/v1/candidates', { per_page: 2 }), 200, listOf(candidateSchema));
    expect(first.next_href).toBe(`${fast.url}/v1/candidates?per_page=2&page=2`);
    const second = fits(await client.request('get', new URL(first.next_href!).pathname + new URL(first.next_href!).search), 200, listOf(candidateSchema));
    expect(second.previous_href).toBe(`${fast.url}/v1/candidates?per_page=2&page=1`);
    expect(second.data.map((c) => c.id)).not.toContain(first.data[0].id);
    const counted = fits(await client.request('get', '/v1/candidates', { per_page: 0 }), 200, listOf(candidateSchema));
    expect(counted).toMatchObject({ data: [], count: first.count, next_href: null, previous_href: null });
    expect((await client.request('get', '/v1/candidates', { per_page: 101 })).status).toBe(400);
  });

  it('Invitation: create (expiring 23:59:59 Pacific of the seventh day), all, retrieve, cancel', async () => {
    const candidate = await createCandidate(client, {});
    const invitation = fits(await client.request('post', '/v1/invitations', { candidate_id: candidate.id, package: 'tasker_standard' }), 201, invitationSchema);
    const pacific = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    expect(pacific.format(new Date(invitation.expires_at))).toBe('23:59:59');
    const days = (Date.parse(invitation.expires_at) - Date.parse(invitation.created_at)) / 86_400_000;
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThanOrEqual(8);

    const all = fits(await client.request('get', '/v1/invitations', { candidate_id: candidate.id }), 200, listOf(invitationSchema));
    expect(all.data.map((i) => i.id)).toEqual([invitation.id]);
    fits(await client.request('get', `/v1/invitations/${invitation.id}`), 200, invitationSchema);
    const canceled = fits(await client.request('delete', `/v1/invitations/${invitation.id}`), 200, invitationSchema);
    expect(canceled.deleted_at).not.toBeNull();
    expect((await client.request('get', `/v1/invitations/${invitation.id}`)).status).toBe(404);
    fits(await client.request('get', `/v1/invitations/${invitation.id}`, { include_deleted: true }), 200, invitationSchema);
  });

  it('Report and screenings: every field while pending, then complete, its ETA, and an upgrade saved with the lists the library sends along', async () => {
    const candidate = await createCandidate(client);
    const created = fits(await client.request('post', '/v1/reports', { candidate_id: candidate.id, package: 'tasker_standard' }), 200, reportSchema);
    expect(created).toMatchObject({
      status: 'pending',
      motor_vehicle_report_id: null,
      global_watchlist_search_id: null,
      state_criminal_search_ids: null,
      document_ids: [],
      program_id: null,
    });
    expect(Date.parse(created.estimated_completion_time)).toBeGreaterThan(Date.parse(created.created_at));
    const eta = fits(await client.request('get', `/v1/reports/${created.id}/eta`), 200, reportEtaSchema);
    expect(eta.estimated_completion_time).toBe(created.estimated_completion_time);

    const done = fits(await complete(client, created.id), 200, reportSchema);
    expect(done).toMatchObject({ result: 'clear', turnaround_time: expect.any(Number) });
    const screenings = await screeningsOf(client, done);
    expect(screenings.map((s) => s.object).sort()).toEqual(['county_criminal_search', 'national_criminal_search', 'sex_offender_search', 'ssn_trace']);
    const trace = screenings.find((s) => s.object === 'ssn_trace')!;
    expect(trace.addresses.length).toBeGreaterThan(0);
    expect(screenings.find((s) => s.object === 'county_criminal_search')).toMatchObject({ county: 'San Francisco', state: 'CA', assessment: null });

    // `report.package = 'driver_pro'; report.save`, after the candidate's licence is saved.
    fits(await client.save('candidate', candidate.id, { driver_license_number: 'F1112001', driver_license_state: 'CA' }), 200, candidateSchema);
    const upgraded = fits(await client.save('report', done.id, { package: 'driver_pro' }), 200, reportSchema);
    expect(upgraded).toMatchObject({ status: 'pending', package: 'driver_pro', motor_vehicle_report_id: expect.any(String) });
    const mvrPending = fits(
      await client.request('get', `/v1/motor_vehicle_reports/${upgraded.motor_vehicle_report_id}`),
      200,
      screeningSchemas.motor_vehicle_report,
    );
    expect(mvrPending).toMatchObject({ status: 'pending', license_type: null, violations: [], turnaround_time: null });
    const again = fits(await complete(client, done.id), 200, reportSchema);
    const mvr = fits(await client.request('get', `/v1/motor_vehicle_reports/${again.motor_vehicle_report_id}`), 200, screeningSchemas.motor_vehicle_report);
    expect(mvr).toMatchObject({ status: 'complete', full_name: 'Jamie Clear', license_type: 'non-commercial', license_number: 'F1112001' });
    // The same save again changes nothing (the package adds nothing), in Checkr's words.
    expect(await client.save('report', done.id, { package: 'driver_pro' })).toMatchObject({
      status: 400,
      body: { error: 'New package does not add any screenings' },
    });
  });

  it('Report: canceled and suspended, every screening field present in those states too', async () => {
    // Complete now before anything finished: every screening canceled, SSN trace included.
    const candidate = await createCandidate(slowClient);
    const pending = fits(await slowClient.request('post', '/v1/reports', { candidate_id: candidate.id, package: 'tasker_standard' }), 200, reportSchema);
    for (const s of await screeningsOf(slowClient, pending))
      expect(s).toMatchObject({ status: 'pending', result: null, completed_at: null, cancellation_reason: null });
    const canceled = fits(await slowClient.request('post', `/v1/reports/${pending.id}/complete`), 200, reportSchema);
    expect(canceled).toMatchObject({ status: 'canceled', includes_canceled: true });
    for (const s of await screeningsOf(slowClient, canceled)) {
      expect(s).toMatchObject({
        status: 'canceled',
        cancellation_reason: 'complete_now_customer_requested',
        cancellation_reason_description: expect.stringMatching(/\S/),
      });
    }

    const suspendedCandidate = await createCandidate(client, { ...FULL_CANDIDATE, last_name: 'Suspended' });
    const report = fits(await client.request('post', '/v1/reports', { candidate_id: suspendedCandidate.id, package: 'tasker_standard' }), 200, reportSchema);
    const suspended = fits(await complete(client, report.id, 'suspended'), 200, reportSchema);
    const county = (await screeningsOf(client, suspended)).find((s) => s.object === 'county_criminal_search')!;
    expect(county).toMatchObject({ status: 'suspended', result: null, records: [], county: 'San Francisco' });
  });

  it('adjudication and adverse action: save engaged, adverse items, create with report_id repeated, list, retrieve, cancel', async () => {
    const candidate = await createCandidate(client, { ...FULL_CANDIDATE, last_name: 'Consider' });
    const created = fits(await client.request('post', '/v1/reports', { candidate_id: candidate.id, package: 'tasker_standard' }), 200, reportSchema);
    const done = fits(await complete(client, created.id), 200, reportSchema);
    expect(done.result).toBe('consider');

    // `report.adjudication = 'engaged'; report.save`; and saved again, the same value is no change.
    expect(fits(await client.save('report', done.id, { adjudication: 'engaged' }), 200, reportSchema).adjudication).toBe('engaged');
    expect(fits(await client.save('report', done.id, { adjudication: 'engaged' }), 200, reportSchema).adjudication).toBe('engaged');
    expect((await client.save('report', done.id, { adjudication: 'approved' })).status).toBe(400);

    const items = fits(await client.request('get', `/v1/reports/${done.id}/adverse_items`), 200, listOf(adverseItemSchema));
    const action = fits(
      await client.request('post', `/v1/reports/${done.id}/adverse_actions`, { report_id: done.id, adverse_item_ids: [items.data[0].id] }),
      200,
      adverseActionSchema,
    );
    expect(action).toMatchObject({ status: 'pending', report_id: done.id, post_notice_ready_at: action.post_notice_scheduled_at });
    // The waiting period (7 days) from the request; the action is stamped a moment later.
    expect(Math.abs(Date.parse(action.post_notice_ready_at) - Date.parse(action.created_at) - 7 * 86_400_000)).toBeLessThan(1000);
    const listed = fits(await client.request('get', `/v1/reports/${done.id}/adverse_actions`), 200, listOf(adverseActionSchema));
    expect(listed.data.map((a) => a.id)).toEqual([action.id]);
    fits(await client.request('get', `/v1/adverse_actions/${action.id}`), 200, adverseActionSchema);
    const canceled = fits(await client.request('delete', `/v1/adverse_actions/${action.id}`), 200, adverseActionSchema);
    expect(canceled.status).toBe('canceled');
    expect(fits(await client.request('get', `/v1/reports/${done.id}`), 200, reportSchema).adjudication).toBeNull();
  });

  it('Package: all, retrieve, delete', async () => {
    const all = fits(await client.request('get', '/v1/packages'), 200, listOf(packageSchema));
    expect(all.data.map((p) => p.slug)).toEqual(['basic_criminal', 'tasker_standard', 'driver_pro']);
    fits(await client.request('get', '/v1/packages/pkg_basic_criminal'), 200, packageSchema);
    // On the slow server, whose packages the other tests do not need.
    const deleted = fits(await slowClient.request('delete', '/v1/packages/pkg_basic_criminal'), 200, packageSchema);
    expect(deleted.deleted_at).not.toBeNull();
    expect(await slowClient.request('get', '/v1/packages/pkg_basic_criminal')).toMatchObject({ status: 404, body: { error: 'Package not found' } });
    expect(fits(await slowClient.request('get', '/v1/packages'), 200, listOf(packageSchema)).count).toBe(2);
    const candidate = await createCandidate(slowClient);
    expect(await slowClient.request('post', '/v1/reports', { candidate_id: candidate.id, package: 'basic_criminal' })).toMatchObject({
      status: 404,
      body: { error: 'Package not found' },
    });
  });

  it('continuous checks and webhooks: create, list, retrieve, delete', async () => {
    const candidate = await createCandidate(client);
    const report = fits(await client.request('post', '/v1/reports', { candidate_id: candidate.id, package: 'basic_criminal' }), 200, reportSchema);
    await complete(client, report.id);
    const check = fits(
      await client.request('post', `/v1/candidates/${candidate.id}/continuous_checks`, { type: 'criminal', candidate_id: candidate.id }),
      201,
      continuousCheckSchema,
    );
    fits(await client.request('get', `/v1/candidates/${candidate.id}/continuous_checks`), 200, listOf(continuousCheckSchema));
    fits(await client.request('get', `/v1/continuous_checks/${check.id}`), 200, continuousCheckSchema);
    fits(await client.request('delete', `/v1/continuous_checks/${check.id}`), 200, continuousCheckSchema);

    const hook = fits(
      await client.request('post', '/v1/webhooks', { webhook_url: 'https://integrator.example/hooks', include_object: true, live: false }),
      201,
      webhookCreatedSchema,
    );
    expect(hook).toMatchObject({ account_id: 'trustwire', application_id: null, live: true, include_object: true });
    fits(await client.request('get', '/v1/webhooks'), 200, listOf(webhookSchema));
    fits(await client.request('get', `/v1/webhooks/${hook.id}`), 200, webhookSchema);
    expect(fits(await client.request('delete', `/v1/webhooks/${hook.id}`), 200, webhookSchema).deleted_at).not.toBeNull();
  });

  it('answers a bad key as Checkr does, and every answer carries the rate-limit headers', async () => {
    const stranger = new OfficialClient(fast.url, 'not-a-key');
    expect(await stranger.request('get', '/v1/candidates')).toMatchObject({ status: 401, body: { error: 'Bad authentication error' } });
    // trustwire's own endpoints stay strict about keys they do not take.
    expect((await fast.api('POST', '/v1/seekers', { email: 'strict@example.com', plan: 'starter', documents: [] })).status).toBe(400);

    expect(client.exchanges.length).toBeGreaterThan(50);
    for (const { method, path, headers } of [...client.exchanges, ...slowClient.exchanges]) {
      const where = `${method} ${path}`;
      expect(headers.get('x-ratelimit-limit'), where).toBe('100000');
      expect(Number(headers.get('x-ratelimit-remaining')), where).toBeLessThan(100000);
      expect(headers.get('x-ratelimit-reset'), where).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
  });
});
