import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMembers, startTestServer, type TestServer } from '../helpers/server.ts';

const emit = (socket: Socket, event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload);

/** Finding 5 of issue 17: a member already refused with 429 over REST sent 2,000 socket events in 1.3 s. */
describe('socket events spend the caller’s rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_PER_MINUTE: '10' });
  });
  afterAll(() => t.close());

  it('refuses socket events once REST is refused, and disconnects a socket that goes on', async () => {
    const { seekerId } = await createMembers(t);
    const token = await t.session(seekerId, 'seeker');
    const socket = await t.socket(token);
    let refused = 0;
    for (let i = 0; i < 15 && refused === 0; i++) if ((await t.api('GET', `/v1/actors/${seekerId}`, undefined, { token })).status === 429) refused++;
    expect(refused).toBe(1);
    expect(await emit(socket, 'command', { actor: seekerId, event: { type: 'CHANGE_PLAN', plan: 'starter' } })).toEqual({
      ok: false,
      status: 429,
      code: 'rate_limited',
      error: expect.any(String),
      details: {},
    });
    expect(await emit(socket, 'subscribe', { actor: seekerId })).toMatchObject({ ok: false, code: 'rate_limited' });
    expect((await t.api('GET', `/v1/actors/${seekerId}`, undefined, { token })).status).toBe(429);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    for (let i = 0; i < 50 && socket.connected; i++) socket.emit('subscribe', { actor: seekerId }, () => {});
    expect(await disconnected).toBe('io server disconnect');
    // Nothing the refused events asked for happened.
    expect((await t.api('GET', `/v1/actors/${seekerId}`)).body.data.plan).toBe('complete');
  });

  it('counts socket events against the REST budget', async () => {
    const { seekerId } = await createMembers(t);
    const token = await t.session(seekerId, 'seeker');
    const socket = await t.socket(token);
    for (let i = 0; i < 10; i++) expect(await emit(socket, 'subscribe', { actor: seekerId })).toMatchObject({ ok: true });
    expect((await t.api('GET', `/v1/actors/${seekerId}`, undefined, { token })).status).toBe(429);
  });
});

/** Finding 11 of issue 17: no cap on sockets per caller, and slow request bodies held for Node's default 300 s. */
describe('sockets per caller', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SOCKETS_PER_CALLER: '3' });
  });
  afterAll(() => t.close());

  const connect = (token: string) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(t.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  const stream = (token: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });

  it('refuses a caller’s socket over the cap, Socket.IO and the stream together, and takes one again once one closed', async () => {
    const { seekerId, providerId } = await createMembers(t);
    const token = await t.session(seekerId, 'seeker');
    const first = await connect(token);
    const second = await connect(token);
    const ws = await stream(token);
    await expect(connect(token)).rejects.toThrow('too_many_connections');
    await expect(stream(token)).rejects.toThrow('HTTP 429');
    // Another caller has their own places.
    (await connect(await t.session(providerId, 'provider'))).close();
    first.close();
    let again: Socket | undefined;
    for (let i = 0; i < 100 && !again; i++) again = await connect(token).catch(() => new Promise<undefined>((resolve) => setTimeout(resolve, 50)));
    expect(again?.connected).toBe(true);
    for (const s of [second, again!]) s.close();
    ws.close();
  });

  it('gives slow clients bounded time for headers and for the whole request', () => {
    expect(t.server.http.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(t.server.http.requestTimeout).toBeLessThanOrEqual(60_000);
  });
});
