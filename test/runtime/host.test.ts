import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/runtime/caller.ts';
import { DomainError } from '../../server/runtime/errors.ts';
import { commitOf } from '../../server/store/store.ts';
import { eventually } from '../helpers/link-flow.ts';
import { DELAYS, runtime } from './runtime.ts';

/**
 * The runtime's own guarantees, without HTTP: one event per actor at a time, everything a command
 * caused in one commit (joint events, history, outbox, reminders), a state's reminders set when it
 * is entered and removed when a command leaves it, due reminders fired through the command path,
 * refusals that store nothing, snapshots sealed at rest.
 */

const SEEKER = { role: 'seeker', subject: 'skr' };
const PROVIDER = { role: 'provider', subject: 'prv' };
const DISCLOSURE = 'cbgc-seeker-2026-01';
const LEGAL = { legal_first_name: 'Alex', legal_last_name: 'Rivera', dob: '1984-06-30', address: '12 Harbor Road, Portland', phone: '+1 207 555 0101' };

/**
 * A seeker and a provider. A Complete seeker's identity was verified before trustwire (I10), so
 * that they may ask to monitor (I6), unless the test walks the verification itself (`required`).
 */
async function world(plan: 'complete' | 'starter' = 'complete', idv: 'verified' | 'required' = 'verified') {
  const r = runtime();
  const verified =
    plan === 'complete' && idv === 'verified' ? { by: 'prove' as const, at: '2026-05-01T09:00:00.000Z', imported: { reference: 'kyc-1' } } : undefined;
  const seeker = await r.host.create('seeker', { email: 'alex@example.com', plan, first_name: 'Alex', last_name: 'Rivera', verified }, SYSTEM);
  const provider = await r.host.create('provider', { email: 'pat@example.com', first_name: 'Pat', last_name: 'Provider' }, SYSTEM);
  const newLink = async (idme_verified = true) =>
    (
      await r.host.create(
        'link',
        { seeker_id: seeker.actor.id, provider_id: provider.actor.id, seeker_name: 'Alex R.', provider_name: 'Pat P.', hire_confirmed: false, idme_verified },
        SEEKER,
      )
    ).actor.id;
  /** A link whose request went out (request_pending). */
  const sentLink = async () => {
    const id = await newLink();
    await r.host.send(id, { type: 'CONFIRM_HIRE' }, SEEKER);
    await r.host.send(id, { type: 'ACCEPT_DISCLOSURES', disclosure_version: DISCLOSURE }, SEEKER);
    return id;
  };
  const context = async (id: string) => (await r.host.load(id))!.snapshot.context as Record<string, any>;
  const outbox = async (actor: string) => (await r.store.dueOutbox('9999-12-31T23:59:59.999Z', 10_000)).filter((e) => e.actor === actor);
  /** The feature effects the runtime handed on for an actor, in the commits (see recordingModules). */
  const opened = <T>(actor: string, kind: string) =>
    outbox(actor).then((entries) => entries.filter((e) => e.kind === kind).map((e) => r.sealer.open<T>(e.payload)));
  const notices = async (actor: string) =>
    (await opened<{ to: string; template: string; channels: string[] }>(actor, 'notify')).map((n) => `${n.to} ${n.template} ${n.channels.join('+')}`);
  return { ...r, seeker: seeker.actor.id, provider: provider.actor.id, newLink, sentLink, context, outbox, notices, opened };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const { code, details } = error as DomainError;
  return { code, details };
}

