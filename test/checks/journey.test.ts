import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  candidateSchema,
  countyCriminalSearchSchema,
  eventSchema,
  invitationSchema,
  nationalCriminalSearchSchema,
  reportSchema,
  sexOffenderSearchSchema,
  ssnTraceSchema,
  webhookCreatedSchema,
  webhookSchema,
} from '../../server/checks/schemas.ts';
import { ManualClock } from '../../server/runtime/clock.ts';
import { openPage, openSignedLink, postPage, submitForm } from '../helpers/checks.ts';
import { eventually, notificationsOf } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';
import { WebhookReceiver } from '../helpers/webhook-receiver.ts';

/**
 * SPEC.md B1–B6 end to end, as a Checkr client would use trustwire: a candidate with an email only,
 * an invitation, the hosted form completed as a browser posts it, the report running at the
 * screening sandbox to its result, and every step announced to the marketplace's webhook endpoint,
 * signed both ways, retried when the endpoint fails.
 */

// The simulated clock starts now, so the receiver's replay window (300 s) holds; tests move it for retries.
const clock = new ManualClock(Date.now());
let t: TestServer;
let receiver: WebhookReceiver;
// The first delivery of every `report.created` fails, so each report shows a retry.
const failFirstReportCreated = (n: number, body: any) => (body.type === 'report.created' && n === 1 ? 500 : 200);

beforeAll(async () => {
  t = await startTestServer({ SANDBOX_SCREENING_DELAY_MS: '20' }, clock);
  receiver = new WebhookReceiver(API_KEY, failFirstReportCreated);
  const url = await receiver.start();
  const subscribed = await t.api('POST', '/v1/webhooks', { webhook_url: url, include_object: true });
  expect(subscribed.status).toBe(201);
  webhookCreatedSchema.parse(subscribed.body);
  receiver.secret = subscribed.body.secret;
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** The hosted form, completed as the candidate's browser posts it; resolves with the invitation afterwards. */
async function applyThroughForm(lastName: string) {
  const candidate = await t.api('POST', '/v1/candidates', { email: `jamie-${crypto.randomUUID().slice(0, 8)}@example.com` });
  expect(candidate.status).toBe(201);
  candidateSchema.parse(candidate.body);
  const invitation = await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.body.id });
  expect(invitation.status).toBe(201);
  invitationSchema.parse(invitation.body);
  expect(invitation.body).toMatchObject({ status: 'pending', report_id: null, completed_at: null, candidate_id: candidate.body.id });

  const session = await openSignedLink(invitation.body.invitation_url);
  const form = await openPage(session);
  expect(form.status).toBe(200);
  const html = await form.text();
  for (const field of ['first_name', 'last_name', 'dob', 'ssn', 'zipcode', 'signature', 'consent']) expect(html).toContain(`name="${field}"`);

  const posted = await submitForm(session, {
    first_name: 'Jamie',
    last_name: lastName,
    no_middle_name: 'true',
    dob: '1988-04-12',
    ssn: '123-45-6780',
    zipcode: '94105',
    signature: `Jamie ${lastName}`,
  });
  expect(posted.status, 'the form answers with the status page').toBe(303);
  const completed = await eventually(
    () => t.api('GET', `/v1/invitations/${invitation.body.id}`),
    (r) => r.body.report_id !== null,
  );
  invitationSchema.parse(completed.body);
  expect(completed.body.status).toBe('completed');
  return { candidate: candidate.body, invitation: completed.body, session: { ...session, url: new URL(posted.headers.get('location')!, t.url).href } };
}

const finished = (id: string) =>
  eventually(
    () => t.api('GET', `/v1/reports/${id}`),
    (r) => r.body.status === 'complete',
    15_000,
  );

