import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { link, linkMachine } from '../../machines/link.ts';
import { findCases, getCase, newCase, openCase, withComment } from '../../server/cases/cases.ts';
import { type Caller, isMember, isStaff, maySee } from '../../server/runtime/caller.ts';
import { iso, ManualClock } from '../../server/runtime/clock.ts';
import { refused } from '../../server/runtime/errors.ts';
import { LruCache } from '../../server/runtime/lru-cache.ts';
import { Mailboxes } from '../../server/runtime/mailbox.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { Ticker } from '../../server/runtime/ticker.ts';
import { actorView, can, maySend } from '../../server/runtime/view.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { commitOf } from '../../server/store/store.ts';
import { eventually } from '../helpers/link-flow.ts';

/** The runtime's small parts, each held to what the rest of trustwire relies on. */

const AT = '2026-05-04T10:00:00.000Z';

describe('who may see and send (R1, R2)', () => {
  const input = { seeker_id: 'skr_1', provider_id: 'prv_1', seeker_name: 'Alex R.', provider_name: 'Pat P.', hire_confirmed: true, idme_verified: true };
  const [draft] = initialTransition(linkMachine, input);
  const [pending] = transition(linkMachine, draft, { type: 'ACCEPT_DISCLOSURES', disclosure_version: 'v1', at: AT });
  const callers: Record<string, Caller> = {
    seeker: { role: 'seeker', subject: 'skr_1' },
    otherSeeker: { role: 'seeker', subject: 'skr_2' },
    provider: { role: 'provider', subject: 'prv_1' },
    otherProvider: { role: 'provider', subject: 'prv_2' },
    agent: { role: 'agent', subject: 'agent_1' },
    reviewer: { role: 'reviewer', subject: 'reviewer_1' },
    integrator: { role: 'integrator' },
  };

  it('offers each caller only the events of their own side that the state takes', () => {
    const offered = Object.fromEntries(Object.entries(callers).map(([name, caller]) => [name, can(link, pending, caller, 'lnk_1', AT).sort()]));
    expect(offered).toEqual({
      seeker: ['CANCEL_REQUEST'],
      otherSeeker: [],
      provider: ['ACCEPT', 'DECLINE'],
      otherProvider: [],
      agent: ['STAFF_REMOVE'],
      reviewer: ['STAFF_REMOVE'],
      integrator: ['ACCEPT', 'CANCEL_REQUEST', 'DECLINE', 'STAFF_REMOVE'],
    });
    expect(maySend(link, 'toString', callers.integrator, 'lnk_1', pending.context as never), 'an inherited property is no command').toBe(false);
    expect(maySend(link, 'ACCEPT', callers.seeker, 'lnk_1', pending.context as never), 'a seeker never accepts').toBe(false);
    expect(maySend(link, 'CANCEL_REQUEST', { role: 'seeker', subject: 'lnk_1' }, 'lnk_1', pending.context as never), 'the actor itself').toBe(true);
  });

  it('a member sees their own actors only; staff and the integrator see all', () => {
    const actor = { id: 'lnk_1', members: ['skr_1', 'prv_1'] };
    expect(
      Object.entries(callers)
        .filter(([, c]) => maySee(c, actor))
        .map(([name]) => name),
    ).toEqual(['seeker', 'provider', 'agent', 'reviewer', 'integrator']);
    expect(
      Object.entries(callers)
        .filter(([, c]) => isMember(c))
        .map(([name]) => name),
    ).toEqual(['seeker', 'otherSeeker', 'provider', 'otherProvider']);
    expect(
      Object.entries(callers)
        .filter(([, c]) => isStaff(c))
        .map(([name]) => name),
    ).toEqual(['agent', 'reviewer']);
  });

  it('the actor view is the same shape for every caller, with their role’s data and buttons', () => {
    const actor = {
      id: 'lnk_1',
      kind: 'link',
      status: 'request_pending',
      version: 3,
      created_at: AT,
      updated_at: AT,
      members: ['skr_1', 'prv_1'],
      snapshot: '',
    };
    expect(actorView({ actor, snapshot: pending, kind: link }, callers.provider, AT)).toEqual({
      id: 'lnk_1',
      kind: 'link',
      status: 'request_pending',
      state: { sent: { request_pending: 'waiting' } },
      version: 3,
      created_at: AT,
      updated_at: AT,
      data: link.view(pending, 'provider'),
      can: ['ACCEPT', 'DECLINE'],
    });
  });
});

