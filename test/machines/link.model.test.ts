import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { type LinkEvent, type LinkInput, linkMachine } from '../../machines/link.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';
import { type ActorChanged, LinkWorld } from './link-driver.ts';
import { canOf, createdLink, holdsSlot, type LinkModel, linkSpec, LINK_EVENTS as MODEL_EVENTS, SEEKER_DISCLOSURE, type Viewer } from './link-spec.ts';
import { covering, replay, stateNodes, transitionLabels } from './model-coverage.ts';

/**
 * Model-based test of provider links (SPEC.md C1–C16) against a running server. xstate/graph walks
 * the link machine for paths; each walk is replayed over REST by the member who would act
 * (seeker, provider, an agent for staff removals, the integrator for plan changes and closures,
 * the ID.me sandbox, the provider reminder), and after every step the views of the seeker, the
 * provider and an agent, and the seeker's and provider's dashboards (sockets), must show what the
 * C rules say (link-spec.ts, written without the machine): status, step, recorded facts, `can`.
 * A path the machine takes and the rules refuse fails too.
 *
 * Paths: for each input variant (what the seeker did before asking), the shortest paths of the
 * model, of which the fewest that take every transition with every event variant (a MEMBER_LEFT
 * cause, a STAFF_REMOVE side). Each path runs with fresh members on one shared server. The last
 * test checks, from the machine definition, that the paths visit every state and transition.
 */

type LinkSnapshot = SnapshotFrom<typeof linkMachine>;

/**
 * Events no path can deliver over the API yet: a report reaches a link only through the
 * monitoring vendor's callback (`/v1/vendors/sterling/callback`, given to Sterling at enrolment),
 * which the server does not serve yet, so there is no report to raise a concern about either.
 */
const UNREACHABLE = new Set(['RECORD_FOUND', 'REPORT_CONCERN']);

/** Whether the model may take `event` in `snapshot` in a way the server can be made to follow. */
function possible(snapshot: LinkSnapshot, event: LinkEvent): boolean {
  if (UNREACHABLE.has(event.type)) return false;
  // C4: ID.me is completed once per seeker; trustwire refuses to start it again.
  if (event.type === 'IDME_VERIFIED' && snapshot.context.idme_verified) return false;
  // A provider's closure does not reach drafts (the provider is no member of a draft); such a
  // draft can no longer be sent instead (PROVIDER_UNAVAILABLE, and the checks at the end).
  if (event.type === 'MEMBER_LEFT' && event.reason === 'provider_account_closed' && snapshot.matches('draft')) return false;
  return snapshot.can(event);
}

interface Variant {
  name: string;
  hire_confirmed: boolean;
  idme_verified: boolean;
}

/** What the seeker did before asking: the link machine's input, decided by trustwire from the seeker. */
const VARIANTS: Variant[] = [
  { name: 'first request', hire_confirmed: false, idme_verified: false },
  { name: 'hire confirmed before', hire_confirmed: true, idme_verified: false },
  { name: 'ID.me done before', hire_confirmed: false, idme_verified: true },
];

const inputOf = (v: Variant): LinkInput => ({
  seeker_id: 'skr_model',
  provider_id: 'prv_model',
  seeker_name: 'Sally S.',
  provider_name: 'Pat P.',
  hire_confirmed: v.hire_confirmed,
  idme_verified: v.idme_verified,
});

const labels = transitionLabels(linkMachine);

/** What a path covers: each transition taken, per event variant (a MEMBER_LEFT cause, a STAFF_REMOVE side). */
function coverageKeys(input: LinkInput, events: LinkEvent[]): Set<string> {
  const { taken, states } = replay(linkMachine, input, events);
  const keys = taken.map(({ definition, event }) => `${labels.get(definition)} ${describeEvent(event as LinkEvent)}`);
  return new Set([...keys, ...[...states].map((id) => `state ${id}`)]);
}

function describeEvent(event: LinkEvent | { type: 'xstate.init' }): string {
  if (event.type === 'STAFF_REMOVE') return `${event.type}(${event.side})`;
  if ('reason' in event) return `${event.type}(${event.reason})`;
  return event.type;
}

