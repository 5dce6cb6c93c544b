import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/runtime/clock.ts';
import { createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { eventually, notificationsOf } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * B3 and B5 timers on a simulated clock: durable reminders that fire after a restart too. The
 * server is stopped and started again on the same data directory while the clock moves.
 */
describe('background-check timers on a simulated clock, across restarts', () => {
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function boot(dir: string, clock: ManualClock) {
    const t = await startTestServer({ DATA_DIR: dir, SANDBOX_SCREENING_DELAY_MS: '20' }, clock);
    servers.push(t);
    return t;
  }
  const emailsTo = async (t: TestServer, id: string) => (await notificationsOf(t, id)).filter((n) => n.channel === 'email').map((n) => n.subject);

  it('an invitation reminds the candidate daily and expires after 7 days, even when the server was down at the time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustwire-timers-'));
    dirs.push(dir);
    const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
    let t = await boot(dir, clock);
    const candidate = await createCandidate(t);
    const invitation = (await t.api('POST', '/v1/invitations', { package: 'basic_criminal', candidate_id: candidate.id })).body;
    // B3: at 23:59:59 US Pacific time of the seventh day (daylight saving time has begun by then).
    expect(invitation.expires_at).toBe('2026-03-10T06:59:59.000Z');
    await eventually(
      () => emailsTo(t, candidate.id),
      (s) => s.length === 1,
    );

    clock.advance(DAY + 1000);
    expect(
      await eventually(
        () => emailsTo(t, candidate.id),
        (s) => s.length === 2,
      ),
    ).toContain('Reminder: your background check is waiting');

    await t.close();
    clock.advance(7 * DAY); // past expires_at while nothing runs
    t = await boot(dir, clock);
    const expired = await eventually(
      () => t.api('GET', `/v1/invitations/${invitation.id}`),
      (r) => r.body.status === 'expired',
    );
    expect(expired.body).toMatchObject({ status: 'expired', completed_at: null, report_id: null });
    // Expired: no more reminders, and the hosted form is closed.
    clock.advance(2 * DAY);
    await new Promise((r) => setTimeout(r, 1500));
    const history = (await t.api('GET', `/v1/actors/${invitation.id}/history`)).body.data.map((h: any) => h.event.type);
    expect(history.filter((type: string) => type === 'EXPIRE')).toHaveLength(1);
    // The restarted server listens on another port: the same link, on it.
    const link = new URL(invitation.invitation_url);
    expect((await fetch(new URL(link.pathname + link.search, t.url))).status).toBe(404);
    await t.close();
  });

  it('post-adverse action follows the pre-adverse notice after the waiting period, across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustwire-timers-'));
    dirs.push(dir);
    const clock = new ManualClock(Date.parse('2026-04-01T12:00:00Z'));
    let t = await boot(dir, clock);
    const candidate = await createCandidate(t, { ...FULL_CANDIDATE, last_name: 'Consider' });
    const report = (await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id })).body;
    await eventually(
      () => t.api('GET', `/v1/reports/${report.id}`),
      (r) => r.body.status === 'complete',
      15_000,
    );
    const items = (await t.api('GET', `/v1/reports/${report.id}/adverse_items`)).body.data;
    expect(items.length).toBeGreaterThan(0);
    const action = await t.api('POST', `/v1/reports/${report.id}/adverse_actions`, { adverse_item_ids: [items[0].id] });
    expect(action.body).toMatchObject({ status: 'pending', post_notice_scheduled_at: '2026-04-08T12:00:00.000Z' });
    expect((await t.api('GET', `/v1/reports/${report.id}`)).body.adjudication).toBe('pre_adverse_action');
    await eventually(
      () => emailsTo(t, candidate.id),
      (s) => s.includes('Pre-adverse action notice about your background check'),
    );

    await t.close();
    clock.advance(7 * DAY - HOUR);
    t = await boot(dir, clock);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.api('GET', `/v1/adverse_actions/${action.body.id}`)).body.status).toBe('pending'); // not yet

    clock.advance(2 * HOUR);
    const done = await eventually(
      () => t.api('GET', `/v1/adverse_actions/${action.body.id}`),
      (r) => r.body.status === 'complete',
    );
    expect(done.body.post_notice_ready_at).not.toBeNull();
    expect((await t.api('GET', `/v1/reports/${report.id}`)).body.adjudication).toBe('post_adverse_action');
    const notice = 'Adverse action notice about your background check';
    const emails = await eventually(
      () => emailsTo(t, candidate.id),
      (s) => s.includes(notice),
    );
    expect(
      emails.filter((subject) => subject === notice),
      'one adverse action notice',
    ).toHaveLength(1);
  });
});
