/**
 * Graceful shutdown: SIGTERM to the real server (a child process) in the middle of a stream of
 * commands, each over a fresh connection. Every request sent before the signal is answered, the
 * process exits 0 (server/main.ts exits 1 if the shutdown overruns SHUTDOWN_TIMEOUT_MS), and after
 * a restart on the same data every acknowledged change is there.
 */

import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, type ChildServer, eventually, killAllChildren, startChild, tempDataDir } from '../helpers/process.ts';

const SEEKERS = 16;
const AUTH = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;

interface Sent {
  seeker: string;
  plan: string;
  /** The request was written out in full before the signal was sent. */
  beforeSignal: boolean;
  status?: number;
  version?: number;
  error?: string;
}

/** POST /v1/commands on a connection of its own (no keep-alive agent). */
function send(server: ChildServer, seeker: string, plan: string, signalled: () => boolean): Promise<Sent> {
  const sent: Sent = { seeker, plan, beforeSignal: false };
  const body = JSON.stringify({ actor: seeker, event: { type: 'CHANGE_PLAN', plan } });
  return new Promise((resolve) => {
    const req = request(
      `${server.url}/v1/commands`,
      { method: 'POST', agent: false, headers: { authorization: AUTH, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ ...sent, status: res.statusCode, version: res.statusCode === 200 ? JSON.parse(text).actor.version : undefined }));
        res.on('error', (error) => resolve({ ...sent, error: error.message }));
      },
    );
    req.on('finish', () => (sent.beforeSignal = !signalled()));
    req.on('error', (error) => resolve({ ...sent, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(body);
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await killAllChildren();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('SIGTERM', () => {
  it('answers every request sent before it, exits 0, and keeps every acknowledged change', async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const server = await startChild({ dataDir, env: { SHUTDOWN_TIMEOUT_MS: '10000', LOG_LEVEL: 'info' } });
    const seekers: string[] = [];
    for (let i = 0; i < SEEKERS; i++) {
      const created = await server.api('POST', '/v1/seekers', { email: `shutdown-${i}@example.com`, plan: 'starter' });
      expect(created.status).toBe(201);
      seekers.push(created.body.id);
    }
    // A live dashboard's socket: told to reconnect (a transport close), not sent away for good.
    const token = (await server.api('POST', '/v1/sessions', { subject: seekers[0], role: 'seeker' })).body.token;
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 60_000 });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    let signalled = false;
    let stop = false;
    const sent: Sent[] = [];
    // One command at a time per seeker, all seekers at once, until the server is gone.
    const streams = seekers.map(async (seeker) => {
      for (let n = 0; !stop; n++) {
        const answer = await send(server, seeker, n % 2 ? 'starter' : 'legacy', () => signalled);
        sent.push(answer);
        if (answer.error && !answer.beforeSignal) return;
      }
    });
    await eventually(async () => (sent.filter((s) => s.status === 200).length >= 3 * SEEKERS ? true : undefined), 60_000, 'a stream of acknowledged commands');
    signalled = true;
    process.kill(server.pid, 'SIGTERM');
    const exit = await server.exited;
    stop = true;
    await Promise.all(streams);
    socket.close();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await disconnected).toBe('transport close');
    const before = sent.filter((s) => s.beforeSignal);
    const unanswered = before.filter((s) => s.status === undefined);
    expect(unanswered, JSON.stringify(unanswered.slice(0, 5))).toEqual([]);
    expect(before.every((s) => s.status === 200)).toBe(true);
    expect(server.output()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    expect(server.output()).toMatch(/"msg":"stopped"/);

    const restarted = await startChild({ dataDir });
    for (const seeker of seekers) {
      const acknowledged = sent.filter((s) => s.seeker === seeker && s.status === 200).sort((a, b) => a.version! - b.version!);
      const last = acknowledged.at(-1)!;
      const { body } = await restarted.api('GET', `/v1/actors/${seeker}`);
      expect(body.version).toBeGreaterThanOrEqual(last.version!);
      // Each seeker's commands went one at a time: an unanswered one after the signal never reached the store.
      expect({ version: body.version, plan: body.data.plan }).toEqual({ version: last.version, plan: last.plan });
    }
    await restarted.kill('SIGTERM');
  }, 120_000);
});
