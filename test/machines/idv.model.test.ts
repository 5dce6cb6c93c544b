import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { idvStatus, type SeekerEvent, type SeekerInput, seeker, seekerMachine } from '../../machines/seeker.ts';
import { eventually, notificationsOf } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { IdvWorld, legalInfoOf, PROFILES, profileOf, RIGHT_CODE, WRONG_CODE } from './idv-world.ts';
import type { ActorChanged } from './link-driver.ts';
import { covering, replay, stateNodes, transitionLabels } from './model-coverage.ts';

/**
 * Model-based test of identity verification (SPEC.md I1–I12) against a running server with the
 * Prove and Veriff sandboxes. The seeker machine is the model: xstate/graph walks it, choosing
 * only what the sandboxes' test data makes happen (the profile in the legal information decides
 * each vendor's answer), and each walk is replayed on the server by whoever would act: the
 * seeker, a reviewer, the integrator, the Veriff hosted page, or the vendors themselves. After
 * every step the seeker's dashboard must have received exactly that change, in the state the
 * model is in, offering the seeker what the model allows; states add what a user would check
 * (the gate, emails, cases, the blocklist, the screening history).
 */

type Snapshot = SnapshotFrom<typeof seekerMachine>;
const AT = '2025-01-01T00:00:00.000Z';
/** When the seeker closes their account, distinct from when a failed verification closes it (AT). */
const CLOSED_AT = '2024-12-31T00:00:00.000Z';
const REVIEW_REASON = 'The selfie does not match the document.';

const INPUT: SeekerInput = { email: 'model@example.com', plan: 'starter', first_name: 'Jordan', last_name: 'Seeker' };

/** Verification steps the seeker waits in while a vendor works: nothing but the vendor's answer happens there. */
const VENDOR_AT_WORK = [{ prove: 'checking_phone' }, { prove: 'checking_code' }, { veriff: 'creating_session' }, { veriff: 'awaiting_decision' }];
const vendorAtWork = (s: Snapshot) => VENDOR_AT_WORK.some((step) => s.matches({ idv: { in_progress: { step } } } as never));

/** Vendors' answers. (`VERIFF_SUBMITTED` is the seeker's doing, on the hosted page.) */
const SYSTEM_EVENTS = new Set(['PROVE_CODE_SENT', 'PROVE_PASSED', 'PROVE_FAILED', 'VERIFF_SESSION_CREATED', 'VERIFF_DECISION']);

/** Vendor outages and time-outs are walked by the fault tests (test/fault/idv-vendors.test.ts). */
const ELSEWHERE = new Set(['VENDOR_TIMEOUT', 'VENDOR_UNAVAILABLE']);

/** The events the model may take from a snapshot, with the attempt and session the seeker is at. */
function eventsOf(s: Snapshot): SeekerEvent[] {
  const { attempt, veriff_session_id } = s.context.idv;
  const session = veriff_session_id ?? '';
  const decisionsHere = s.context.idv.decisions.filter((d) => d.startsWith(`${session}:`)).length;
  return [
    { type: 'START_VERIFICATION', at: AT },
    ...PROFILES.map((p) => ({ type: 'SUBMIT_LEGAL_INFO' as const, ...legalInfoOf(p), at: AT })),
    { type: 'SUBMIT_OTP', code: RIGHT_CODE, at: AT },
    { type: 'SUBMIT_OTP', code: WRONG_CODE, at: AT },
    { type: 'CANCEL_VERIFICATION', at: AT },
    { type: 'CONFIRM_CANCEL', at: AT },
    { type: 'RESUME_VERIFICATION', at: AT },
    { type: 'APPROVE_REVIEW', at: AT },
    { type: 'REJECT_REVIEW', reason: REVIEW_REASON, at: AT },
    { type: 'GATE_REFUSED', at: AT },
    { type: 'REQUEST_REFUND', reason: 'failed_verification', at: AT },
    { type: 'REQUEST_REFUND', reason: 'idv_refusal', at: AT },
    { type: 'CHANGE_PLAN', plan: 'legacy', at: AT },
    { type: 'CHANGE_PLAN', plan: 'starter', at: AT },
    // A seeker may close their account while a verification goes on: one that fails afterwards
    // keeps their data for the failed-verification period (T4).
    { type: 'CLOSE_ACCOUNT', at: CLOSED_AT },
    { type: 'PROVE_CODE_SENT', attempt, correlation_id: `corr_${attempt}`, auth_token: `tok_${attempt}`, next: {}, at: AT },
    { type: 'PROVE_PASSED', attempt, method: s.context.idv.method ?? 'mobile_auth', at: AT },
    { type: 'PROVE_FAILED', attempt, reason: 'possession_failed', at: AT },
    { type: 'VERIFF_SESSION_CREATED', attempt, session_id: `ses_${attempt}`, session_url: `/sandbox/veriff/session/ses_${attempt}`, at: AT },
    { type: 'VERIFF_SUBMITTED', session_id: session, at: AT },
    ...(['approved', 'declined', 'review', 'resubmission_requested', 'expired'] as const).map((status) => ({
      type: 'VERIFF_DECISION' as const,
      session_id: session,
      attempt_id: `${session}_${decisionsHere + 1}`,
      status,
      at: AT,
    })),
  ];
}

