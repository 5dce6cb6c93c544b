/**
 * Several real nodes (child processes) on one PostgreSQL database (SPEC.md P9): broadcasts cross
 * nodes, the 3-link limit and joint commits stay exact with requests racing on every node, due
 * work is done once, and a node killed mid-stream loses nothing and leaves its work to the others.
 */
import { createServer, type Server } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, sharedEnv, socketOn, startNodes, streamOn } from '../helpers/cluster.ts';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, getActor, notificationsOf, ok, pendingLink } from '../helpers/link-flow.ts';
import { type PgCluster, postgresAvailable, startPostgres } from '../helpers/postgres.ts';
import { type ChildServer, eventually, killAllChildren, startChild } from '../helpers/process.ts';
import { command, nextEvent } from '../helpers/server.ts';

const REMINDER_MS = 2_500;
const RATE_LIMIT = 100;

describe.runIf(postgresAvailable())('several nodes on one database', { timeout: 120_000 }, () => {
  let cluster: PgCluster;
  let env: Record<string, string>;
  let nodes: ChildServer[];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    cluster = await startPostgres();
    env = await sharedEnv(cluster, { PROVIDER_REMINDER_MS: String(REMINDER_MS), CLAIM_LEASE_MS: '3000', RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    nodes = await startNodes(3, env, { readyTimeoutMs: 90_000 });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllChildren();
    await cluster?.destroy();
  });

  const [A, B, C] = [0, 1, 2].map((i) => () => nodes[i]);
  const connect = async (node: ChildServer, token: string) => {
    const socket = await socketOn(node, token);
    sockets.push(socket);
    return socket;
  };

  it('delivers a change commanded on node A to a member and staff socket on B and the stream on C', async () => {
    const seekerId = await createSeeker(A());
    const providerId = await createProvider(A());
    const seekerToken = await session(A(), seekerId, 'seeker');
    await completeIdme(A(), seekerId, 'verify', seekerToken);
    const provider = await connect(B(), await session(B(), providerId, 'provider'));
    const agent = await connect(B(), await session(C(), 'agent_1', 'agent'));
    const stream = await streamOn(C(), await session(C(), 'agent_2', 'agent'));
    const providerStream = await streamOn(C(), await session(A(), providerId, 'provider'));

    const link = await createLink(A(), seekerId, providerId, seekerToken);
    await ok(A(), link.id, { type: 'CONFIRM_HIRE' }, seekerToken);
    const isSent = (m: any) => m.actor?.id === link.id && m.actor.status === 'request_pending';
    const seen = Promise.all([
      nextEvent(provider, 'actor.changed', isSent, 10_000),
      nextEvent(agent, 'actor.changed', isSent, 10_000),
      // The notification is delivered by whichever node claims it, and crosses to B's socket.
      nextEvent(provider, 'notification', (n: any) => n.template === 'new_request', 10_000),
    ]);
    const sent = await ok(A(), link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, seekerToken);
    expect(sent.status).toBe('request_pending');
    const [toProvider, toAgent] = await seen;
    expect(toProvider.actor).toMatchObject({ id: link.id, status: 'request_pending', version: sent.version });
    expect(toProvider.actor.can).toContain('ACCEPT');
    expect(toAgent.actor).toMatchObject({ id: link.id, version: sent.version });
    await eventually(async () => stream.messages.find((m) => m.type === 'actor.changed' && isSent(m)), 10_000, 'the stream on C to carry the change');
    // The in-app notification reaches the provider's stream on C from whichever node delivered it.
    await eventually(
      async () => providerStream.messages.find((m) => m.type === 'notification' && m.template === 'new_request'),
      10_000,
      'the notification on C',
    );
    for (const s of [stream, providerStream]) s.close();
  });

  it('keeps the 3-link limit exact with 15 requests racing over all nodes', async () => {
    const seekerId = await createSeeker(A());
    const token = await session(A(), seekerId, 'seeker');
    await completeIdme(A(), seekerId, 'verify', token);
    const links: string[] = [];
    for (let i = 0; i < 15; i++) {
      const link = await createLink(nodes[i % 3], seekerId, await createProvider(nodes[i % 3]), token);
      await ok(nodes[i % 3], link.id, { type: 'CONFIRM_HIRE' }, token);
      links.push(link.id);
    }
    const answers = await Promise.all(links.map((id, i) => command(nodes[i % 3], id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token)));
    const accepted = links.filter((_, i) => answers[i].status === 200);
    expect(accepted).toHaveLength(3);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.code).toBe('monitoring_limit_reached');
    // The joint commits were atomic: the seeker holds exactly the sent links, each node reads the same.
    for (const node of nodes) {
      const seeker = await getActor(node, seekerId);
      expect(seeker.data.monitoring.used).toBe(3);
      expect(seeker.data.monitoring.links.map((l: any) => l.id ?? l).sort()).toEqual([...accepted].sort());
    }
  });

  it('applies 40 commands racing on one actor through all nodes, each once, in consecutive versions', async () => {
    // Each sent request is a joint commit that also changes the provider (REQUEST_RECEIVED).
    const providerId = await createProvider(A());
    const seekers = await Promise.all(Array.from({ length: 40 }, (_, i) => createSeeker(nodes[i % 3])));
    const links = await Promise.all(
      seekers.map(async (seekerId, i) => {
        const node = nodes[i % 3];
        await completeIdme(node, seekerId, 'verify');
        const link = await createLink(node, seekerId, providerId);
        await ok(node, link.id, { type: 'CONFIRM_HIRE' });
        return link.id;
      }),
    );
    const answers = await Promise.all(links.map((id, i) => command(nodes[(i + 1) % 3], id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE })));
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([]);
    const history = (await B().api('GET', `/v1/actors/${providerId}/history?per_page=100`)).body.data;
    const received = history.filter((h: any) => h.event.type === 'REQUEST_RECEIVED');
    expect(received).toHaveLength(40);
    expect(history.map((h: any) => h.version)).toEqual(Array.from({ length: history.length }, (_, i) => i + 1));
    // Another node's copy catches up through the commit feed (reads are not linearizable across nodes).
    await eventually(async () => ((await getActor(C(), providerId)).version === history.length ? true : undefined), 5_000, 'node C to read the last version');
  });

  it('answers a retried Idempotency-Key from any node, stored with the change it answered', async () => {
    const seekerId = await createSeeker(A());
    const post = (node: ChildServer) =>
      node.api('POST', '/v1/commands', { actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'starter' } }, { headers: { 'idempotency-key': 'retry-1' } });
    const first = await post(A());
    expect(first.status).toBe(200);
    for (const node of [B(), C()]) {
      const replay = await post(node);
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    }
    expect((await getActor(B(), seekerId)).version).toBe(first.body.actor.version);
  });

  it('counts one rate limit per session over all nodes', async () => {
    const token = await session(A(), 'agent_limited', 'agent');
    const answers = await Promise.all(
      Array.from({ length: RATE_LIMIT + 20 }, (_, i) => nodes[i % 3].api('GET', '/v1/actors?per_page=1', undefined, { token })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(RATE_LIMIT);
    expect(answers.filter((a) => a.status === 429).map((a) => a.body.code)).toEqual(Array(20).fill('rate_limited'));
  });

  it('fires a reminder exactly once with three nodes up', async () => {
    const seekerId = await createSeeker(B());
    await completeIdme(B(), seekerId, 'verify');
    const providerId = await createProvider(B());
    const linkId = await pendingLink(B(), seekerId, providerId);
    await eventually(
      async () => ((await notificationsOf(A(), providerId)).some((n) => n.template === 'request_reminder' && n.channel === 'in_app') ? true : undefined),
      REMINDER_MS + 15_000,
      'the provider reminder',
    );
    // Well past a second due time and every lease: still once.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const history = (await C().api('GET', `/v1/actors/${linkId}/history`)).body.data;
    expect(history.filter((h: any) => h.event.type === 'REMIND_PROVIDER')).toHaveLength(1);
    expect((await notificationsOf(A(), providerId)).filter((n) => n.template === 'request_reminder')).toHaveLength(2); // in_app + email
  });

  describe('a node killed with kill -9 in the middle of a command stream', () => {
    let smtp: Server;
    beforeAll(async () => {
      // An SMTP server that accepts and never answers: the doomed node's emails hang, holding their leases.
      smtp = createServer(() => {});
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

    it('the others keep answering, every acknowledged change is there, and its claimed work is done by another', async () => {
      const port = (smtp.address() as { port: number }).port;
      const doomed = await startChild({ env: { ...env, SMTP_URL: `smtp://127.0.0.1:${port}` }, readyTimeoutMs: 90_000 });
      const seekers = await Promise.all(Array.from({ length: 12 }, () => createSeeker(A())));
      for (const s of seekers) await completeIdme(A(), s, 'verify');
      const providerId = await createProvider(A());
      const drafts = await Promise.all(
        seekers.map(async (s) => {
          const link = await createLink(A(), s, providerId);
          await ok(A(), link.id, { type: 'CONFIRM_HIRE' });
          return link.id;
        }),
      );
      // Only the doomed node is asked at first: its emails to the provider hang, claimed.
      const first = await Promise.all(drafts.slice(0, 4).map((id) => command(doomed, id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE })));
      expect(first.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const acknowledged = new Map<string, number>(drafts.slice(0, 4).map((id, i) => [id, first[i].body.actor.version]));
      const emails = async () => (await notificationsOf(A(), providerId)).filter((n) => n.channel === 'email' && n.template === 'new_request');
      await eventually(async () => ((await emails()).some((n) => !n.delivered_at) ? true : undefined), 10_000, 'emails held by the doomed node');

      // A stream over all four nodes, and the kill in the middle of it.
      const all = [doomed, A(), B(), C()];
      const rest = drafts.slice(4).map(async (id, i) => {
        if (i === 3) await doomed.kill('SIGKILL');
        const answer = await command(all[i % 4], id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }).catch(() => undefined);
        if (answer?.status === 200) acknowledged.set(id, answer.body.actor.version);
        return answer;
      });
      const answers = await Promise.all(rest);
      // Requests to the dead node fail (or landed before it died); every other node answers.
      for (const [i, answer] of answers.entries()) if (i % 4 !== 0) expect(answer?.status, `answer ${i}`).toBe(200);
      expect(acknowledged.size).toBeGreaterThanOrEqual(4 + 6);
      for (const node of [A(), B(), C()]) expect((await node.api('GET', '/readyz')).status).toBe(200);

      for (const [id, version] of acknowledged) {
        const history = (await B().api('GET', `/v1/actors/${id}/history`)).body.data;
        expect(history.map((h: any) => h.version)).toContain(version);
      }
      // The emails the dead node held are delivered by another node once its leases expire.
      await eventually(
        async () => {
          const sent = await emails();
          return sent.length === acknowledged.size && sent.every((n) => n.delivered_at) ? true : undefined;
        },
        30_000,
        'every new-request email delivered',
      );
    });
  });

  it('a subject key made on one node opens on the others; erased on one node, the subject is 410 on every node at once', async () => {
    const seekerId = await createSeeker(A());
    for (const node of [A(), B(), C()]) expect((await node.api('GET', `/v1/actors/${seekerId}`)).status).toBe(200);
    expect((await command(B(), seekerId, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(200);
    expect((await command(A(), seekerId, { type: 'CHANGE_PLAN', plan: 'complete' })).status, 'A opens what B sealed').toBe(200);
    expect((await C().api('POST', `/v1/seekers/${seekerId}/erase`, {})).status).toBe(200);
    // A and B hold the seeker in their caches: the tombstone comes by the commit feed.
    for (const node of [A(), B()]) {
      await eventually(
        async () => ((await node.api('GET', `/v1/actors/${seekerId}`)).status === 410 ? true : undefined),
        10_000,
        'the erasure to reach every node',
      );
      expect((await command(node, seekerId, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(410);
    }
  });
});
