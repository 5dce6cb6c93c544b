import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { type RunningServer, startServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Clock } from '../../server/runtime/clock.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { importedVerification } from './imported.ts';
import { checkResponse } from './openapi.ts';
import { testStoreEnv } from './postgres.ts';

export const API_KEY = 'test-api-key';
/** The Veriff API key the tests configure, so they can play the seeker's browser on the sandbox's hosted page. */
export const VERIFF_API_KEY = 'trustwire-sandbox';

export interface TestServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** Opens what the server sealed under DATA_DIR (its data key). */
  sealer: Sealer;
  /** The server's DATA_KEY (the first of DATA_KEYS). */
  dataKey: Buffer;
  /** Calls the API as the integrator, or with `token` as a member or staff session. */
  api(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any }>;
  session(subject: string, role: 'seeker' | 'provider' | 'agent' | 'reviewer'): Promise<string>;
  socket(token: string): Promise<Socket>;
  close(): Promise<void>;
}

/**
 * A real server on an ephemeral port with its own data directory. Its webhooks and forwarders
 * may call loopback receivers (WEBHOOK_ALLOW_PRIVATE_NETWORKS=1) unless `env` says otherwise.
 */
export async function startTestServer(env: Record<string, string> = {}, clock?: Clock): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'trustwire-')));
  // Tests drive the integrator's API harder than Checkr's 1200/min; test/api/rate-limit.test.ts tests the limit.
  const config = await loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    API_KEYS: API_KEY,
    DEMO: '0',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1',
    VERIFF_API_KEY,
    INTEGRATOR_RATE_LIMIT_PER_MINUTE: '0',
    ...(await testStoreEnv()),
    ...env,
  });
  const server = await startServer(config, clock);
  const sockets: Socket[] = [];

  const api: TestServer['api'] = async (method, path, body, options = {}) => {
    const headers: Record<string, string> = {
      authorization: options.token ? `Bearer ${options.token}` : `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
      ...options.headers,
    };
    if (body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(server.url + path, { method, headers, body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    checkResponse(method, path, response.status, parsed, response.headers.get('content-type'));
    return { status: response.status, body: parsed };
  };

  return {
    server,
    url: server.url,
    dataDir,
    sealer: new Sealer(config.dataKeys),
    dataKey: config.dataKeys[0],
    api,
    async session(subject, role) {
      const { status, body } = await api('POST', '/v1/sessions', { subject, role });
      if (status !== 201) throw new Error(`session for ${subject}: ${status} ${JSON.stringify(body)}`);
      return body.token as string;
    },
    async socket(token) {
      const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await server.close();
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first `event` payload on `socket` that matches, or rejects after `ms`. */
export function nextEvent<T = any>(socket: Socket, event: string, match: (payload: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Creates a seeker (verified before trustwire when on the Complete plan, I6) and a provider through the API; returns their ids. */
export async function createMembers(t: TestServer, plan: 'legacy' | 'starter' | 'complete' = 'complete') {
  const n = crypto.randomUUID().slice(0, 8);
  const prior = plan === 'complete' ? importedVerification() : {};
  const seeker = await t.api('POST', '/v1/seekers', { email: `seeker-${n}@example.com`, plan, first_name: 'Sally', last_name: 'Seeker', ...prior });
  const provider = await t.api('POST', '/v1/providers', { email: `provider-${n}@example.com`, first_name: 'Pat', last_name: 'Provider' });
  if (seeker.status !== 201 || provider.status !== 201) throw new Error('could not create members');
  return { seekerId: seeker.body.id as string, providerId: provider.body.id as string };
}

/** Sends an event through `POST /v1/commands`. */
export function command(t: Pick<TestServer, 'api'>, actor: string, event: Record<string, unknown>, token?: string, expected_version?: number) {
  return t.api('POST', '/v1/commands', { actor, event, ...(expected_version === undefined ? {} : { expected_version }) }, { token });
}