describe('one command, one commit', () => {
  it('a request sent claims the seeker’s slot and reaches the provider in the same commit, with its history, notices and reminder', async () => {
    const w = await world();
    const link = await w.newLink();
    w.published.length = 0;
    const hired = await w.host.send(link, { type: 'CONFIRM_HIRE' }, SEEKER);
    expect(hired.actor).toMatchObject({ version: 2, status: 'draft' });
    expect((await w.context(w.seeker)).hired_providers).toEqual([w.provider]);

    const sent = await w.host.send(link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: DISCLOSURE }, SEEKER);
    expect(sent.actor).toMatchObject({
      id: link,
      version: 3,
      status: 'request_pending',
      members: [w.seeker, w.provider],
      updated_at: '2026-05-04T10:00:00.000Z',
    });
    // Published once per commit, after it: the link, then its seeker (twice changed: hire, slot), then the provider.
    expect(w.published.map((changes) => changes.map((c) => `${c.actor.id === link ? 'link' : c.kind.kind} ${c.event.type} v${c.actor.version}`))).toEqual([
      ['link CONFIRM_HIRE v2', 'seeker HIRE_CONFIRMED v2'],
      ['link ACCEPT_DISCLOSURES v3', 'seeker CLAIM_SLOT v3', 'provider REQUEST_RECEIVED v2'],
    ]);
    expect((await w.context(w.seeker)).monitoring_links).toEqual([link]);
    expect((await w.store.getActor(w.seeker))!.version).toBe(3);
    expect((await w.context(w.provider)).last_request_at).toBe('2026-05-04T10:00:00.000Z');

    expect((await w.store.history(link)).map(({ event, by, from, to, version, seq }) => ({ type: event.type, by: by.role, from, to, version, seq }))).toEqual([
      { type: 'CREATED', by: 'seeker', from: null, to: 'draft', version: 1, seq: 1 },
      { type: 'CONFIRM_HIRE', by: 'seeker', from: 'draft', to: 'draft', version: 2, seq: 2 },
      { type: 'ACCEPT_DISCLOSURES', by: 'seeker', from: 'draft', to: 'request_pending', version: 3, seq: 3 },
    ]);
    expect((await w.store.history(w.seeker)).map((h) => `${h.event.type} ${h.by.role}`)).toEqual([
      'CREATED system',
      'HIRE_CONFIRMED system',
      'CLAIM_SLOT system',
    ]);
    expect((await w.notices(link)).sort()).toEqual(['provider new_request in_app+email', 'seeker request_sent in_app+email']);
    expect(await w.reminders(link)).toEqual({ provider_reminder: new Date(w.clock.now() + DELAYS.provider_reminder).toISOString() });
  });

  it('a member’s refusal refuses the whole command and stores nothing of it', async () => {
    const w = await world();
    for (let i = 0; i < 3; i++) await w.sentLink();
    const fourth = await w.newLink();
    await w.host.send(fourth, { type: 'CONFIRM_HIRE' }, SEEKER);
    const before = await w.store.getActor(fourth);
    expect(await refusal(w.host.send(fourth, { type: 'ACCEPT_DISCLOSURES', disclosure_version: DISCLOSURE }, SEEKER))).toEqual({
      code: 'monitoring_limit_reached',
      details: {},
    });
    expect(await w.store.getActor(fourth)).toEqual(before);
    expect((await w.host.load(fourth))!.actor.status).toBe('draft');
    expect(await w.reminders(fourth)).toEqual({});
    expect(await w.notices(fourth)).toEqual([]);
    expect((await w.context(w.seeker)).monitoring_links).toHaveLength(3);

    const starter = await world('starter');
    const link = await starter.newLink();
    await starter.host.send(link, { type: 'CONFIRM_HIRE' }, SEEKER);
    expect((await refusal(starter.host.send(link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: DISCLOSURE }, SEEKER))).code).toBe('plan_not_eligible');
  });

  it('refuses what the state does not take, a stale version and an unknown actor, changing nothing', async () => {
    const w = await world('complete', 'required');
    const link = await w.newLink();
    expect(await refusal(w.host.send(link, { type: 'ACCEPT' }, PROVIDER))).toEqual({
      code: 'invalid_transition',
      details: { status: 'draft' },
    });
    expect(await refusal(w.host.send(link, { type: 'CONFIRM_HIRE' }, SEEKER, { expected_version: 3 }))).toEqual({
      code: 'version_conflict',
      details: { version: 1 },
    });
    expect((await w.host.send(link, { type: 'CONFIRM_HIRE' }, SEEKER, { expected_version: 1 })).actor.version).toBe(2);
    expect((await refusal(w.host.send('lnk_nobody', { type: 'CONFIRM_HIRE' }, SEEKER))).code).toBe('not_found');
    expect(await w.store.history(link)).toHaveLength(2);

    await w.host.send(w.seeker, { type: 'START_VERIFICATION' }, SEEKER);
    await w.host.send(w.seeker, { type: 'SUBMIT_LEGAL_INFO', ...LEGAL }, SEEKER);
    expect((await refusal(w.host.send(w.seeker, { type: 'SUBMIT_LEGAL_INFO', ...LEGAL }, SEEKER))).code).toBe('legal_info_locked');
  });

  it('runs one event at a time per actor, in arrival order', async () => {
    const w = await world();
    const plans = ['starter', 'complete', 'legacy', 'starter', 'complete', 'starter'];
    const answers = await Promise.all(plans.map((plan) => w.host.send(w.seeker, { type: 'CHANGE_PLAN', plan }, SYSTEM)));
    expect(answers.map((a) => a.actor.version)).toEqual([2, 3, 4, 5, 6, 7]);
    expect((await w.context(w.seeker)).plan).toBe('starter');
    expect((await w.store.history(w.seeker)).slice(1).map((h) => h.version)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('keeps snapshots sealed at rest, and a host over the same store reads them back', async () => {
    const w = await world();
    const stored = (await w.store.getActor(w.seeker))!;
    expect(stored.snapshot).not.toContain('alex@example.com');
    expect(JSON.stringify(w.sealer.open(stored.snapshot))).toContain('alex@example.com');
    const link = await w.sentLink();
    const again = w.restarted();
    const loaded = (await again.load(link))!;
    expect({ status: loaded.actor.status, value: loaded.snapshot.value, version: loaded.actor.version }).toEqual({
      status: 'request_pending',
      value: { sent: { request_pending: 'waiting' } },
      version: 3,
    });
    expect((await again.send(link, { type: 'ACCEPT', disclosure_version: 'cbgc-provider-2026-01' }, PROVIDER)).actor.status).toBe('active');
  });
});

describe('reminders belong to the state that set them', () => {
  it('a command leaving a pending request removes its provider reminder; the accepted link enrols monitoring', async () => {
    const w = await world();
    const link = await w.sentLink();
    expect(Object.keys(await w.reminders(link))).toEqual(['provider_reminder']);
    await w.host.send(link, { type: 'ACCEPT', disclosure_version: 'cbgc-provider-2026-01' }, PROVIDER);
    expect(await w.reminders(link)).toEqual({});
    expect(await w.opened(link, 'vendor')).toEqual([{ type: 'vendor', vendor: 'sterling', action: 'enroll_monitoring' }]);

    const cancelled = await w.sentLink();
    await w.host.send(cancelled, { type: 'CANCEL_REQUEST' }, SEEKER);
    expect(await w.reminders(cancelled)).toEqual({});
    expect((await w.context(w.seeker)).monitoring_links).toEqual([link]);
  });

  it('Prove’s time-out is set while Prove is waited on, removed while the seeker types the code, set again for the check', async () => {
    const w = await world('complete', 'required');
    await w.host.send(w.seeker, { type: 'START_VERIFICATION' }, SEEKER);
    await w.host.send(w.seeker, { type: 'SUBMIT_LEGAL_INFO', ...LEGAL }, SEEKER);
    const due = (ms: number) => new Date(w.clock.now() + ms).toISOString();
    expect(await w.reminders(w.seeker)).toEqual({ vendor_timeout: due(DELAYS.idv_vendor_timeout) });

    w.clock.advance(30_000);
    await w.host.send(w.seeker, { type: 'PROVE_CODE_SENT', attempt: 1, correlation_id: 'c1', auth_token: 't1', next: {} }, SYSTEM);
    expect(await w.reminders(w.seeker), 'no vendor is waited on while the seeker types').toEqual({});

    w.clock.advance(5 * 60_000);
    await w.host.send(w.seeker, { type: 'SUBMIT_OTP', code: '123456' }, SEEKER);
    expect(await w.reminders(w.seeker)).toEqual({ vendor_timeout: due(DELAYS.idv_vendor_timeout) });
    await w.host.send(w.seeker, { type: 'PROVE_PASSED', attempt: 1, method: 'sms' }, SYSTEM);
    expect(await w.reminders(w.seeker)).toEqual({});
    expect((await w.host.load(w.seeker))!.kind.view((await w.host.load(w.seeker))!.snapshot, 'seeker')).toMatchObject({ idv_status: 'verified' });
  });

  it('a due reminder is sent as an event by the system, and deleted in the same commit', async () => {
    const w = await world();
    const link = await w.sentLink();
    w.scheduler.ticker.kick();
    await new Promise((r) => setTimeout(r, 50));
    expect(
      (await w.store.history(link)).map((h) => h.event.type),
      'not due yet',
    ).not.toContain('REMIND_PROVIDER');

    w.clock.advance(DELAYS.provider_reminder);
    w.scheduler.ticker.kick();
    const history = await eventually(
      () => w.store.history(link),
      (h) => h.some((e) => e.event.type === 'REMIND_PROVIDER'),
    );
    w.scheduler.ticker.stop();
    expect(history.at(-1)).toMatchObject({ event: { type: 'REMIND_PROVIDER' }, by: { role: 'system' }, from: 'request_pending', to: 'request_pending' });
    expect(await w.reminders(link)).toEqual({});
    expect(await w.notices(link)).toContain('provider request_reminder in_app+email');
  });

  it('a reminder whose event the actor no longer takes is deleted without a change', async () => {
    const w = await world();
    const link = await w.newLink();
    await w.store.commit(
      commitOf({ reminders: [{ id: `${link}:stale`, actor: link, event: JSON.stringify({ type: 'REMIND_PROVIDER' }), due_at: '2026-05-04T09:00:00.000Z' }] }),
    );
    expect(await w.store.nextReminderAt()).toBe('2026-05-04T09:00:00.000Z');
    w.scheduler.ticker.kick();
    await eventually(
      () => w.reminders(link),
      (r) => Object.keys(r).length === 0,
    );
    w.scheduler.ticker.stop();
    expect((await w.store.getActor(link))!.version).toBe(1);
    expect(await w.store.history(link)).toHaveLength(1);
  });

  it('a Prove that never answers times the seeker out to `required` with a message', async () => {
    const w = await world('starter');
    await w.host.send(w.seeker, { type: 'START_VERIFICATION' }, SEEKER);
    await w.host.send(w.seeker, { type: 'SUBMIT_LEGAL_INFO', ...LEGAL }, SEEKER);
    w.clock.advance(DELAYS.idv_vendor_timeout);
    w.scheduler.ticker.kick();
    const seeker = await eventually(
      async () => (await w.host.load(w.seeker))!,
      (s) => s.snapshot.matches({ idv: 'required' }),
    );
    w.scheduler.ticker.stop();
    expect(seeker.kind.view(seeker.snapshot, 'seeker')).toMatchObject({ idv_status: 'required', idv: { step: null, message: 'vendor_unavailable' } });
    expect(await w.reminders(w.seeker)).toEqual({});
  });
});

describe('what the runtime hands to the features, in the same commit', () => {
  it('a reading that changed is announced as a webhook effect, not a creation or an unchanged one', async () => {
    const w = await world();
    const link = await w.newLink();
    await w.host.send(link, { type: 'CONFIRM_HIRE' }, SEEKER);
    expect(await w.opened(link, 'webhook'), 'created, and a draft step: no status change').toEqual([]);
    await w.host.send(link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: DISCLOSURE }, SEEKER);
    expect(await w.opened(link, 'webhook')).toEqual([{ type: 'webhook', event: 'link.status_changed' }]);
    const unverified = await world('complete', 'required');
    await unverified.host.send(unverified.seeker, { type: 'START_VERIFICATION' }, SEEKER);
    expect(await unverified.opened(unverified.seeker, 'webhook')).toEqual([{ type: 'webhook', event: 'seeker.idv_status_changed' }]);
    await unverified.host.send(unverified.seeker, { type: 'CANCEL_VERIFICATION' }, SEEKER);
    expect(await unverified.opened(unverified.seeker, 'webhook'), 'still in progress').toHaveLength(1);
  });

  it('leaving Complete hands a cascade to the seeker’s links (C11)', async () => {
    const w = await world();
    await w.host.send(w.seeker, { type: 'CHANGE_PLAN', plan: 'starter' }, SYSTEM);
    expect(await w.opened(w.seeker, 'cascade')).toEqual([{ type: 'cascade', links_of: 'seeker', event: { type: 'MEMBER_LEFT', reason: 'plan_changed' } }]);
  });

  it('a seeker who declined verification gets a refund and a refunds case (I13)', async () => {
    const w = await world('starter');
    for (const type of ['START_VERIFICATION', 'CANCEL_VERIFICATION', 'CONFIRM_CANCEL']) await w.host.send(w.seeker, { type }, SEEKER);
    await w.host.send(w.seeker, { type: 'REQUEST_REFUND', reason: 'idv_refusal' }, { role: 'agent', subject: 'agent_1' });
    expect(await w.opened(w.seeker, 'refund')).toEqual([{ type: 'refund', reason: 'idv_refusal' }]);
    expect(await w.opened(w.seeker, 'case')).toEqual([expect.objectContaining({ type: 'case', queue: 'refunds', comment: 'Refund issued. #IDVrefusal' })]);
  });

  it('a Veriff decline blocklists the identity, opens a case and closes the account in one commit (I7)', async () => {
    const w = await world('starter');
    await w.host.send(w.seeker, { type: 'START_VERIFICATION' }, SEEKER);
    await w.host.send(w.seeker, { type: 'SUBMIT_LEGAL_INFO', ...LEGAL }, SEEKER);
    await w.host.send(w.seeker, { type: 'PROVE_FAILED', attempt: 1, reason: 'not_verified' }, SYSTEM);
    expect((await w.opened<{ attempt: number }>(w.seeker, 'vendor')).sort((a, b) => a.attempt - b.attempt)).toEqual([
      { type: 'vendor', vendor: 'prove', action: 'start', attempt: 1 },
      { type: 'vendor', vendor: 'veriff', action: 'create_session', attempt: 2 },
    ]);
    await w.host.send(w.seeker, { type: 'VERIFF_SESSION_CREATED', attempt: 2, session_id: 'ses_1', session_url: '/hosted/ses_1' }, SYSTEM);
    w.published.length = 0;
    await w.host.send(w.seeker, { type: 'VERIFF_DECISION', session_id: 'ses_1', attempt_id: 'att_1', status: 'declined' }, SYSTEM);
    expect(await w.opened(w.seeker, 'blocklist')).toEqual([{ type: 'blocklist' }]);
    expect((await w.opened<{ queue: string }>(w.seeker, 'case')).map((c) => c.queue)).toEqual(['idv_failures']);
    expect((await w.store.getActor(w.seeker))!.status).toBe('closed');
    expect(w.published).toHaveLength(1);
  });
});
