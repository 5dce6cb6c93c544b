import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LowdbStore } from '../server/store/lowdb/lowdb-store.ts';
import { commitOf } from '../server/store/store.ts';

export interface CompactionResult {
  /** Shard files the compaction wrote. */
  shards: number;
  ms: number;
  /** The longest the event loop waited meanwhile (ms): how long a command could stall behind it. */
  maxDelayMs: number;
}

/**
 * A compaction of a big store as a server meets it under load: `pool` actors (spread over every
 * shard) changed since the last one (their record and a history entry), then the journal compacted, while the event-loop delay is
 * sampled every millisecond. Opens the store in this process under DATA_DIR (no server may have it open).
 */
export async function measureCompaction(dataDir: string, pool: string[]): Promise<CompactionResult> {
  const store = new LowdbStore({ dir: join(dataDir, 'store') });
  await store.open();
  await Promise.all(
    pool.map(async (id) => {
      const actor = (await store.getActor(id))!;
      const version = actor.version + 1;
      const entry = {
        actor: id,
        seq: version,
        at: actor.updated_at,
        event: { type: 'CHANGE_PLAN' },
        by: { role: 'integrator' as const },
        from: actor.status,
        to: actor.status,
        version,
      };
      await store.commit(commitOf({ actors: [{ actor: { ...actor, version }, expected_version: actor.version }], history: [entry] }));
    }),
  );
  const before = store.stats.shardWrites;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  await store.close(); // compacts what changed
  const ms = performance.now() - started;
  delay.disable();
  return { shards: store.stats.shardWrites - before, ms, maxDelayMs: delay.max / 1e6 };
}