describe('runtime parts', () => {
  it('the LRU cache (actors, subject keys) keeps the most recently used actors and drops the least recently used', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    cache.set('a', 10);
    cache.set('d', 4);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([10, undefined, 4]);
  });

  it('a mailbox runs one item at a time in order, goes on after a failure, and does not hold other actors up', async () => {
    const boxes = new Mailboxes();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = boxes.run('a', async () => {
      await gate;
      log.push('a1');
      throw new Error('a1 failed');
    });
    const second = boxes.run('a', async () => void log.push('a2'));
    await boxes.run('b', async () => void log.push('b1'));
    expect(log, 'b does not wait for a').toEqual(['b1']);
    release();
    await expect(first).rejects.toThrow('a1 failed');
    await second;
    expect(log).toEqual(['b1', 'a1', 'a2']);
    expect(await boxes.run('a', async () => 'later')).toBe('later');
  });

  it('refusals read as sentences for members, never as codes', () => {
    for (const code of [
      'monitoring_limit_reached',
      'plan_not_eligible',
      'feature_not_enabled',
      'provider_unavailable',
      'report_not_consider',
      'adverse_action_exists',
      'age_below_minimum',
      'legal_info_locked',
      'blocklisted',
      'identity_verification_required',
      'refund_not_applicable',
    ]) {
      const error = refused(code, { link: 'lnk_1' });
      expect({ code: error.code, details: error.details }).toEqual({ code, details: { link: 'lnk_1' } });
      expect(error.message).toMatch(/^[A-Z].{20,}[a-z.]$/);
    }
    expect(refused('some_new_rule').message).toBe('some new rule');
  });

  it('sealing hides the value, opens it back, and refuses a changed or foreign seal', () => {
    const sealer = new Sealer(randomBytes(32));
    const secret = { email: 'alex@example.com', n: 1 };
    const a = sealer.seal(secret);
    const b = sealer.seal(secret);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain('alex');
    expect(sealer.open(a)).toEqual(secret);
    const raw = Buffer.from(a, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => sealer.open(raw.toString('base64'))).toThrow();
    expect(() => new Sealer(randomBytes(32)).open(a)).toThrow();
    expect(() => new Sealer(randomBytes(16))).toThrow('every data key must be 32 bytes');
    // IVs come from a pool: thousands of seals never repeat one.
    const ivs = new Set(Array.from({ length: 5000 }, () => Buffer.from(sealer.seal(1), 'base64').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(5000);
  });

  it('cases collect their hashtags, are stored sealed, and are found newest first by queue, status and subject', async () => {
    const sealer = new Sealer(randomBytes(32));
    const store = new MemoryStore();
    const by = { role: 'agent', subject: 'agent_1' };
    const first = newCase({
      subject: 'skr_1',
      queue: 'escalations',
      summary: 'Refund asked #RefundRequest',
      comment: { text: 'Seen #FailedIDV #RefundRequest', by },
      at: AT,
      id: 'case_1',
    });
    expect(first).toMatchObject({
      id: 'case_1',
      object: 'case',
      uri: '/v1/cases/case_1',
      status: 'open',
      refs: {},
      tags: ['RefundRequest', 'FailedIDV'],
      assignee: null,
      resolved_at: null,
    });
    expect(first.comments).toEqual([{ id: expect.stringMatching(/^cmt_/), text: 'Seen #FailedIDV #RefundRequest', by, at: AT }]);
    const later = withComment(first, 'Again #Later', by, '2026-05-05T10:00:00.000Z');
    expect({ tags: later.tags, updated_at: later.updated_at, comments: later.comments.length }).toEqual({
      tags: ['RefundRequest', 'FailedIDV', 'Later'],
      updated_at: '2026-05-05T10:00:00.000Z',
      comments: 2,
    });

    const opened = openCase({ subject: 'skr_1', queue: 'escalations', summary: 'Refund asked', at: AT, id: 'case_1' }, sealer);
    expect(opened.outbox.map((e) => e.kind)).toEqual(['webhook_event', 'crm_case']);
    const other = openCase(
      { subject: 'skr_2', queue: 'idv_failures', summary: 'Declined', refs: { report_id: 'rpt_1' }, at: '2026-05-06T10:00:00.000Z', id: 'case_2' },
      sealer,
    );
    await store.commit(commitOf({ records: [...opened.records, ...other.records] }));
    expect(JSON.stringify(await store.getRecord('cases', 'case_1'))).not.toContain('Refund asked');
    expect((await getCase(store, sealer, 'case_2'))?.refs).toEqual({ report_id: 'rpt_1' });
    expect(await getCase(store, sealer, 'case_3')).toBeUndefined();
    expect((await findCases(store, sealer, {})).map((c) => c.id)).toEqual(['case_2', 'case_1']);
    expect((await findCases(store, sealer, { queue: 'escalations' })).map((c) => c.id)).toEqual(['case_1']);
    expect((await findCases(store, sealer, { subject: 'skr_2', status: 'open' })).map((c) => c.id)).toEqual(['case_2']);
    expect(await findCases(store, sealer, { status: 'resolved' })).toEqual([]);
  });

  it('the ticker runs again at once while there was work, sleeps until the next item is due or maxSleep, and stops', async () => {
    const clock = new ManualClock(Date.parse(AT));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const counting = (batches: number[], next: () => string | undefined, maxSleep: number) => {
      const state = { runs: 0 };
      const ticker = new Ticker(
        async () => {
          state.runs++;
          return batches.shift() ?? 0;
        },
        async () => next(),
        clock,
        maxSleep,
      );
      return Object.assign(state, { ticker });
    };

    const batched = counting([100, 100, 3], () => iso(clock.now() + 60_000), 10_000);
    batched.ticker.kick();
    await eventually(
      () => Promise.resolve(batched.runs),
      (n) => n >= 4,
    );
    await sleep(150);
    expect(batched.runs, 'three batches of work, one run finding none, then asleep until due').toBe(4);
    await batched.ticker.stop();

    const soonDue = counting([], () => iso(clock.now() + 20), 10_000);
    soonDue.ticker.kick();
    await eventually(
      () => Promise.resolve(soonDue.runs),
      (n) => n >= 3,
    );
    await soonDue.ticker.stop();

    const idle = counting([], () => undefined, 20);
    idle.ticker.kick();
    await eventually(
      () => Promise.resolve(idle.runs),
      (n) => n >= 3,
    );
    await idle.ticker.stop();
    const stoppedAt = idle.runs;
    idle.ticker.kick();
    await sleep(100);
    expect(idle.runs, 'a stopped ticker runs no more').toBe(stoppedAt);
  });
});
