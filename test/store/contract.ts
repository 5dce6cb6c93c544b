import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Commit, HistoryEntry, OutboxEntry, Reminder, Store } from '../../server/store/store.ts';
import { VersionConflict } from '../../server/store/store.ts';

/**
 * The contract every Store passes. `make` returns an opened store on fresh data; `reopen` closes it
 * and returns a store opened on the same data (a non-durable store may return itself); `cleanup`
 * closes whatever is open and removes the data.
 */
export interface StoreFixture {
  store: Store;
  reopen: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

export const at = (minute: number): string => new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString();

export function actor(id: string, fields: Partial<Actor> = {}): Actor {
  return {
    id,
    kind: 'link',
    status: 'pending',
    version: 1,
    created_at: at(0),
    updated_at: at(0),
    members: [],
    snapshot: `sealed:${id}`,
    ...fields,
  };
}

export function commit(fields: Partial<Commit> = {}): Commit {
  return { actors: [], history: [], outbox: [], reminders: [], cancel_reminders: [], records: [], ...fields };
}

/** A commit writing `a` at a.version, read at a.version - 1. */
export const put = (a: Actor, extra: Partial<Commit> = {}): Commit => commit({ actors: [{ actor: a, expected_version: a.version - 1 }], ...extra });

export function historyEntry(actorId: string, seq: number): HistoryEntry {
  return { actor: actorId, seq, at: at(seq), event: { type: `E${seq}` }, by: { role: 'system' }, from: `s${seq - 1}`, to: `s${seq}`, version: seq };
}

export function outboxEntry(id: string, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return { id, kind: 'in_app', actor: 'a1', payload: `sealed:${id}`, created_at: at(0), due_at: at(0), attempts: 0, ...fields };
}

export const reminder = (id: string, due: number): Reminder => ({ id, actor: id.split(':')[0], event: '{"type":"REMIND"}', due_at: at(due) });

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

export function storeContract(name: string, make: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await make();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('actors and versions', () => {
      it('reads back a created actor, and nothing for an unknown id', async () => {
        const a = actor('a1', { members: ['m1'] });
        await store.commit(put(a));
        expect(await store.getActor('a1')).toEqual(a);
        expect(await store.getActor('nope')).toBeUndefined();
      });

      it('updates with the current version and refuses a stale one', async () => {
        await store.commit(put(actor('a1')));
        await store.commit(put(actor('a1', { version: 2, status: 'active' })));
        const stale = commit({ actors: [{ actor: actor('a1', { version: 2 }), expected_version: 1 }] });
        const err = await store.commit(stale).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VersionConflict);
        expect(err).toMatchObject({ actor: 'a1', expected: 1, actual: 2 });
        expect(await store.getActor('a1')).toMatchObject({ version: 2, status: 'active' });
      });

      it('refuses to create (expected version 0) an actor that exists', async () => {
        await store.commit(put(actor('a1')));
        const err = await store.commit(put(actor('a1', { snapshot: 'other' }))).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VersionConflict);
        expect(err).toMatchObject({ actor: 'a1', expected: 0, actual: 1 });
        expect((await store.getActor('a1'))?.snapshot).toBe('sealed:a1');
      });

      it('refuses an update of an actor that does not exist', async () => {
        await expect(store.commit(put(actor('a1', { version: 3 })))).rejects.toMatchObject({ actor: 'a1', expected: 2, actual: 0 });
      });

      it('applies nothing of a commit with one stale expected version', async () => {
        await store.commit(put(actor('b'), { reminders: [reminder('b:keep', 5)] }));
        const bad = commit({
          actors: [
            { actor: actor('a'), expected_version: 0 },
            { actor: actor('b', { version: 2 }), expected_version: 5 },
          ],
          history: [historyEntry('a', 1)],
          outbox: [outboxEntry('o1', { recipient: 'm1' })],
          reminders: [reminder('a:r', 1)],
          cancel_reminders: ['b:keep'],
          records: [{ collection: 'idem', id: 'k1', value: 1 }],
        });
        await expect(store.commit(bad)).rejects.toBeInstanceOf(VersionConflict);
        expect(await store.getActor('a')).toBeUndefined();
        expect((await store.getActor('b'))?.version).toBe(1);
        expect(await store.history('a')).toEqual([]);
        expect(await store.dueOutbox(at(100), 10)).toEqual([]);
        expect(await store.outboxFor('m1', ['in_app'], 0, 10)).toEqual({ data: [], count: 0 });
        expect(ids(await store.dueReminders(at(100), 10))).toEqual(['b:keep']);
        expect(await store.getRecord('idem', 'k1')).toBeUndefined();
      });

      it('of two concurrent commits expecting the same version, exactly one lands', async () => {
        await store.commit(put(actor('a1')));
        const results = await Promise.allSettled([
          store.commit(put(actor('a1', { version: 2, snapshot: 'first' }))),
          store.commit(put(actor('a1', { version: 2, snapshot: 'second' }))),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
        expect(await store.getActor('a1')).toMatchObject({ version: 2, snapshot: 'first' });
      });

      it('accepts commits chained on versions not yet acknowledged', async () => {
        await Promise.all([1, 2, 3, 4].map((v) => store.commit(put(actor('a1', { version: v })))));
        expect((await store.getActor('a1'))?.version).toBe(4);
      });

      it('returns copies: mutating a result does not change the store', async () => {
        await store.commit(put(actor('a1', { members: ['m1'] }), { records: [{ collection: 'c', id: 'r', value: { n: 1 } }] }));
        const a = (await store.getActor('a1'))!;
        a.status = 'hacked';
        a.members.push('m2');
        ((await store.getRecord('c', 'r')) as { n: number }).n = 2;
        expect(await store.getActor('a1')).toMatchObject({ status: 'pending', members: ['m1'] });
        expect(await store.getRecord('c', 'r')).toEqual({ n: 1 });
      });
    });

    describe('history', () => {
      it('lists an actor’s entries oldest first, apart from other actors', async () => {
        await store.commit(put(actor('a1'), { history: [historyEntry('a1', 1)] }));
        await store.commit(put(actor('a2'), { history: [historyEntry('a2', 1)] }));
        await store.commit(put(actor('a1', { version: 2 }), { history: [historyEntry('a1', 2)] }));
        await store.commit(put(actor('a1', { version: 3 }), { history: [historyEntry('a1', 3)] }));
        expect(await store.history('a1')).toEqual([1, 2, 3].map((s) => historyEntry('a1', s)));
        expect(await store.history('a2')).toEqual([historyEntry('a2', 1)]);
        expect(await store.history('unknown')).toEqual([]);
      });

      it('keeps the chain fields and names each chain’s head, by actor id', async () => {
        const chainedEntry = (id: string, seq: number) => ({ ...historyEntry(id, seq), prev_hash: `${seq - 1}`.repeat(64), hash: `${seq}`.repeat(64) });
        await store.commit(put(actor('b1', { history_head: '1'.repeat(64) }), { history: [chainedEntry('b1', 1)] }));
        await store.commit(put(actor('a1'), { history: [historyEntry('a1', 1)] }));
        await store.commit(put(actor('b1', { version: 2, history_head: '2'.repeat(64) }), { history: [chainedEntry('b1', 2)] }));
        expect(await store.history('b1')).toEqual([chainedEntry('b1', 1), chainedEntry('b1', 2)]);
        expect((await store.getActor('b1'))?.history_head).toBe('2'.repeat(64));
        expect(await store.chainHeads()).toEqual([
          { actor: 'a1', seq: 1, hash: null },
          { actor: 'b1', seq: 2, hash: '2'.repeat(64) },
        ]);
        store = await fixture.reopen();
        expect(await store.chainHeads()).toHaveLength(2);
      });
    });

    describe('listActors and countActors', () => {
      // Newest first by updated_at, ties by id descending.
      const fleet = [
        actor('l1', { status: 'active', updated_at: at(1), members: ['s1', 'p1'] }),
        actor('l2', { status: 'pending', updated_at: at(2), members: ['s1'] }),
        actor('l3', { status: 'active', updated_at: at(3), members: ['s2', 'p1'] }),
        actor('l4', { status: 'active', updated_at: at(3), members: ['s1', 'p1'] }),
        actor('s1', { kind: 'seeker', status: 'verified', updated_at: at(4) }),
        actor('s2', { kind: 'seeker', status: 'new', updated_at: at(0) }),
      ];
      const list = (q: Partial<Parameters<Store['listActors']>[0]>) =>
        store.listActors({ offset: 0, limit: 100, ...q }).then((p) => ({ ids: ids(p.data), count: p.count }));

      beforeEach(async () => {
        for (const a of fleet) await store.commit(put(a));
      });

      it('lists all actors newest first', async () => {
        expect(await list({})).toEqual({ ids: ['s1', 'l4', 'l3', 'l2', 'l1', 's2'], count: 6 });
      });

      it('filters by kind, status and member, alone and combined', async () => {
        expect(await list({ kind: 'link' })).toEqual({ ids: ['l4', 'l3', 'l2', 'l1'], count: 4 });
        expect(await list({ status: 'active' })).toEqual({ ids: ['l4', 'l3', 'l1'], count: 3 });
        expect(await list({ kind: 'seeker', status: 'new' })).toEqual({ ids: ['s2'], count: 1 });
        expect(await list({ member: 's1' })).toEqual({ ids: ['l4', 'l2', 'l1'], count: 3 });
        expect(await list({ member: 'p1', kind: 'link' })).toEqual({ ids: ['l4', 'l3', 'l1'], count: 3 });
        expect(await list({ member: 's1', status: 'active' })).toEqual({ ids: ['l4', 'l1'], count: 2 });
        expect(await list({ member: 's1', kind: 'link', status: 'pending' })).toEqual({ ids: ['l2'], count: 1 });
        expect(await list({ member: 'nobody' })).toEqual({ ids: [], count: 0 });
        expect(await list({ kind: 'link', status: 'gone' })).toEqual({ ids: [], count: 0 });
      });

      it('pages with offset and limit, counting every match', async () => {
        expect(await list({ kind: 'link', offset: 1, limit: 2 })).toEqual({ ids: ['l3', 'l2'], count: 4 });
        expect(await list({ kind: 'link', offset: 3, limit: 2 })).toEqual({ ids: ['l1'], count: 4 });
        expect(await list({ kind: 'link', offset: 9, limit: 2 })).toEqual({ ids: [], count: 4 });
        expect(await list({ member: 'p1', offset: 2, limit: 1 })).toEqual({ ids: ['l1'], count: 3 });
      });

      it('follows updates: order, status and members', async () => {
        await store.commit(put(actor('l1', { version: 2, status: 'closed', updated_at: at(9), members: ['s2'] })));
        expect(await list({})).toMatchObject({ ids: ['l1', 's1', 'l4', 'l3', 'l2', 's2'] });
        expect(await list({ status: 'active' })).toEqual({ ids: ['l4', 'l3'], count: 2 });
        expect(await list({ status: 'closed' })).toEqual({ ids: ['l1'], count: 1 });
        expect(await list({ member: 's1' })).toEqual({ ids: ['l4', 'l2'], count: 2 });
        expect(await list({ member: 'p1' })).toEqual({ ids: ['l4', 'l3'], count: 2 });
        expect(await list({ member: 's2' })).toEqual({ ids: ['l1', 'l3'], count: 2 });
      });

      it('counts actors per kind and status', async () => {
        expect(await store.countActors()).toEqual({ link: { active: 3, pending: 1 }, seeker: { verified: 1, new: 1 } });
        await store.commit(put(actor('l2', { version: 2, status: 'active' })));
        expect(await store.countActors()).toEqual({ link: { active: 4 }, seeker: { verified: 1, new: 1 } });
      });

      it('keeps the machine version of each snapshot and lists the versions stored per kind', async () => {
        expect(await store.machineVersions()).toEqual({ link: [1], seeker: [1] });
        await store.commit(put(actor('l2', { version: 2, machine_version: 3 })));
        expect((await store.getActor('l2'))?.machine_version).toBe(3);
        expect(await store.machineVersions()).toEqual({ link: [1, 3], seeker: [1] });
      });
    });

    describe('member search index', () => {
      it('finds the actors holding a token of every term, newest first, and forgets tokens an actor no longer holds', async () => {
        await store.commit(put(actor('s1', { updated_at: at(1), search: ['sally', 'seeker'] })));
        await store.commit(put(actor('s2', { updated_at: at(2), search: ['sam', 'seeker'] })));
        await store.commit(put(actor('s3', { updated_at: at(3), search: ['sally', 'smith'] })));
        const ids = async (terms: string[][], offset = 0, limit = 10) => {
          const page = await store.searchActors(terms, offset, limit);
          return { ids: page.data.map((a) => a.id), count: page.count };
        };
        expect(await ids([['seeker']])).toEqual({ ids: ['s2', 's1'], count: 2 });
        expect(await ids([['sally'], ['seeker']])).toEqual({ ids: ['s1'], count: 1 });
        expect(await ids([['sam', 'smith']])).toEqual({ ids: ['s3', 's2'], count: 2 });
        expect(await ids([['seeker', 'smith']], 1, 1)).toEqual({ ids: ['s2'], count: 3 });
        expect(await ids([])).toEqual({ ids: [], count: 0 });
        await store.commit(put(actor('s1', { version: 2, updated_at: at(4), search: ['sally', 'jones'] })));
        expect(await ids([['seeker']])).toEqual({ ids: ['s2'], count: 1 });
        expect((await store.searchActors([['jones']], 0, 10)).data[0]).toMatchObject({ id: 's1', search: ['sally', 'jones'] });
      });
    });

    describe('reminders', () => {
      beforeEach(async () => {
        await store.commit(commit({ reminders: [reminder('a:x', 3), reminder('b:x', 1), reminder('c:x', 2)] }));
      });

      it('lists due reminders earliest first, up to the limit', async () => {
        expect(ids(await store.dueReminders(at(2), 10))).toEqual(['b:x', 'c:x']);
        expect(ids(await store.dueReminders(at(9), 2))).toEqual(['b:x', 'c:x']);
        expect(await store.dueReminders(at(0), 10)).toEqual([]);
        expect(await store.dueReminders(at(1), 10)).toEqual([reminder('b:x', 1)]);
        expect(await store.nextReminderAt()).toBe(at(1));
      });

      it('groups the reminders of one key by event, counting those due by a time (the operations board)', async () => {
        const due = (id: string, time: number, rule: string) => ({ ...reminder(id, time), event: JSON.stringify({ type: 'DUE', rule }) });
        await store.commit(commit({ reminders: [due('d:keep', 7, 'long'), due('e:keep', 4, 'short'), due('f:keep', 6, 'short'), reminder('g:keeps', 1)] }));
        expect(await store.reminderGroups('keep', at(6))).toEqual([
          { event: '{"type":"DUE","rule":"long"}', scheduled: 1, due_by: 0, next_due_at: at(7) },
          { event: '{"type":"DUE","rule":"short"}', scheduled: 2, due_by: 2, next_due_at: at(4) },
        ]);
        expect(await store.reminderGroups('x', at(2))).toEqual([{ event: '{"type":"REMIND"}', scheduled: 3, due_by: 2, next_due_at: at(1) }]);
        expect(await store.reminderGroups('k_ep', at(9)), 'the key is matched as written').toEqual([]);
      });

      it('replaces a reminder set again with the same id', async () => {
        await store.commit(commit({ reminders: [reminder('b:x', 5)] }));
        expect(ids(await store.dueReminders(at(9), 10))).toEqual(['c:x', 'a:x', 'b:x']);
        expect(await store.nextReminderAt()).toBe(at(2));
      });

      it('cancels reminders; cancelling and setting an id in one commit keeps the new one', async () => {
        await store.commit(commit({ cancel_reminders: ['b:x', 'unknown'] }));
        expect(ids(await store.dueReminders(at(9), 10))).toEqual(['c:x', 'a:x']);
        await store.commit(commit({ cancel_reminders: ['c:x'], reminders: [reminder('c:x', 7)] }));
        expect(ids(await store.dueReminders(at(9), 10))).toEqual(['a:x', 'c:x']);
        await store.commit(commit({ cancel_reminders: ['a:x', 'c:x'] }));
        expect(await store.dueReminders(at(9), 10)).toEqual([]);
        expect(await store.nextReminderAt()).toBeUndefined();
      });
    });

    describe('outbox', () => {
      beforeEach(async () => {
        await store.commit(
          commit({
            outbox: [
              outboxEntry('o1', { due_at: at(1) }),
              outboxEntry('o2', { due_at: at(2), kind: 'email' }),
              outboxEntry('o0', { due_at: at(0), delivered_at: at(0) }),
            ],
          }),
        );
      });

      it('lists undelivered due entries oldest first, up to the limit', async () => {
        expect(ids(await store.dueOutbox(at(5), 10))).toEqual(['o1', 'o2']);
        expect(ids(await store.dueOutbox(at(5), 1))).toEqual(['o1']);
        expect(ids(await store.dueOutbox(at(1), 10))).toEqual(['o1']);
        expect(await store.dueOutbox(at(0), 10)).toEqual([]);
        expect(await store.nextOutboxAt()).toBe(at(1));
      });

      it('re-puts entries by id: delivered ones leave the queue, retried ones move', async () => {
        await store.commit(commit({ outbox: [outboxEntry('o1', { due_at: at(1), delivered_at: at(3), attempts: 1 })] }));
        expect(ids(await store.dueOutbox(at(5), 10))).toEqual(['o2']);
        await store.commit(commit({ outbox: [outboxEntry('o2', { kind: 'email', due_at: at(8), attempts: 1, last_error: 'timeout' })] }));
        expect(await store.nextOutboxAt()).toBe(at(8));
        expect(await store.dueOutbox(at(5), 10)).toEqual([]);
        expect(await store.dueOutbox(at(8), 10)).toEqual([outboxEntry('o2', { kind: 'email', due_at: at(8), attempts: 1, last_error: 'timeout' })]);
        await store.commit(commit({ outbox: [outboxEntry('o2', { kind: 'email', due_at: at(8), attempts: 2, delivered_at: at(8) })] }));
        expect(await store.nextOutboxAt()).toBeUndefined();
      });

      it('leaves dead letters out of what is due, and lists what each actor still has pending in the order of ids', async () => {
        await store.commit(
          commit({
            outbox: [
              outboxEntry('p2', { actor: 'a2', due_at: at(9) }),
              outboxEntry('p1', { actor: 'a2', due_at: at(1) }),
              outboxEntry('p3', { actor: 'a2', delivered_at: at(1) }),
            ],
          }),
        );
        expect(ids(await store.pendingOutbox('a2'))).toEqual(['p1', 'p2']);
        expect(ids(await store.pendingOutbox('a1'))).toEqual(['o1', 'o2']);
        expect(await store.pendingOutbox('nobody')).toEqual([]);
        await store.commit(commit({ outbox: [outboxEntry('o1', { due_at: at(1), attempts: 5, dead_at: at(2), last_error: 'gave up' })] }));
        expect(ids(await store.dueOutbox(at(5), 10))).toEqual(['p1', 'o2']);
        expect(ids(await store.pendingOutbox('a1'))).toEqual(['o2']);
        expect(await store.nextOutboxAt()).toBe(at(1));
        // Retried by staff: due again.
        await store.commit(commit({ outbox: [outboxEntry('o1', { due_at: at(3), attempts: 0, last_error: 'gave up' })] }));
        expect(ids(await store.dueOutbox(at(5), 10))).toEqual(['p1', 'o2', 'o1']);
      });

      it('lists entries for a recipient, of the given kinds, newest first, delivered included', async () => {
        await store.commit(
          commit({
            outbox: [
              outboxEntry('n1', { recipient: 'm1', created_at: at(1) }),
              outboxEntry('n2', { recipient: 'm1', created_at: at(2), kind: 'email' }),
              outboxEntry('n3', { recipient: 'm1', created_at: at(3), delivered_at: at(3) }),
              outboxEntry('n4', { recipient: 'm2', created_at: at(4) }),
              outboxEntry('n5', { recipient: 'm1', created_at: at(5), kind: 'webhook' }),
            ],
          }),
        );
        const page = await store.outboxFor('m1', ['in_app', 'email'], 0, 10);
        expect(page.count).toBe(3);
        expect(ids(page.data)).toEqual(['n3', 'n2', 'n1']);
        expect(page.data[0]).toEqual(outboxEntry('n3', { recipient: 'm1', created_at: at(3), delivered_at: at(3) }));
        expect(await store.outboxFor('m1', ['in_app', 'email'], 1, 1)).toMatchObject({ data: [{ id: 'n2' }], count: 3 });
        expect(ids((await store.outboxFor('m1', ['in_app'], 0, 10)).data)).toEqual(['n3', 'n1']);
        expect(await store.outboxFor('m1', [], 0, 10)).toEqual({ data: [], count: 0 });
        expect(await store.outboxFor('nobody', ['in_app'], 0, 10)).toEqual({ data: [], count: 0 });
      });
    });

    describe('records', () => {
      it('gets, replaces, and keeps collections apart', async () => {
        expect(await store.getRecord('idem', 'k1')).toBeUndefined();
        await store.commit(commit({ records: [{ collection: 'idem', id: 'k1', value: { status: 201, body: { id: 'a1' } } }] }));
        await store.commit(commit({ records: [{ collection: 'block', id: 'k1', value: true }] }));
        expect(await store.getRecord('idem', 'k1')).toEqual({ status: 201, body: { id: 'a1' } });
        await store.commit(commit({ records: [{ collection: 'idem', id: 'k1', value: 'replaced' }] }));
        expect(await store.getRecord('idem', 'k1')).toBe('replaced');
        expect(await store.getRecord('block', 'k1')).toBe(true);
      });

      it('lists a collection and its groups in the order records were first stored', async () => {
        await store.commit(
          commit({
            records: [
              { collection: 'attempts', id: 'a', group: 's1', value: 'a1' },
              { collection: 'attempts', id: 'b', group: 's2', value: 'b1' },
              { collection: 'attempts', id: 'c', group: 's1', value: 'c1' },
              { collection: 'other', id: 'a', value: 'x' },
            ],
          }),
        );
        await store.commit(commit({ records: [{ collection: 'attempts', id: 'a', group: 's1', value: 'a2' }] }));
        expect(await store.listRecords('attempts')).toEqual(['a2', 'b1', 'c1']);
        expect(await store.listRecords('attempts', 's1')).toEqual(['a2', 'c1']);
        expect(await store.listRecords('attempts', 's3')).toEqual([]);
        expect(await store.listRecords('nothing')).toEqual([]);
        expect(await store.recordGroups('attempts')).toEqual({ s1: 2, s2: 1 });
        expect(await store.recordGroups('other'), "a record without a group counts under ''").toEqual({ '': 1 });
        expect(await store.recordGroups('nothing')).toEqual({});
        // A record moved to another group leaves the first.
        await store.commit(commit({ records: [{ collection: 'attempts', id: 'c', group: 's2', value: 'c2' }] }));
        expect(await store.listRecords('attempts', 's1')).toEqual(['a2']);
        expect(await store.listRecords('attempts', 's2')).toEqual(['b1', 'c2']);
        expect(await store.recordGroups('attempts'), 'counted in its new group only').toEqual({ s1: 1, s2: 2 });
      });
    });

    describe('listeners', () => {
      it('hear every commit once it is durable, in order', async () => {
        const heard: string[] = [];
        store.onCommitted((c) => heard.push(...c.records.map((r) => `${r.id}:${JSON.stringify(r.value)}`)));
        await store.commit(commit({ records: [{ collection: 'c', id: 'a', value: 1 }] }));
        expect(await store.getRecord('c', 'a')).toBe(1);
        await Promise.all([2, 3].map((n) => store.commit(commit({ records: [{ collection: 'c', id: 'a', value: n }] }))));
        expect(heard).toEqual(['a:1', 'a:2', 'a:3']);
      });
    });

    describe('durability', () => {
      it('keeps everything across a reopen', async () => {
        await store.commit(
          put(actor('l1', { members: ['s1'], updated_at: at(1) }), {
            history: [historyEntry('l1', 1)],
            outbox: [outboxEntry('o1', { recipient: 's1', due_at: at(4) }), outboxEntry('o2', { recipient: 's1', delivered_at: at(1) })],
            reminders: [reminder('l1:a', 3), reminder('l1:b', 4)],
            records: [
              { collection: 'idem', id: 'k', value: { ok: true } },
              { collection: 'idem', id: 'k2', group: 'g', value: 2 },
            ],
          }),
        );
        await store.commit(
          put(actor('l1', { version: 2, status: 'active', members: ['s1'], updated_at: at(2) }), {
            history: [historyEntry('l1', 2)],
            cancel_reminders: ['l1:b'],
          }),
        );
        await store.commit(put(actor('s1', { kind: 'seeker', updated_at: at(3) })));
        const read = async (s: Store) => ({
          l1: await s.getActor('l1'),
          list: await s.listActors({ offset: 0, limit: 10 }),
          byMember: await s.listActors({ member: 's1', status: 'active', offset: 0, limit: 10 }),
          counts: await s.countActors(),
          history: await s.history('l1'),
          reminders: await s.dueReminders(at(9), 10),
          nextReminder: await s.nextReminderAt(),
          outbox: await s.dueOutbox(at(9), 10),
          nextOutbox: await s.nextOutboxAt(),
          inbox: await s.outboxFor('s1', ['in_app'], 0, 10),
          record: await s.getRecord('idem', 'k'),
          grouped: await s.listRecords('idem', 'g'),
        });
        const before = await read(store);
        expect(before.l1?.version).toBe(2);
        expect(before.history).toHaveLength(2);
        expect(ids(before.reminders)).toEqual(['l1:a']);
        expect(before.inbox.count).toBe(2);

        store = await fixture.reopen();
        expect(await read(store)).toEqual(before);
        await store.commit(put(actor('l1', { version: 3, updated_at: at(5) })));
        store = await fixture.reopen();
        expect((await store.getActor('l1'))?.version).toBe(3);
      });
    });
  });
}
