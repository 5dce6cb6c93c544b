import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RetentionRuleStatus } from '../../contract/index.ts';
import { verifyStore } from '../../server/audit/verify.ts';
import { ManualClock } from '../../server/runtime/clock.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { completedReport, createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { createProvider, createSeeker, eventually } from '../helpers/link-flow.ts';
import { readableStore } from '../helpers/readable.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';
import { seekerThroughVeriff } from '../helpers/veriff.ts';

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;
const RETENTION = 'closed_members=30d,failed_idv=2y,candidates=7y';

/**
 * T4 on a simulated clock: each subject's retention reminder erases it on time, also when the
 * server was down when it came due, as `POST …/erase` would (by `retention:<rule>`); what is not
 * due yet, or under no rule, is kept; the operations board's figures follow.
 */
describe('retention rules on a simulated clock, across restarts', { timeout: 120_000 }, () => {
  const servers: TestServer[] = [];
  let dir: string;
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function boot(clock: ManualClock) {
    const t = await startTestServer({ DATA_DIR: dir, RETENTION, SANDBOX_SCREENING_DELAY_MS: '20', SANDBOX_VERIFF_DELAY_MS: '20' }, clock);
    servers.push(t);
    return t;
  }
  const board = async (t: TestServer): Promise<Record<string, Omit<RetentionRuleStatus, 'rule'>>> =>
    Object.fromEntries(((await t.api('GET', '/v1/retention')).body.rules as RetentionRuleStatus[]).map(({ rule, ...figures }) => [rule, figures]));
  const erasedBy = async (t: TestServer, path: string) => {
    const read = await t.api('GET', path);
    return read.status === 410 ? (read.body.details.erased_by as string) : read.status;
  };
  const whenErased = (t: TestServer, path: string, by: string) =>
    eventually(
      () => erasedBy(t, path),
      (answer) => answer === by,
    );

  it('erases closed members after 30 days, failed verifications after 2 years, candidates 7 years after their last report', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustwire-retention-'));
    const clock = new ManualClock(Date.parse('2026-01-05T10:00:00Z'));
    let t = await boot(clock);
    const closedSeeker = await createSeeker(t, 'starter', 'Carys');
    const closedProvider = await createProvider(t, 'Perrin');
    const openSeeker = await createSeeker(t, 'starter', 'Odile');
    for (const id of [closedSeeker, closedProvider]) expect((await command(t, id, { type: 'CLOSE_ACCOUNT' })).status).toBe(200);
    const failed = await seekerThroughVeriff(t, 'Fenna', { lastName: 'Declined' });
    const checked = await createCandidate(t, FULL_CANDIDATE);
    const report = await completedReport(t, checked.id, 'basic_criminal');
    const neverChecked = await createCandidate(t);

    const scheduled = await board(t);
    expect(scheduled.closed_members).toMatchObject({ period_ms: 30 * DAY, scheduled: 2, due_within_30_days: 2 });
    expect(scheduled.failed_idv).toMatchObject({ period_ms: 2 * YEAR, scheduled: 1, due_within_30_days: 0 });
    expect(scheduled.candidates).toMatchObject({ period_ms: 7 * YEAR, scheduled: 2, due_within_30_days: 0 });
    expect(Date.parse(scheduled.closed_members!.next_due_at!)).toBe(clock.now() + 30 * DAY);

    // Due while the server was down: erased at the next start.
    await t.close();
    clock.advance(31 * DAY);
    t = await boot(clock);
    await whenErased(t, `/v1/actors/${closedSeeker}`, 'retention:closed_members');
    await whenErased(t, `/v1/actors/${closedProvider}`, 'retention:closed_members');
    for (const kept of [openSeeker, failed.id, checked.id, neverChecked.id]) expect(await erasedBy(t, `/v1/actors/${kept}`), kept).toBe(200);
    expect((await board(t)).closed_members).toMatchObject({ scheduled: 0, next_due_at: null });

    await t.close();
    clock.advance(2 * YEAR);
    t = await boot(clock);
    await whenErased(t, `/v1/actors/${failed.id}`, 'retention:failed_idv');
    expect(await erasedBy(t, `/v1/actors/${checked.id}`)).toBe(200);

    // Live this time: the reminders fire as the clock passes them.
    clock.advance(5 * YEAR);
    await whenErased(t, `/v1/candidates/${neverChecked.id}`, 'retention:candidates');
    await whenErased(t, `/v1/candidates/${checked.id}`, 'retention:candidates');
    expect(await erasedBy(t, `/v1/reports/${report.id}`), "the candidate's report").toBe('retention:candidates');
    expect(await erasedBy(t, `/v1/actors/${openSeeker}`)).toBe(200);
    expect((await command(t, openSeeker, { type: 'CHANGE_PLAN', plan: 'complete' })).status, 'others are untouched').toBe(200);
    expect(Object.values(await board(t)).map((rule) => rule.scheduled)).toEqual([0, 0, 0]);

    // The 410 shows once the key's tombstone is stored; the erasure ends when its old files are gone.
    await eventually(
      async () => (await Promise.all([neverChecked.id, report.id].map((id) => t.server.store.pendingOutbox(id)))).flat().length,
      (pending) => pending === 0,
    );
    const bytes = await readableStore(dir, new Sealer(t.dataKey));
    for (const trace of [failed.legal.legal_first_name, checked.email])
      expect(bytes.includes(trace.toLowerCase()), `readable after retention: ${trace}`).toBe(false);
    expect((await verifyStore(t.server.store)).invalid).toEqual([]);
  });

  it('a candidate checked again keeps its data for the period after its latest report', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustwire-retention-'));
    const clock = new ManualClock(Date.parse('2027-02-01T10:00:00Z'));
    const t = await boot(clock);
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    await completedReport(t, candidate.id, 'basic_criminal');
    clock.advance(3 * YEAR);
    await completedReport(t, candidate.id, 'basic_criminal');
    clock.advance(4 * YEAR + DAY); // the first report's period is over, the second's is not
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await erasedBy(t, `/v1/candidates/${candidate.id}`)).toBe(200);
    clock.advance(3 * YEAR);
    await whenErased(t, `/v1/candidates/${candidate.id}`, 'retention:candidates');
  });
});
