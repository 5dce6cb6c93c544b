import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readiness } from '../../server/api/readiness.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { StoreUnavailable } from '../../server/store/store.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GET /readyz', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers 200 on a node whose store and outbox run', async () => {
    expect(await t.api('GET', '/readyz')).toEqual({ status: 200, body: { ok: true } });
  });

  /** The handler alone, on a store and an outbox in the given state. */
  async function ask(store: MemoryStore, outboxRunning: boolean) {
    const app = express().get(
      '/readyz',
      readiness(store, () => outboxRunning),
    );
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      return { status: response.status, body: await response.json() };
    } finally {
      server.close();
    }
  }

  it('answers 503 with the reason when the store cannot be reached or the outbox stopped', async () => {
    const down = new MemoryStore();
    down.ping = () => Promise.reject(new StoreUnavailable('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(await ask(down, true)).toEqual({ status: 503, body: { ok: false, reason: 'store unavailable: connect ECONNREFUSED 127.0.0.1:5432' } });
    const silent = new MemoryStore();
    silent.ping = () => new Promise(() => {});
    expect(await ask(silent, true)).toEqual({ status: 503, body: { ok: false, reason: 'store unavailable: no answer within 2000 ms' } });
    expect(await ask(new MemoryStore(), false)).toEqual({ status: 503, body: { ok: false, reason: 'the outbox is not running' } });
  });
});
