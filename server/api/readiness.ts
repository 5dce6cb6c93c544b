import type { RequestHandler } from 'express';
import type { Store } from '../store/store.ts';

const PING_TIMEOUT_MS = 2_000;

/**
 * `GET /readyz` (API.md, wave 2): 200 `{ ok: true }` when this node can serve, else 503
 * `{ ok: false, reason }`. Ready means the store is open and answers (for PostgreSQL: reachable,
 * its migrations applied at opening) and the outbox is being delivered. `/healthz` says only that
 * the process is up, so that a load balancer stops routing to a node that lost its database
 * without the orchestrator restarting it.
 */
export function readiness(store: Store, outboxRunning: () => boolean): RequestHandler {
  return async (_req, res) => {
    const reason = await notReady(store, outboxRunning);
    res.status(reason ? 503 : 200).json(reason ? { ok: false, reason } : { ok: true });
  };
}

async function notReady(store: Store, outboxRunning: () => boolean): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([store.ping(), timeout]);
  } catch (error) {
    return `store unavailable: ${(error as Error).message.replace(/^store unavailable: /, '')}`;
  } finally {
    clearTimeout(timer);
  }
  return outboxRunning() ? undefined : 'the outbox is not running';
}
