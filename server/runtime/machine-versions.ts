import { kinds } from '../../machines/index.ts';
import { migrationGap } from '../../machines/migrations.ts';
import type { Store } from '../store/store.ts';

/**
 * Refuses to start on a store holding snapshots this code cannot read: of an unknown kind, or of
 * a machine version without a migration path to the current one (machines/migrations.ts).
 */
export async function checkMachineVersions(store: Store): Promise<void> {
  const stored = await store.machineVersions();
  const gaps = Object.entries(stored).flatMap(([name, versions]) =>
    Object.hasOwn(kinds, name)
      ? versions.map((v) => migrationGap(kinds[name], v)).filter((gap) => gap !== undefined)
      : [`the store holds actors of an unknown kind "${name}"`],
  );
  if (gaps.length) throw new Error(`cannot start on this store: ${gaps.join('; ')}`);
}