function planPaths(variant: Variant) {
  const input = inputOf(variant);
  const model = createTestModel(linkMachine, { events: MODEL_EVENTS, filterEvents: possible, input });
  const eventsOf = (path: { steps: { event: unknown }[] }) => path.steps.slice(1).map((step) => step.event as LinkEvent);
  const paths = covering(
    model.getShortestPaths(),
    (path) => coverageKeys(input, eventsOf(path)),
    (path) => path.steps.length,
  );
  return paths.map((path) => ({ variant, input, path, events: eventsOf(path) }));
}

const PLANNED = VARIANTS.flatMap(planPaths);

// ---------------------------------------------------------------------------------------------
// The expected views, from the rules (link-spec.ts; SPEC.md status table, API.md "Provider links").

function expectView(view: ActorChanged['actor'], m: LinkModel, s: LinkSnapshot, viewer: Viewer, what: string) {
  expect({ status: view.status, state: view.state, step: view.data.step, can: [...view.can].sort() }, what).toEqual({
    status: m.status,
    state: s.value,
    step: m.step,
    can: canOf(m, viewer, MODEL_EVENTS),
  });
  return view;
}

function expectData(data: Record<string, unknown>, m: LinkModel) {
  const disclosure = (version: string | null) => (version ? { version, at: expect.any(String) } : null);
  expect(data).toMatchObject({
    requested_at: m.requested ? expect.any(String) : null,
    accepted_at: m.accepted ? expect.any(String) : null,
    ended_at: m.ended ? expect.any(String) : null,
    reason: m.reason,
    seeker_disclosure: disclosure(m.seeker_disclosure),
    provider_disclosure: disclosure(m.provider_disclosure),
    reports: m.reports,
  });
}

// ---------------------------------------------------------------------------------------------

let t: TestServer;

beforeAll(async () => {
  // A short provider reminder, so that REMIND_PROVIDER happens within a test.
  t = await startTestServer({ PROVIDER_REMINDER_MS: '300' });
});
afterAll(() => t?.close());

/** Every view of the link shows what the rules say: the seeker's, the provider's (or none yet), an agent's. */
async function checkViews(w: LinkWorld, link: string, m: LinkModel, s: LinkSnapshot) {
  const mine = await w.view(link, w.seeker.token);
  expect(mine.status).toBe(200);
  expectView(mine.body, m, s, 'seeker', 'seeker GET');
  expectData(mine.body.data, m);

  // The seeker's own view: the hire is remembered (C2), the link holds a slot while sent (C6).
  const seeker = await w.view(w.seeker.id, w.seeker.token);
  expect(seeker.status).toBe(200);
  expect({
    hired: seeker.body.data.hired_providers.includes(w.provider.id),
    holdsSlot: seeker.body.data.monitoring.links.includes(link),
  }).toEqual({ hired: m.hired, holdsSlot: holdsSlot(m) });

  const theirs = await w.view(link, w.provider.token);
  if (m.requested) {
    expect(theirs.status).toBe(200);
    expectView(theirs.body, m, s, 'provider', 'provider GET');
  } else {
    expect(theirs.status, 'a draft is invisible to the provider').toBe(404);
  }

  const staff = await w.view(link, w.agentToken);
  expect(staff.status).toBe(200);
  expectView(staff.body, m, s, 'agent', 'agent GET');
}

/** Makes the server take `event`; answers the version it reached when the answer carries one. */
async function drive(w: LinkWorld, link: string, event: LinkEvent, next: LinkModel, s: LinkSnapshot): Promise<number | undefined> {
  const { at: _at, by: _by, ...sent } = event;
  switch (event.type) {
    case 'CONFIRM_HIRE':
    case 'ACCEPT_DISCLOSURES':
    case 'CANCEL_REQUEST':
    case 'STOP_MONITORING':
      return expectView(await w.asSeeker(link, sent), next, s, 'seeker', `${event.type} answer`).version;
    case 'ACCEPT':
    case 'DECLINE':
    case 'CONFIRM_DECLINE':
    case 'REMOVE_ACCESS':
    case 'CONFIRM_REMOVE_ACCESS':
    case 'KEEP':
      return expectView(await w.asProvider(link, sent), next, s, 'provider', `${event.type} answer`).version;
    case 'STAFF_REMOVE':
      return expectView(await w.asAgent(link, sent), next, s, 'agent', `${event.type} answer`).version;
    case 'IDME_VERIFIED':
      await w.completeIdme();
      return undefined;
    case 'MEMBER_LEFT':
      await memberLeaves(w, event.reason);
      return undefined;
    case 'SLOT_REFUSED':
      await limitReachedMeanwhile(w, link);
      return undefined;
    case 'PROVIDER_UNAVAILABLE':
      await providerLeftMeanwhile(w, link);
      return undefined;
    case 'REMIND_PROVIDER':
      await w.provider.inbox.notification((n) => n.actor === link && n.template === 'request_reminder', 'reminder to the provider');
      return undefined;
    default:
      throw new Error(`no way to make the server take ${event.type}: add it to drive()`);
  }
}