/** What the sandboxes answer for the profile the seeker gave (API.md "Sandbox"). */
function worldAllows(s: Snapshot, e: SeekerEvent): boolean {
  const info = s.context.legal_info;
  const profile = info && profileOf(info);
  const inStep = (step: object) => s.matches({ idv: { in_progress: { step } } } as never);
  switch (e.type) {
    case 'SUBMIT_OTP':
      return (e.code === WRONG_CODE) === profile!.typo;
    case 'PROVE_CODE_SENT':
      return profile!.phoneEnding === '01';
    case 'PROVE_PASSED':
      return inStep({ prove: 'checking_phone' }) ? profile!.phoneEnding === '00' : !profile!.typo;
    case 'PROVE_FAILED':
      return inStep({ prove: 'checking_phone' }) ? profile!.phoneEnding === '99' : profile!.typo;
    case 'VERIFF_DECISION': {
      if (!inStep({ veriff: 'awaiting_decision' })) return false; // decisions follow a submission
      const first = !s.context.idv.decisions.some((d) => d.startsWith(`${e.session_id}:`));
      const expected = {
        Approved: 'approved',
        Declined: 'declined',
        Review: 'review',
        Expired: 'expired',
        Resubmit: first ? 'resubmission_requested' : 'approved',
      }[profile!.lastName];
      return e.status === expected;
    }
    case 'CHANGE_PLAN':
      return s.matches({ idv: 'required' }) || s.matches({ idv: 'not_required' });
    default:
      return true;
  }
}

/** Event types of verification; xstate/graph would offer the seeker's other events too. */
const IDV_EVENTS = new Set(eventsOf({ context: { idv: { attempt: 0, decisions: [] } } } as never).map((e) => e.type));

function possible(s: Snapshot, e: SeekerEvent): boolean {
  if (!IDV_EVENTS.has(e.type)) return false;
  // While a vendor works, the seeker waits: only the vendor's answer comes next.
  if (vendorAtWork(s) !== SYSTEM_EVENTS.has(e.type)) return false;
  return s.can(e) && worldAllows(s, e);
}

/**
 * States differ by where they are, the profile, what the seeker gave, and who closed the account
 * (the seeker, or a failed verification: T4 keeps their data for different periods); attempt
 * numbers do not matter.
 */
function serialize(s: Snapshot, e?: SeekerEvent): string {
  const c = s.context;
  const profile = c.legal_info ? profileOf(c.legal_info).name : null;
  const decided = c.idv.decisions.some((d) => d.startsWith(`${c.idv.veriff_session_id}:`));
  const closedBy = c.closed_at === undefined ? null : c.closed_at === CLOSED_AT ? 'seeker' : 'failure';
  return JSON.stringify({ value: s.value, plan: c.plan, profile, decided, message: c.idv.message ?? null, closedBy, via: e?.type ?? null });
}

const model = createTestModel(seekerMachine, { input: INPUT, events: eventsOf, filterEvents: possible, serializeState: serialize as never });
const labels = transitionLabels(seekerMachine);
const eventsOfPath = (path: { steps: { event: unknown }[] }) => path.steps.slice(1).map((step) => step.event as SeekerEvent);

function coverageKeys(events: SeekerEvent[]): Set<string> {
  const { taken, states } = replay(seekerMachine, INPUT, events);
  return new Set([...taken.map(({ definition }) => labels.get(definition)!), ...[...states].map((id) => `state ${id}`)]);
}

const PATHS = covering(
  model.getShortestPaths(),
  (path) => coverageKeys(eventsOfPath(path)),
  (path) => path.steps.length,
).map((path) => ({
  path,
  events: eventsOfPath(path),
}));

