import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { hasPromtool, metricValue, parseMetrics } from '../helpers/metrics.ts';
import { eventually } from '../helpers/process.ts';
import { API_KEY, command, createMembers, startTestServer, type TestServer } from '../helpers/server.ts';
import { WebhookReceiver } from '../helpers/webhook-receiver.ts';

const NAMED = [
  'process_cpu_user_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
  'trustwire_command_duration_seconds',
  'trustwire_journal_commits_per_write',
  'trustwire_journal_fsync_duration_seconds',
  'trustwire_outbox_due',
  'trustwire_outbox_oldest_due_seconds',
  'trustwire_reminders_due',
  'trustwire_reminders_oldest_due_seconds',
  'trustwire_subject_keys_to_rewrap',
  'trustwire_connected_sockets',
  'trustwire_vendor_calls_total',
  'trustwire_webhook_deliveries_total',
];

describe('GET /metrics', () => {
  let t: TestServer;
  let crm: Server;
  /** Answers the CRM forwarder's calls once released: until then its entries stay due. */
  let releaseCrm: () => void = () => {};
  const crmHeld = new Promise<void>((resolve) => (releaseCrm = resolve));
  const receiver = new WebhookReceiver(API_KEY);
  const scrape = async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    crm = createServer((_req, res) => void crmHeld.then(() => res.writeHead(200).end()));
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    t = await startTestServer({
      CRM_WEBHOOK_URL: `http://127.0.0.1:${(crm.address() as AddressInfo).port}/cases`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1',
      SANDBOX_SCREENING_DELAY_MS: '0',
    });
  });
  afterAll(async () => {
    releaseCrm();
    await t.close();
    crm.closeAllConnections();
    await new Promise((resolve) => crm.close(resolve));
    await receiver.close();
  });

  it('names every series with help and type', async () => {
    const text = await scrape();
    for (const name of NAMED) {
      expect(text, name).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
  });

  it('times commands by actor kind and event type, and counts the journal writes they cause', async () => {
    const before = parseMetrics(await scrape());
    const { seekerId } = await createMembers(t, 'starter');
    for (const plan of ['legacy', 'starter', 'legacy']) expect((await command(t, seekerId, { type: 'CHANGE_PLAN', plan })).status).toBe(200);
    const after = parseMetrics(await scrape());
    const labels = { kind: 'seeker', event: 'CHANGE_PLAN' };
    expect(
      metricValue(after, 'trustwire_command_duration_seconds_count', labels) - metricValue(before, 'trustwire_command_duration_seconds_count', labels),
    ).toBe(3);
    expect(metricValue(after, 'trustwire_command_duration_seconds_sum', labels)).toBeGreaterThan(
      metricValue(before, 'trustwire_command_duration_seconds_sum', labels),
    );
    // Two creations and three commands: at least five commits, in at most five journal writes.
    const writes = metricValue(after, 'trustwire_journal_commits_per_write_count') - metricValue(before, 'trustwire_journal_commits_per_write_count');
    expect(writes).toBeGreaterThan(0);
    expect(
      metricValue(after, 'trustwire_journal_commits_per_write_sum') - metricValue(before, 'trustwire_journal_commits_per_write_sum'),
    ).toBeGreaterThanOrEqual(5);
    expect(metricValue(after, 'trustwire_journal_fsync_duration_seconds_count') - metricValue(before, 'trustwire_journal_fsync_duration_seconds_count')).toBe(
      writes,
    );
  });

  it('counts connected sockets per audience and transport', async () => {
    const { seekerId } = await createMembers(t);
    const seeker = await t.socket(await t.session(seekerId, 'seeker'));
    const agentToken = await t.session('agent_metrics', 'agent');
    const stream = new WebSocket(`${t.url.replace('http', 'ws')}/v1/stream?token=${agentToken}`);
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
    const metrics = parseMetrics(await scrape());
    expect(metricValue(metrics, 'trustwire_connected_sockets', { audience: 'seeker', transport: 'socketio' })).toBe(1);
    expect(metricValue(metrics, 'trustwire_connected_sockets', { audience: 'agent', transport: 'websocket' })).toBe(1);
    seeker.disconnect();
    stream.close();
    await eventually(
      async () => {
        const now = parseMetrics(await scrape());
        const open =
          metricValue(now, 'trustwire_connected_sockets', { audience: 'seeker', transport: 'socketio' }) +
          metricValue(now, 'trustwire_connected_sockets', { audience: 'agent', transport: 'websocket' });
        return open === 0 ? true : undefined;
      },
      10_000,
      'both connections gone from the gauge',
    );
  });

  it('counts vendor calls and webhook deliveries by outcome', async () => {
    const url = await receiver.start();
    const subscribed = await t.api('POST', '/v1/webhooks', { webhook_url: url, include_object: false });
    expect(subscribed.status).toBe(201);
    receiver.secret = subscribed.body.secret;
    const before = parseMetrics(await scrape());
    const candidate = await createCandidate(t, FULL_CANDIDATE);
    expect((await t.api('POST', '/v1/reports', { candidate_id: candidate.id, package: 'basic_criminal' })).status).toBeLessThan(300);
    await eventually(
      async () => {
        const now = parseMetrics(await scrape());
        const sterling =
          metricValue(now, 'trustwire_vendor_calls_total', { vendor: 'sterling', outcome: 'ok' }) -
          metricValue(before, 'trustwire_vendor_calls_total', { vendor: 'sterling', outcome: 'ok' });
        const delivered =
          metricValue(now, 'trustwire_webhook_deliveries_total', { outcome: 'delivered' }) -
          metricValue(before, 'trustwire_webhook_deliveries_total', { outcome: 'delivered' });
        return sterling >= 1 && delivered >= 1 && delivered === receiver.received.length ? true : undefined;
      },
      20_000,
      'a Sterling call and webhook deliveries counted',
    );
  });

  it('shows the outbox backlog and its age while a delivery is held, and empties it after', async () => {
    const { seekerId } = await createMembers(t);
    expect((await t.api('POST', '/v1/cases', { subject: seekerId, queue: 'manual', summary: 'metrics' })).status).toBe(201);
    await eventually(
      async () => {
        const now = parseMetrics(await scrape());
        return metricValue(now, 'trustwire_outbox_due') >= 1 && metricValue(now, 'trustwire_outbox_oldest_due_seconds') > 0 ? true : undefined;
      },
      10_000,
      'a due outbox entry with an age',
    );
    releaseCrm();
    await eventually(
      async () => {
        const now = parseMetrics(await scrape());
        return metricValue(now, 'trustwire_outbox_due') === 0 && metricValue(now, 'trustwire_outbox_oldest_due_seconds') === 0 ? true : undefined;
      },
      10_000,
      'the outbox drained',
    );
    expect(metricValue(parseMetrics(await scrape()), 'trustwire_reminders_due')).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(!hasPromtool() && !process.env.CI)('passes promtool check metrics', async () => {
    const text = await scrape();
    // promtool exits non-zero on any problem and prints it; a clean output is no complaint at all.
    const complaints = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(complaints).toBe('');
  });
});

describe('METRICS_TOKEN', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ METRICS_TOKEN: 'scrape-me' });
  });
  afterAll(() => t.close());

  it('is required as a bearer token when set', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP trustwire_command_duration_seconds /m);
  });
});

if (!hasPromtool() && !process.env.CI)
  console.warn('\n  ⚠ promtool is not installed (apt-get install prometheus): the promtool check of /metrics is SKIPPED\n');
