import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, transition } from 'xstate';
import { kinds } from '../../machines/index.ts';
import type { ActorKind, PersistedSnapshot } from '../../machines/kind.ts';
import { migrate, migrationGap } from '../../machines/migrations.ts';
import { checkMachineVersions } from '../../server/runtime/machine-versions.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { commitOf } from '../../server/store/store.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/snapshots');
const AT = '2026-06-02T12:00:00.000Z';

/** For each kind, an event its fixture's state accepts, and the status (and state) it then reads. */
const walkOn: Record<string, { event: { type: string; [field: string]: unknown }; status: string; state?: unknown }> = {
  seeker: { event: { type: 'SUBMIT_OTP', code: '123456' }, status: 'active', state: { idv: { in_progress: { step: { prove: 'checking_code' } } } } },
  provider: { event: { type: 'CLOSE_ACCOUNT' }, status: 'closed' },
  link: { event: { type: 'ACCEPT', disclosure_version: 'cbgc-provider-2026-01' }, status: 'active' },
  candidate: { event: { type: 'REPORT_ADDED', report_id: 'rpt_fixture' }, status: 'active' },
  invitation: { event: { type: 'EXPIRE' }, status: 'expired' },
  report: { event: { type: 'SUSPENSION_ELAPSED' }, status: 'canceled' },
};

const fixtures = readdirSync(FIXTURES)
  .map((file) => /^(\w+)\.v(\d+)\.json$/.exec(file))
  .filter((m) => m !== null)
  .map(([file, kind, version]) => ({ file, kind, version: Number(version) }));

describe('persisted actors outlive their machines', () => {
  it('keeps a fixture of every kind', () => {
    expect(new Set(fixtures.map((f) => f.kind))).toEqual(new Set(Object.keys(kinds)));
  });

  it.each(fixtures)('loads $file, migrated to the current machine, and walks it on', ({ file, kind, version }) => {
    const actorKind = kinds[kind];
    const persisted = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as PersistedSnapshot;
    const machine = actorKind.machine as AnyStateMachine;
    const snapshot = machine.resolveState(migrate(actorKind, persisted, version) as never);
    const { event, status } = walkOn[kind];
    const stamped = { ...event, at: AT, by: 'system' };
    expect(snapshot.can(stamped), `${kind} accepts ${event.type}`).toBe(true);
    const [next] = transition(machine, snapshot, stamped as never);
    expect(actorKind.status(next)).toBe(status);
    if (walkOn[kind].state) expect(next.matches(walkOn[kind].state as never)).toBe(true);
  });

  it('brings version 1 seekers and reports to version 2: the legal address as fields, the report’s ETA', () => {
    const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as PersistedSnapshot;
    const seeker = migrate(kinds.seeker, read('seeker.v1.json'), 1).context.legal_info as { address: unknown };
    expect(seeker.address).toEqual({ street: '12 Harbor Road, Portland, ME 04101', unit: null, city: null, state: null, postal_code: null, country: 'US' });
    const report = migrate(kinds.report, read('report.v1.json'), 1).context;
    expect(report.eta).toEqual({ estimate_generated_at: '2026-06-01T12:00:00.000Z', estimated_completion_time: '2026-06-01T12:00:00.000Z' });
  });

  it('migrates step by step, and names the kind and version it cannot migrate', () => {
    const renamed: ActorKind = {
      ...kinds.provider,
      version: 3,
      migrations: {
        1: (s) => ({ ...s, context: { ...s.context, nickname: null } }),
        2: (s) => ({ ...s, context: { ...s.context, display: s.context.nickname ?? s.context.first_name } }),
      },
    };
    const v1 = JSON.parse(readFileSync(join(FIXTURES, 'provider.v1.json'), 'utf8')) as PersistedSnapshot;
    expect(migrate(renamed, v1, 1).context).toMatchObject({ nickname: null, display: 'Pat' });
    expect(migrate(renamed, v1, 3)).toBe(v1);
    const gapped: ActorKind = { ...renamed, migrations: { 2: renamed.migrations![2] } };
    expect(migrationGap(gapped, 1)).toBe('provider snapshots of machine version 1 have no migration from version 1 to 2');
    expect(() => migrate(gapped, v1, 1)).toThrow('no migration from version 1 to 2');
    expect(migrationGap(renamed, 4)).toMatch(/version 4 were written by a newer trustwire/);
  });

  it('refuses to start on a store holding snapshots without a migration path, naming kind and version', async () => {
    const store = new MemoryStore();
    const actor = (id: string, kind: string, machine_version?: number) => ({
      actor: { id, kind, status: 'active', version: 1, created_at: AT, updated_at: AT, members: [], snapshot: '', machine_version },
      expected_version: 0,
    });
    await store.commit(commitOf({ actors: [actor('skr_old', 'seeker'), actor('prv_now', 'provider', 1)] }));
    await expect(checkMachineVersions(store)).resolves.toBeUndefined();
    await store.commit(commitOf({ actors: [actor('skr_future', 'seeker', 99)] }));
    await expect(checkMachineVersions(store)).rejects.toThrow('seeker snapshots of machine version 99 were written by a newer trustwire');
    await store.commit(commitOf({ actors: [actor('zzz_1', 'gadget', 1)] }));
    await expect(checkMachineVersions(store)).rejects.toThrow('unknown kind "gadget"');
  });
});