describe('background check journey', () => {
  it('an email, an invitation, the hosted form: a clear report, its consent recorded, its status on the candidate page', async () => {
    const { candidate, invitation, session } = await applyThroughForm('Clear');
    const report = await finished(invitation.report_id);
    reportSchema.parse(report.body);
    expect(report.body).toMatchObject({ status: 'complete', result: 'clear', source: 'form', package: 'tasker_standard', candidate_id: candidate.id });

    const full = (await t.api('GET', `/v1/reports/${report.body.id}?include=ssn_trace,sex_offender_search,national_criminal_search,county_criminal_searches`))
      .body;
    ssnTraceSchema.parse(full.ssn_trace);
    sexOffenderSearchSchema.parse(full.sex_offender_search);
    nationalCriminalSearchSchema.parse(full.national_criminal_search);
    for (const county of full.county_criminal_searches) countyCriminalSearchSchema.parse(county);
    expect(full.ssn_trace.ssn).toBe('XXX-XX-6780');
    expect((await t.api('GET', `/v1/ssn_traces/${report.body.ssn_trace_id}`)).body).toEqual(full.ssn_trace);

    // B2: the signature, its time and the disclosure version are kept with the report.
    const view = (await t.api('GET', `/v1/actors/${report.body.id}`)).body;
    expect(view.data.source).toBe('form');
    const history = (await t.api('GET', `/v1/actors/${invitation.id}/history`)).body.data.map((h: any) => h.event.type);
    expect(history).toEqual(['CREATED', 'COMPLETE']);

    const page = await (await openPage(session)).text();
    expect(page).toContain('data-status="complete"');
    expect(page).toContain('clear');

    // B1: the invitation email reached the candidate, with the form's link.
    const emails = await notificationsOf(t, candidate.id);
    expect(emails.find((n: any) => n.template === 'invitation')?.text).toContain(invitation.invitation_url);
  });

  it('a `Consider` candidate: a county record with its case number, charges, dispositions and dates', async () => {
    const { invitation } = await applyThroughForm('Consider');
    const report = await finished(invitation.report_id);
    expect(report.body.result).toBe('consider');
    const [county] = (await t.api('GET', `/v1/reports/${report.body.id}?include=county_criminal_searches`)).body.county_criminal_searches;
    countyCriminalSearchSchema.parse(county);
    expect(county.result).toBe('consider');
    const [record] = county.records;
    expect(record.case_number).toMatch(/\S/);
    expect(record.file_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(record.charges.length).toBeGreaterThanOrEqual(1);
    for (const charge of record.charges) {
      expect(charge.charge).toMatch(/\S/);
      expect(charge.disposition).toMatch(/\S/);
      expect(charge.offense_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('B5: a suspended check asks the candidate for what is missing on their status page, and resumes', async () => {
    const { invitation, session } = await applyThroughForm('Suspended');
    await eventually(
      () => t.api('GET', `/v1/reports/${invitation.report_id}`),
      (r) => r.body.status === 'suspended',
      10_000,
    );
    await receiver.until(() => receiver.of('report.suspended', invitation.report_id).length === 1, 'report.suspended');
    const page = await (await openPage(session)).text();
    expect(page).toContain('data-status="suspended"');
    expect(page).toContain('name="mother_maiden_name"');

    const empty = await postPage(session, { mother_maiden_name: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Mother&#39;s maiden name is required');
    const given = await postPage(session, { mother_maiden_name: 'Okafor' });
    expect(given.status).toBe(303);
    const report = await finished(invitation.report_id);
    expect(report.body).toMatchObject({ status: 'complete', result: 'clear' });
    await receiver.until(() => receiver.of('report.resumed', invitation.report_id).length === 1, 'report.resumed');
  });

  it('announces every change by webhook, once per delivery, signed both ways, retrying a failed one', async () => {
    const { candidate, invitation } = await applyThroughForm('Clear');
    const reportId = invitation.report_id;
    await finished(reportId);
    await receiver.until(() => receiver.of('report.completed', reportId).length === 1, 'report.completed');
    await receiver.until(() => receiver.of('report.created', reportId).length === 1, 'the failed report.created');

    // The endpoint answered 500: trustwire tries again about 5 s later (VENDORS.md), with the same event.
    clock.advance(6_000);
    await receiver.until(() => receiver.of('report.created', reportId).length === 2, 'the retried report.created');
    const [failed, retried] = receiver.of('report.created', reportId);
    expect([failed.answered, retried.answered]).toEqual([500, 200]);
    expect(retried.id).toBe(failed.id);
    expect(retried.raw).toBe(failed.raw);
    expect(Number(retried.headers['webhook-timestamp'])).toBeGreaterThan(Number(failed.headers['webhook-timestamp']));

    const mine = receiver.received.filter((r) => [candidate.id, invitation.id, reportId].includes(r.body.data.object.id));
    expect(new Set(mine.map((r) => r.body.type))).toEqual(
      new Set(['candidate.created', 'candidate.updated', 'invitation.created', 'invitation.completed', 'report.created', 'report.updated', 'report.completed']),
    );
    for (const delivery of mine) {
      expect(delivery.standardSignatureValid, `${delivery.body.type}: Standard Webhooks signature`).toBe(true);
      expect(delivery.checkrSignatureValid, `${delivery.body.type}: X-Checkr-Signature`).toBe(true);
      expect(delivery.id).toBe(delivery.body.id);
      eventSchema.parse(delivery.body);
    }
    // Each event once per delivery: only the failed one came twice.
    const repeated = mine.filter((delivery, i) => mine.findIndex((o) => o.id === delivery.id) !== i).map((d) => d.body.type);
    expect(repeated).toEqual(['report.created']);

    // The delivery log shows both attempts; a redelivery on request sends the same event again.
    const logged = (
      await eventually(
        () => t.api('GET', `/v1/events/${failed.id}`),
        (r) => r.body.deliveries?.[0]?.status === 'delivered',
      )
    ).body;
    expect(logged.deliveries).toHaveLength(1);
    expect(logged.deliveries[0]).toMatchObject({ status: 'delivered', attempts: [{ status_code: 500 }, { status_code: 200 }] });
    expect((await t.api('POST', `/v1/events/${failed.id}/redeliver`, {})).status).toBe(202);
    await receiver.until(() => receiver.of('report.created', reportId).length === 3, 'the redelivery');
    expect((await t.api('GET', `/v1/events/${failed.id}`)).body.deliveries).toHaveLength(2);
  });

  it('lists, reads and deletes subscriptions without their secrets; nothing is sent to a deleted one', async () => {
    const other = new WebhookReceiver(API_KEY);
    const url = await other.start();
    try {
      const created = (await t.api('POST', '/v1/webhooks', { webhook_url: url, include_object: 'false' })).body;
      expect(created.include_object).toBe(false);
      const listed = (await t.api('GET', '/v1/webhooks')).body;
      expect(listed.count).toBe(2);
      for (const hook of listed.data) webhookSchema.parse(hook);
      expect((await t.api('POST', '/v1/webhooks', { webhook_url: url })).body.code, 'CHECKR.md: 2 per account').toBe('webhook_limit_reached');

      other.secret = created.secret;
      const candidate = (await t.api('POST', '/v1/candidates', { email: 'refs@example.com' })).body;
      await other.until(() => other.of('candidate.created', candidate.id).length === 1, 'candidate.created');
      expect(other.of('candidate.created', candidate.id)[0].body.data.object, 'without include_object: a reference').toEqual({
        id: candidate.id,
        object: 'candidate',
        uri: `/v1/candidates/${candidate.id}`,
      });

      const deleted = await t.api('DELETE', `/v1/webhooks/${created.id}`);
      expect(deleted.body.deleted_at).not.toBeNull();
      expect((await t.api('GET', `/v1/webhooks/${created.id}`)).status).toBe(404);
      const later = (await t.api('POST', '/v1/candidates', { email: 'after@example.com' })).body;
      await receiver.until(() => receiver.of('candidate.created', later.id).length === 1, 'candidate.created on the kept subscription');
      expect(other.of('candidate.created', later.id)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses webhook management to anyone but the integrator, and bad URLs', async () => {
    const agent = await t.session('agent_1', 'agent');
    expect((await t.api('GET', '/v1/webhooks', undefined, { token: agent })).status).toBe(403);
    expect((await t.api('POST', '/v1/webhooks', { webhook_url: 'ftp://example.com' })).status).toBe(400);
    expect((await t.api('POST', '/v1/webhooks', { webhook_url: 'http://example.com', include_object: 'sometimes' })).status).toBe(400);
  });
});