const describeEvent = (e: SeekerEvent) =>
  e.type === 'SUBMIT_LEGAL_INFO'
    ? `SUBMIT_LEGAL_INFO(${profileOf(e).name})`
    : e.type === 'VERIFF_DECISION'
      ? `VERIFF_DECISION(${e.status})`
      : e.type === 'SUBMIT_OTP'
        ? `SUBMIT_OTP(${e.code})`
        : e.type === 'CHANGE_PLAN'
          ? `CHANGE_PLAN(${e.plan})`
          : e.type === 'REQUEST_REFUND'
            ? `REQUEST_REFUND(${e.reason})`
            : e.type;

// ---------------------------------------------------------------------------------------------

const SEEKER_EVENTS = Object.entries(seeker.commands)
  .filter(([, c]) => c.by.includes('seeker'))
  .map(([type]) => type);

function expectedCan(s: Snapshot): string[] {
  return SEEKER_EVENTS.filter((type) => s.can({ type, at: AT, ...seeker.commands[type].probe?.(s.context) } as never)).sort();
}

function expectView(actor: ActorChanged['actor'], s: Snapshot, what: string) {
  expect({ state: actor.state, idv_status: actor.data.idv_status, account_status: actor.data.account_status, can: [...actor.can].sort() }, what).toEqual({
    state: s.value,
    idv_status: idvStatus(s),
    account_status: s.matches({ account: 'closed' }) ? 'closed' : 'active',
    can: expectedCan(s),
  });
}

let t: TestServer;
beforeAll(async () => {
  // The decision follows the submission by a moment, as Veriff's would, after its `submitted` event.
  t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '300' });
});
afterAll(() => t?.close());

