import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adverseActionSchema, reportSchema } from '../../server/checks/schemas.ts';
import { completedReport, createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { eventually } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** B5 adjudication and adverse action, B7 escalation rules: what an integrator's API calls get. */
describe('adjudication, adverse action and escalation rules', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      SANDBOX_SCREENING_DELAY_MS: '20',
      ESCALATION_RULES: JSON.stringify([{ package: 'tasker_standard', result: 'consider', queue: 'escalations' }]),
    });
  });
  afterAll(() => t.close());

  const reportFor = async (lastName: string) => completedReport(t, (await createCandidate(t, { ...FULL_CANDIDATE, last_name: lastName })).id);
  const versionOf = async (id: string) => (await t.api('GET', `/v1/actors/${id}`)).body.version;
  const casesOf = async (id: string) => (await t.api('GET', `/v1/cases?subject=${id}`)).body.data;

  it('B7: a matching report opens a case in the rule’s queue; one that does not match opens none', async () => {
    const consider = await reportFor('Consider');
    const [opened] = await eventually(
      () => casesOf(consider.id),
      (c) => c.length === 1,
    );
    expect(opened).toMatchObject({ queue: 'escalations', status: 'open', refs: { report_id: consider.id, candidate_id: consider.candidate_id } });
    const clear = await reportFor('Clear');
    await new Promise((r) => setTimeout(r, 500));
    expect(await casesOf(clear.id)).toEqual([]);
  });

  it('refuses adverse action on a clear report, storing nothing', async () => {
    const clear = await reportFor('Clear');
    const before = await versionOf(clear.id);
    const refused = await t.api('POST', `/v1/reports/${clear.id}/adverse_actions`, { adverse_item_ids: ['ai_none'] });
    expect(refused).toMatchObject({ status: 422, body: { code: 'report_not_consider' } });
    expect(await versionOf(clear.id)).toBe(before);
  });

  it('engages, takes one adverse action on a consider report, and cancels it', async () => {
    const report = await reportFor('Consider');
    const engaged = await t.api('POST', `/v1/reports/${report.id}`, { adjudication: 'engaged' });
    expect(engaged.body.adjudication).toBe('engaged');
    reportSchema.parse(engaged.body);

    const items = (await t.api('GET', `/v1/reports/${report.id}/adverse_items`)).body.data;
    expect(items.length).toBeGreaterThan(0);
    expect((await t.api('POST', `/v1/reports/${report.id}/adverse_actions`, { adverse_item_ids: ['ai_unknown'] })).status).toBe(404);
    const action = await t.api('POST', `/v1/reports/${report.id}/adverse_actions`, { adverse_item_ids: [items[0].id] });
    expect(action.status).toBe(200);
    adverseActionSchema.parse(action.body);
    expect(action.body).toMatchObject({ status: 'pending', adverse_items: [items[0]] });
    expect((await t.api('GET', `/v1/reports/${report.id}`)).body.adjudication).toBe('pre_adverse_action');
    expect((await t.api('POST', `/v1/reports/${report.id}/adverse_actions`, { adverse_item_ids: [items[0].id] })).body.code).toBe('adverse_action_exists');

    const canceled = await t.api('DELETE', `/v1/adverse_actions/${action.body.id}`);
    expect(canceled.body).toMatchObject({ status: 'canceled', canceled_at: expect.any(String) });
    expect((await t.api('GET', `/v1/reports/${report.id}`)).body.adjudication).toBeNull();
  });
});