/** C11: the seeker leaves Complete or closes their account, or the provider closes theirs (by the integrator). */
async function memberLeaves(w: LinkWorld, reason: string) {
  if (reason === 'plan_changed') {
    const seeker = await w.asIntegrator(w.seeker.id, { type: 'CHANGE_PLAN', plan: 'starter' });
    expect(seeker.data.plan).toBe('starter');
  } else if (reason === 'seeker_account_closed') {
    expect((await w.asIntegrator(w.seeker.id, { type: 'CLOSE_ACCOUNT' })).status).toBe('closed');
  } else if (reason === 'provider_account_closed') {
    expect((await w.asIntegrator(w.provider.id, { type: 'CLOSE_ACCOUNT' })).status).toBe('closed');
  } else {
    throw new Error(`no way to make a member leave for ${reason}`);
  }
}

/**
 * C6 and API.md: while this link waits in ID.me, the seeker asks three more providers, which also
 * wait in ID.me; when ID.me completes, three requests go out and this one, asked about first and
 * untouched since, is not sent. (The cascade reaches the seeker's most recently changed links first.)
 */
async function limitReachedMeanwhile(w: LinkWorld, link: string) {
  const others: string[] = [];
  for (let i = 0; i < 3; i++) {
    const other = (await w.startLink(await w.otherProvider())).id;
    await w.asSeeker(other, { type: 'CONFIRM_HIRE' });
    expect((await w.asSeeker(other, { type: 'ACCEPT_DISCLOSURES', disclosure_version: SEEKER_DISCLOSURE })).data.step).toBe('identity');
    others.push(other);
  }
  await w.completeIdme();
  for (const other of others) {
    await w.seeker.inbox.change((m) => m.actor.id === other && m.actor.status === 'request_pending', 'request_pending for another link');
  }
  await w.seeker.inbox.notification((n) => n.actor === link && n.template === 'limit_reached', 'limit reached notice');
}

/** While this link waits in ID.me, the provider closes their account; ID.me completes, the request is not sent. */
async function providerLeftMeanwhile(w: LinkWorld, link: string) {
  expect((await w.asIntegrator(w.provider.id, { type: 'CLOSE_ACCOUNT' })).status).toBe('closed');
  await w.completeIdme();
  await w.seeker.inbox.notification((n) => n.actor === link && n.template === 'provider_unavailable', 'provider unavailable notice');
}

/** Takes one step on the server and checks both dashboards saw that very change, as the rules say. */
async function step(w: LinkWorld, link: string, event: LinkEvent, next: LinkModel, s: LinkSnapshot) {
  const version = await drive(w, link, event, next, s);
  const sameChange = (m: ActorChanged) => m.actor.id === link && (version === undefined ? m.event.type === event.type : m.actor.version === version);
  const seen = await w.seeker.inbox.change(sameChange, `${event.type} on the seeker's dashboard`);
  expect(seen.event.type).toBe(event.type);
  expectView(seen.actor, next, s, 'seeker', "seeker's socket");
  if (next.requested) {
    const theirs = await w.provider.inbox.change(
      (m) => m.actor.id === link && m.actor.version === seen.actor.version,
      `${event.type} on the provider's dashboard`,
    );
    expect(theirs.event.type).toBe(event.type);
    expectView(theirs.actor, next, s, 'provider', "provider's socket");
  }
  expect(
    w.provider.inbox.changesOf(link).filter((m) => m.actor.status === 'draft'),
    'drafts on the provider socket',
  ).toEqual([]);
}

