import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { PgCluster } from './postgres.ts';
import { type ChildServer, type StartOptions, startChild } from './process.ts';

/** The settings every node on one database shares (nodes must agree on their keys). */
export async function sharedEnv(cluster: PgCluster, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    STORE: 'postgres',
    DATABASE_URL: await cluster.createDatabase(),
    DATA_KEY: randomBytes(32).toString('base64'),
    SESSION_SECRET: randomBytes(32).toString('base64'),
    DATABASE_POOL_SIZE: '6',
    ...extra,
  };
}

/** Nodes started together (their migrations race under the advisory lock). */
export function startNodes(n: number, env: Record<string, string>, options: StartOptions = {}): Promise<ChildServer[]> {
  return Promise.all(Array.from({ length: n }, () => startChild({ ...options, env: { ...env, ...options.env } })));
}

export async function session(node: ChildServer, subject: string, role: string): Promise<string> {
  const res = await node.api('POST', '/v1/sessions', { subject, role });
  if (res.status !== 201) throw new Error(`session for ${subject}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export async function socketOn(node: ChildServer, token: string): Promise<Socket> {
  const socket = io(node.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The plain WebSocket stream, with every message it received so far. */
export async function streamOn(node: ChildServer, token: string): Promise<{ messages: any[]; close(): void }> {
  const ws = new WebSocket(`${node.url.replace('http', 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { messages, close: () => ws.close() };
}
