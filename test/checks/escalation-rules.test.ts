import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedReport, createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { eventually } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** B7: escalation rules managed over the API (seed 000: "create an escalation depending on the type of report"). */
describe('escalation rules, managed', () => {
  let t: TestServer;
  let dataDir: string;
  const SEEDED = [{ package: 'tasker_standard', result: 'consider', queue: 'escalations' }];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustwire-rules-'));
    t = await startTestServer({ DATA_DIR: dataDir, SANDBOX_SCREENING_DELAY_MS: '20', ESCALATION_RULES: JSON.stringify(SEEDED) });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const reportFor = async (lastName: string, pkg?: string) =>
    completedReport(t, (await createCandidate(t, { ...FULL_CANDIDATE, last_name: lastName })).id, pkg);
  const casesOf = async (id: string) => (await t.api('GET', `/v1/cases?subject=${id}`)).body.data;
  const rules = async () => (await t.api('GET', '/v1/escalation_rules')).body;

  it('seeds ESCALATION_RULES on first start, listed in the list envelope', async () => {
    const list = await rules();
    expect(list).toMatchObject({ object: 'list', count: 1 });
    expect(list.data[0]).toMatchObject({ object: 'escalation_rule', package: 'tasker_standard', result: 'consider', source: null, queue: 'escalations' });
    expect(list.data[0].id).toMatch(/^esc_/);
  });

  it('applies a rule created over the API from the next report on, and stops applying it once deleted, without a restart', async () => {
    const created = await t.api('POST', '/v1/escalation_rules', { result: 'clear', source: 'api', queue: 'clear_reports' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ object: 'escalation_rule', package: null, result: 'clear', source: 'api', queue: 'clear_reports' });

    const clear = await reportFor('Clearwater');
    const [opened] = await eventually(
      () => casesOf(clear.id),
      (c) => c.length === 1,
      10_000,
    );
    expect(opened).toMatchObject({ queue: 'clear_reports', refs: { report_id: clear.id, escalation_rule: created.body.id } });
    // The rule's queue is a case queue: listed by queue, and reviewers may open cases in it.
    expect((await t.api('GET', '/v1/cases?queue=clear_reports')).body.data.map((c: any) => c.id)).toContain(opened.id);
    expect((await t.api('POST', '/v1/cases', { subject: clear.id, queue: 'clear_reports', summary: 'By hand' })).status).toBe(201);
    expect((await t.api('POST', '/v1/cases', { subject: clear.id, queue: 'no_such_queue', summary: 'By hand' })).status).toBe(400);

    const deleted = await t.api('DELETE', `/v1/escalation_rules/${created.body.id}`);
    expect(deleted).toMatchObject({ status: 200, body: { id: created.body.id, deleted: true } });
    expect((await t.api('DELETE', `/v1/escalation_rules/${created.body.id}`)).status).toBe(404);
    expect((await rules()).data.map((r: any) => r.id)).not.toContain(created.body.id);

    const later = await reportFor('Clearbrook');
    const consider = await reportFor('Consider');
    // The seeded rule still applies; the deleted one no more.
    await eventually(
      () => casesOf(consider.id),
      (c) => c.length === 1,
      10_000,
    );
    expect(await casesOf(later.id)).toEqual([]);
  });

  it('keeps who created and deleted each rule (the audit trail)', async () => {
    const created = (await t.api('POST', '/v1/escalation_rules', { package: 'driver_pro', queue: 'drivers' })).body;
    await t.api('DELETE', `/v1/escalation_rules/${created.id}`);
    const all = (await t.api('GET', '/v1/escalation_rules?include_deleted=true')).body.data;
    const kept = all.find((r: any) => r.id === created.id);
    expect(kept).toMatchObject({ created_by: { role: 'integrator' }, deleted_by: { role: 'integrator' } });
    expect(kept.created_at <= kept.deleted_at).toBe(true);
    expect(all.find((r: any) => r.queue === 'escalations').created_by).toEqual({ role: 'system' });
  });

  it('refuses bad rules and members, lets staff read', async () => {
    for (const body of [{}, { queue: 'Bad Queue' }, { queue: 'ok', result: 'maybe' }, { queue: 'ok', source: 'fax' }, { queue: 'ok', extra: true }]) {
      const res = await t.api('POST', '/v1/escalation_rules', body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    const seeker = (await t.api('POST', '/v1/seekers', { email: `rules-${crypto.randomUUID().slice(0, 8)}@example.com`, plan: 'starter' })).body.id;
    const member = await t.session(seeker, 'seeker');
    const reviewer = await t.session('reviewer_rules', 'reviewer');
    expect((await t.api('GET', '/v1/escalation_rules', undefined, { token: member })).status).toBe(403);
    expect((await t.api('GET', '/v1/escalation_rules', undefined, { token: reviewer })).status).toBe(200);
    expect((await t.api('POST', '/v1/escalation_rules', { queue: 'x' }, { token: reviewer })).status).toBe(403);
    const id = (await rules()).data[0].id;
    expect((await t.api('DELETE', `/v1/escalation_rules/${id}`, undefined, { token: reviewer })).status).toBe(403);
  });

  it('does not seed again on a later start: deleted rules stay deleted', async () => {
    for (const rule of (await rules()).data) await t.api('DELETE', `/v1/escalation_rules/${rule.id}`);
    await t.close();
    t = await startTestServer({ DATA_DIR: dataDir, SANDBOX_SCREENING_DELAY_MS: '20', ESCALATION_RULES: JSON.stringify(SEEDED) });
    expect((await rules()).count).toBe(0);
    const consider = await reportFor('Consider');
    await new Promise((r) => setTimeout(r, 500));
    expect(await casesOf(consider.id)).toEqual([]);
  });
});