/** The seeker confirmed hiring this provider on an earlier request, since withdrawn (C2, C16). */
async function confirmHireBefore(w: LinkWorld) {
  const earlier = await w.startLink();
  await w.asSeeker(earlier.id, { type: 'CONFIRM_HIRE' });
  expect((await w.asSeeker(earlier.id, { type: 'CANCEL_REQUEST' })).status).toBe('request_cancelled');
}

describe.concurrent('provider link, model-based', () => {
  for (const { variant, path, events } of PLANNED) {
    const name = `${variant.name}: ${events.map(describeEvent).join(' → ') || '(created)'}`;
    it(name, async () => {
      const w = await LinkWorld.create(t);
      if (variant.hire_confirmed) await confirmHireBefore(w);
      if (variant.idme_verified) await w.completeIdme();
      const link = (await w.startLink()).id;
      await w.seeker.inbox.change((m) => m.actor.id === link && m.event.type === 'CREATED', 'CREATED on the seeker socket');

      // The rules' own reading of the link, moved along the path by each event.
      let model = createdLink(variant);
      const executors = Object.fromEntries(
        MODEL_EVENTS.map((e) => [
          e.type,
          (s: { event: unknown; state: LinkSnapshot }) => {
            const event = s.event as LinkEvent;
            const outcome = linkSpec(model, event);
            expect(outcome.accepted, `the rules refuse ${event.type} in ${JSON.stringify(model)}`).toBe(true);
            if (outcome.accepted) model = outcome.next;
            return step(w, link, event, model, s.state);
          },
        ]),
      );
      await path.test({ states: { '*': (s) => checkViews(w, link, model, s) }, events: executors });
    });
  }
});

describe('provider link model coverage', () => {
  it('the paths visit every state and take every transition the API can cause', () => {
    const covered = new Set<string>();
    const states = new Set<string>();
    for (const { input, events } of PLANNED) {
      const walk = replay(linkMachine, input, events);
      for (const { definition } of walk.taken) {
        expect(labels.has(definition), 'a transition outside the machine definition').toBe(true);
        covered.add(labels.get(definition)!);
      }
      for (const id of walk.states) states.add(id);
    }
    const all = [...labels].map(([definition, label]) => ({ label, reachable: !UNREACHABLE.has(definition.eventType) }));

    expect(
      stateNodes(linkMachine)
        .map((n) => n.id)
        .filter((id) => !states.has(id)),
      'states without a path',
    ).toEqual([]);
    expect(
      all.filter((d) => d.reachable && !covered.has(d.label)).map((d) => d.label),
      'transitions without a path',
    ).toEqual([]);
    expect(all.filter((d) => !d.reachable).map((d) => d.label)).toEqual(['link REPORT_CONCERN → (no change)', 'link.sent.active RECORD_FOUND → (no change)']);
  });
});

describe.concurrent('provider link, after the fact', () => {
  // C4: ID.me is completed once per seeker, also for links drafted before it.
  it('a link drafted before the seeker completed ID.me is sent right after the disclosures', async () => {
    const w = await LinkWorld.create(t);
    const link = (await w.startLink()).id;
    await w.completeIdme();
    await w.seeker.inbox.change((m) => m.actor.id === link && m.event.type === 'IDME_VERIFIED', 'ID.me reaching the draft');
    await w.asSeeker(link, { type: 'CONFIRM_HIRE' });
    const sent = await w.asSeeker(link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: SEEKER_DISCLOSURE });
    expect(sent.status).toBe('request_pending');
  });

  // C11: a provider whose account closed receives no request, also from a draft started before.
  it('a draft to a provider who closed their account can no longer be sent', async () => {
    const w = await LinkWorld.create(t);
    await w.completeIdme();
    const link = (await w.startLink()).id;
    await w.asSeeker(link, { type: 'CONFIRM_HIRE' });
    await w.asIntegrator(w.provider.id, { type: 'CLOSE_ACCOUNT' });
    const refused = await command(t, link, { type: 'ACCEPT_DISCLOSURES', disclosure_version: SEEKER_DISCLOSURE }, w.seeker.token);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('provider_unavailable');
    expect((await w.view(link, w.seeker.token)).body.status).toBe('draft');
    expect((await w.view(link, w.provider.token)).status, 'the closed provider never sees it').toBe(404);
  });
});