/** Makes the server take the model's event. */
async function drive(w: IdvWorld, e: SeekerEvent, before: Snapshot) {
  const { at: _at, by: _by, ...sent } = e;
  switch (e.type) {
    case 'SUBMIT_LEGAL_INFO':
      return w.asSeeker(w.legalInfo(sent as ReturnType<typeof legalInfoOf> & { type: string }) as never);
    case 'START_VERIFICATION':
    case 'SUBMIT_OTP':
    case 'CANCEL_VERIFICATION':
    case 'CONFIRM_CANCEL':
    case 'RESUME_VERIFICATION':
    case 'CLOSE_ACCOUNT':
      return w.asSeeker(sent);
    case 'APPROVE_REVIEW':
    case 'REJECT_REVIEW':
      return w.asReviewer(sent);
    case 'CHANGE_PLAN':
      return w.asIntegrator(sent);
    case 'REQUEST_REFUND':
      return w.asAgent(sent);
    case 'GATE_REFUSED': {
      const reason = before.matches({ account: 'closed' }) ? 'account_closed' : 'identity_verification_required';
      expect((await w.gate()).body).toEqual({ allowed: false, reason });
      return;
    }
    case 'VERIFF_SUBMITTED': {
      const view = (await w.view()).body;
      expect(view.data.idv.session_url, 'the hosted page is offered').toMatch(/^\/sandbox\/veriff\//);
      expect(before.matches({ idv: { in_progress: { step: { veriff: 'capturing' } } } } as never)).toBe(true);
      return w.submitOnHostedPage(view.data.idv.veriff_session_id);
    }
    default:
      return; // the vendor answers by itself
  }
}

/** What a user would check of the seeker in each IDV status. */
async function checkStatus(w: IdvWorld, s: Snapshot) {
  if (vendorAtWork(s)) return; // the server may be past it already
  // Asking the gate for a cancelled seeker is a step of its own (GATE_REFUSED): it changes them.
  if (idvStatus(s) === 'cancelled') return;
  const gate = (await w.gate()).body;
  if (s.context.plan === 'legacy' && !s.matches({ account: 'closed' })) {
    expect(gate, 'I1: legacy seekers are never gated').toEqual({ allowed: true });
    return;
  }
  // A seeker who closed their account is refused whatever their verification (a failed one is checked below).
  if (s.matches({ account: 'closed' }) && idvStatus(s) !== 'failed') {
    expect(gate).toEqual({ allowed: false, reason: 'account_closed' });
    return;
  }
  switch (idvStatus(s)) {
    case 'verified':
      expect(gate).toEqual({ allowed: true });
      await eventually(
        () => notificationsOf(t, w.seekerId),
        (n) => n.some((x: any) => x.channel === 'email' && x.template === 'idv_verified'),
      );
      break;
    case 'manual_review': {
      expect(gate).toEqual({ allowed: false, reason: 'manual_review' });
      const cases = (await t.api('GET', `/v1/cases?subject=${w.seekerId}&queue=idv_failures`)).body;
      expect(cases.count, 'I12: a case for the reviewer').toBeGreaterThanOrEqual(1);
      break;
    }
    case 'failed': {
      expect(gate).toEqual({ allowed: false, reason: 'account_closed' });
      await eventually(
        () => notificationsOf(t, w.seekerId),
        (n) => n.some((x: any) => x.channel === 'email' && x.template === 'idv_failed'),
      );
      // I7: the identity cannot come back.
      const view = (await w.view()).body;
      const again = await t.api('POST', '/v1/seekers', { email: view.data.email, plan: 'starter' });
      expect(again.body.code, 'I7: the email is blocklisted').toBe('blocklisted');
      break;
    }
    default:
      expect(gate).toEqual({ allowed: false, reason: 'identity_verification_required' });
  }
}

describe.concurrent('identity verification, model-based', () => {
  for (const { path, events } of PATHS) {
    it(events.map(describeEvent).join(' → ') || '(created)', async () => {
      const w = await IdvWorld.create(t);
      let before = path.steps[0].state as Snapshot;
      const step = async ({ event, state }: { event: unknown; state: unknown }) => {
        const e = event as SeekerEvent;
        const next = state as Snapshot;
        await drive(w, e, before);
        const change = await w.nextChange(e.type);
        expectView(change.actor, next, `${describeEvent(e)} on the seeker's dashboard`);
        before = next;
      };
      const executors = Object.fromEntries([...new Set(events.map((e) => e.type))].map((type) => [type, step]));
      await path.test({ states: { '*': (s) => checkStatus(w, s as Snapshot) }, events: executors });
      w.expectNoMoreChanges();

      // I11: every Prove and Veriff outcome is in the screening history.
      const attempts = events.filter((e) => e.type === 'PROVE_PASSED' || e.type === 'PROVE_FAILED' || e.type === 'VERIFF_DECISION');
      const history = (await t.api('GET', `/v1/seekers/${w.seekerId}/screening_history`)).body;
      expect(
        history.data.map((a: any) => a.vendor),
        'screening history',
      ).toEqual(attempts.map((e) => (e.type === 'VERIFF_DECISION' ? 'veriff' : 'prove')));
    });
  }
});

describe('identity verification model coverage', () => {
  it('the paths visit every state and take every transition, but vendor outages', () => {
    const covered = new Set<string>();
    const states = new Set<string>();
    for (const { events } of PATHS) {
      const walk = replay(seekerMachine, INPUT, events);
      for (const { definition } of walk.taken) {
        covered.add(labels.get(definition)!);
        states.add(definition.source.id); // transient states (`deciding`, `choosing`) are only ever left
      }
      for (const id of walk.states) states.add(id);
    }
    const idv = [...labels].filter(
      ([definition]) => definition.source.id.startsWith('seeker.idv') || ['IDV_FAILED', 'REQUEST_REFUND'].includes(definition.eventType),
    );
    // Paths start from a new starter seeker; the creation of a legacy seeker and of one verified
    // before trustwire (`verified.imported`) are walked by seeker.model.test.ts.
    const imported = 'seeker.idv.verified.imported';
    expect(
      stateNodes(seekerMachine)
        .map((n) => n.id)
        .filter((id) => id.startsWith('seeker.idv') && id !== imported && !states.has(id)),
      'states without a path',
    ).toEqual([]);
    const otherCreations = ['seeker.idv.deciding (always)#0 → seeker.idv.verified.imported', 'seeker.idv.deciding (always)#2 → seeker.idv.not_required'];
    expect(
      idv.filter(([d, label]) => !ELSEWHERE.has(d.eventType) && !otherCreations.includes(label) && !covered.has(label)).map(([, label]) => label),
      'transitions without a path',
    ).toEqual([]);
    expect(
      idv
        .filter(([d]) => ELSEWHERE.has(d.eventType))
        .map(([, label]) => label)
        .sort(),
    ).toEqual([
      'seeker.idv.in_progress.step.prove VENDOR_TIMEOUT → seeker.idv.required',
      'seeker.idv.in_progress.step.prove VENDOR_UNAVAILABLE → seeker.idv.required',
      'seeker.idv.in_progress.step.veriff.creating_session VENDOR_TIMEOUT → seeker.idv.required',
      'seeker.idv.in_progress.step.veriff.creating_session VENDOR_UNAVAILABLE → seeker.idv.required',
    ]);
  });
});
