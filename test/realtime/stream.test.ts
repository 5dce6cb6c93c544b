import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, eventually, getActor, ok } from '../helpers/link-flow.ts';
import { API_KEY, startTestServer, type TestServer } from '../helpers/server.ts';

/** P4 and API.md "Realtime": the plain WebSocket stream, and catching up after a reconnect. */
describe('realtime streams', () => {
  let t: TestServer;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    for (const close of closers) close();
    await t.close();
  });

  describe('plain WebSocket /v1/stream', () => {
    interface Stream {
      ws: WebSocket;
      messages: any[];
    }

    const streamUrl = (token: string) => `${t.url.replace(/^http/, 'ws')}/v1/stream?token=${encodeURIComponent(token)}`;

    /** Opens the stream and records every message; rejects with the HTTP status if refused. */
    function openStream(token: string): Promise<Stream> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(streamUrl(token));
        const messages: any[] = [];
        closers.push(() => ws.terminate());
        ws.on('message', (data) => messages.push(JSON.parse(String(data))));
        ws.once('open', () => resolve({ ws, messages }));
        ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })));
        ws.on('error', reject);
      });
    }

    const until = (stream: Stream, match: (m: any) => boolean): Promise<any> => eventually(async () => stream.messages.find(match), Boolean);

    it('refuses a connection without a valid token', async () => {
      const session = await t.session('agent-1', 'agent');
      for (const token of ['', 'nope', `${session}x`, `Basic ${API_KEY}`]) {
        await expect(openStream(token), JSON.stringify(token)).rejects.toMatchObject({ status: 401 });
      }
      const other = new WebSocket(`${t.url.replace(/^http/, 'ws')}/v1/stream`);
      other.on('error', () => {}); // refused: the socket closes before it opened
      closers.push(() => other.terminate());
      const status = await new Promise<number>((resolve, reject) => {
        other.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
        other.once('open', () => reject(new Error('opened without a token')));
      });
      expect(status).toBe(401);
    });

    it("carries a member's own changes and notifications, and never another member's", async () => {
      const [seekerId, otherSeeker, providerId] = await Promise.all([createSeeker(t), createSeeker(t), createProvider(t)]);
      await completeIdme(t, seekerId);
      const [seekerToken, otherToken, providerToken] = await Promise.all([
        t.session(seekerId, 'seeker'),
        t.session(otherSeeker, 'seeker'),
        t.session(providerId, 'provider'),
      ]);
      const mine = await openStream(seekerToken);
      const theirs = await openStream(otherToken);
      const provider = await openStream(providerToken);
      const integrator = await openStream(API_KEY);

      const link = await createLink(t, seekerId, providerId, seekerToken);
      await ok(t, link.id, { type: 'CONFIRM_HIRE' }, seekerToken);
      const sent = await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, seekerToken);
      expect(sent.status).toBe('request_pending');

      const change = await until(mine, (m) => m.type === 'actor.changed' && m.actor.id === link.id && m.actor.version === sent.version);
      expect(change).toEqual({
        type: 'actor.changed',
        actor: expect.objectContaining({ id: link.id, kind: 'link', status: 'request_pending', version: sent.version, data: expect.any(Object) }),
        event: { type: 'ACCEPT_DISCLOSURES' },
        by: { role: 'seeker' },
        at: expect.any(String),
      });
      // The view is the seeker's own: what they may do next.
      expect(change.actor.can).toEqual(sent.can);
      expect(mine.messages.filter((m) => m.actor?.id === link.id).map((m) => m.actor.version)).toEqual([1, 2, 3]);

      const notification = await until(mine, (m) => m.type === 'notification' && m.actor === link.id);
      expect(notification).toMatchObject({
        type: 'notification',
        recipient: seekerId,
        channel: 'in_app',
        subject: expect.any(String),
        created_at: expect.any(String),
      });
      await until(provider, (m) => m.type === 'notification' && m.actor === link.id);

      // A barrier the other seeker is entitled to see: their own new link. Messages arrive in
      // order, so anything about the first seeker would have come before it.
      const barrier = await createLink(t, otherSeeker, providerId, otherToken);
      await until(theirs, (m) => m.actor?.id === barrier.id);
      await until(integrator, (m) => m.actor?.id === barrier.id);
      expect(theirs.messages.filter((m) => JSON.stringify(m).includes(seekerId) || JSON.stringify(m).includes(link.id))).toEqual([]);
      expect(mine.messages.filter((m) => JSON.stringify(m).includes(otherSeeker) || JSON.stringify(m).includes(barrier.id))).toEqual([]);

      // The provider: the link from the sent request on, never the draft, never a seeker actor;
      // and their own actor, which records the request it received.
      const seen = provider.messages.filter((m) => m.type === 'actor.changed');
      expect(seen.map((m) => [m.actor.id, m.event.type, m.actor.status])).toEqual([
        [link.id, 'ACCEPT_DISCLOSURES', 'request_pending'],
        [providerId, 'REQUEST_RECEIVED', 'active'],
      ]);
      // The integrator sees every change, the seeker actor's too.
      expect(integrator.messages.filter((m) => m.actor?.id === link.id).map((m) => m.actor.version)).toEqual([1, 2, 3]);
      expect(integrator.messages.some((m) => m.actor?.id === seekerId)).toBe(true);
    });

    it('is read-only: a message from the client closes it', async () => {
      const seekerId = await createSeeker(t);
      const stream = await openStream(await t.session(seekerId, 'seeker'));
      const closed = new Promise<number>((resolve) => stream.ws.once('close', (code) => resolve(code)));
      stream.ws.send(JSON.stringify({ type: 'subscribe', actor: seekerId }));
      expect(await closed).toBe(1003);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    });
  });

  describe('Socket.IO reconnection', () => {
    /** A client that reconnects by itself, as a dashboard does. */
    async function dashboard(token: string): Promise<Socket> {
      const socket = io(t.url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 300, reconnectionDelayMax: 300 });
      closers.push(() => socket.disconnect());
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    }

    it('recovers the changes missed while the connection was down', async () => {
      const seekerId = await createSeeker(t);
      const token = await t.session(seekerId, 'seeker');
      const socket = await dashboard(token);
      const changes: any[] = [];
      socket.on('actor.changed', (m) => changes.push(m));

      // One change received first: recovery resumes from the last one the client saw.
      const link = await createLink(t, seekerId, await createProvider(t), token);
      await eventually(async () => changes.some((m) => m.actor.id === link.id), Boolean);
      expect(socket.recovered).toBe(false);

      const down = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
      const up = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.io.engine.close(); // the transport drops, as on a network cut
      await down;
      const missed = await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);

      await up;
      expect(socket.connected).toBe(true);
      expect(socket.recovered).toBe(true);
      const caughtUp = await eventually(async () => changes.find((m) => m.actor.id === link.id && m.actor.version === missed.version), Boolean);
      expect(caughtUp).toMatchObject({ event: { type: 'CONFIRM_HIRE' }, actor: { status: 'draft', data: { step: 'disclosures' } } });
      // Each change once, in order.
      expect(changes.filter((m) => m.actor.id === link.id).map((m) => m.actor.version)).toEqual([1, 2]);
      // And the recovered connection keeps receiving.
      const cancelled = await ok(t, link.id, { type: 'CANCEL_REQUEST' }, token);
      await eventually(async () => changes.some((m) => m.actor.version === cancelled.version && m.actor.id === link.id), Boolean);
    });

    it('resyncs through subscribe when a new connection cannot recover: the fresh view has the newer version', async () => {
      const seekerId = await createSeeker(t);
      const token = await t.session(seekerId, 'seeker');
      const link = await createLink(t, seekerId, await createProvider(t), token);
      const first = await t.socket(token);
      const seen = await first.emitWithAck('subscribe', { actor: link.id });
      expect(seen).toMatchObject({ ok: true, actor: { version: link.version } });
      first.disconnect();

      const changed = await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);

      const second = await t.socket(token);
      expect(second.recovered).toBe(false);
      const fresh = await second.emitWithAck('subscribe', { actor: link.id });
      expect(fresh.ok).toBe(true);
      expect(fresh.actor.version).toBe(changed.version);
      expect(fresh.actor.version).toBeGreaterThan(seen.actor.version);
      expect(fresh.actor).toEqual(await getActor(t, link.id, token));
    });
  });
});
