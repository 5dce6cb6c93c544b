import { startServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { API_KEY } from './child.ts';

/** Concurrent creates per round: the store commits each round in a few journal flushes. */
const ROUND = 1_000;

export interface Seeded {
  /** Ids of the first `poolSize` seekers created, all on the 'starter' plan. */
  pool: string[];
  ms: number;
}

/**
 * Fills `dataDir` with `count` seekers, in process, through the real store and actor host (the
 * same commits as `POST /v1/seekers`, without HTTP); closing the server compacts the journal into
 * the shard files, so a server started afterwards loads shards, not a long journal.
 */
export async function seedStore(dataDir: string, count: number, poolSize: number, env: Record<string, string> = {}): Promise<Seeded> {
  const started = performance.now();
  const server = await startServer(await loadConfig({ DATA_DIR: dataDir, PORT: '0', API_KEYS: API_KEY, DEMO: '0', ...env }));
  const pool: string[] = [];
  for (let done = 0; done < count; done += ROUND) {
    const round = Array.from({ length: Math.min(ROUND, count - done) }, (_, i) =>
      server.host.create(
        'seeker',
        { email: `seeker-${done + i}@example.com`, plan: 'starter', first_name: 'Sally', last_name: 'Seeker' },
        { role: 'integrator' },
      ),
    );
    for (const created of await Promise.all(round)) if (pool.length < poolSize) pool.push(created.actor.id);
  }
  await server.close();
  return { pool, ms: performance.now() - started };
}
