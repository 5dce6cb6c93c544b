import type { AnyMachineSnapshot } from 'xstate';
import type { Effect, RetentionRule } from '../../machines/effects.ts';
import { type ProviderContext, type ProviderEvent, provider, providerMachine } from '../../machines/provider.ts';
import { accept, type Harness, modelTests, type Outcome, refuse } from './harness.ts';

/**
 * Model-based test of the provider machine in isolation, with the harness of harness.ts: a
 * small specification of the provider's rules (closing the account, C11; requests received from
 * links; retention once closed, T4) is explored exhaustively, and from every state it reaches,
 * every event is applied to the real machine with XState's pure `transition()`. The machine must
 * accept exactly what the specification accepts, refuse the rest with the same business code,
 * emit the same effects, and show the same view.
 */

const AT = '2025-01-01T00:00:00.000Z';
const REQUESTED_AT = '2025-01-02T00:00:00.000Z';
const CLOSED_AT = '2025-01-03T00:00:00.000Z';

/** The specification's state: whether the account is closed, and when a request was last received. */
interface Model {
  closed: boolean;
  last_request_at: string | null;
  closed_at: string | null;
}

type RefusalCode = 'provider_unavailable';

/** T4: the durable reminder that ends a closed account's retention period, by its rule's name. */
const retention = (rule: RetentionRule): Effect => ({
  type: 'remind',
  key: 'retention',
  delay: `retention_${rule}`,
  event: { type: 'RETENTION_DUE', rule },
});

const R = {
  close: 'C11: closing the account ends every link that monitors the provider; T4: its data is kept for the closed-members period',
  closeOnce: 'an account closes once',
  request: 'C5: a request sent to the provider is received, and when is remembered',
  requestWhileClosed: 'C11: a closed account receives no requests (provider_unavailable)',
  erase: 'T4: a closed account keeps its data for the closed-members period, then erases it',
  eraseOnlyClosed: 'T4: an open account keeps its data',
} as const;

function spec(m: Model, e: ProviderEvent): Outcome<Model, RefusalCode> {
  switch (e.type) {
    case 'CLOSE_ACCOUNT':
      if (m.closed) return refuse(R.closeOnce);
      return accept(R.close, { ...m, closed: true, closed_at: e.at }, [
        { type: 'cascade', links_of: 'provider', event: { type: 'MEMBER_LEFT', reason: 'provider_account_closed' } },
        retention('closed_members'),
      ]);
    case 'REQUEST_RECEIVED':
      if (m.closed) return refuse(R.requestWhileClosed, 'provider_unavailable');
      return accept(R.request, { ...m, last_request_at: e.at });
    case 'RETENTION_DUE':
      if (!m.closed) return refuse(R.eraseOnlyClosed);
      // A provider's only retention rule is the closed members' one.
      return accept(R.erase, m, [{ type: 'erase', rule: 'closed_members' }]);
  }
}

/** Every event the provider can be sent, with each payload that matters. */
const EVENTS: ProviderEvent[] = [
  { type: 'CLOSE_ACCOUNT', at: CLOSED_AT },
  { type: 'REQUEST_RECEIVED', link: 'lnk_1', at: REQUESTED_AT },
  { type: 'RETENTION_DUE', rule: 'closed_members', at: AT },
];

const describeEvent = ({ at: _at, by: _by, ...e }: ProviderEvent) => JSON.stringify(e);

const INPUT = { email: 'pat@example.com', first_name: 'Pat', last_name: 'Provider', phone: '+15555550111' };

/** What the provider's dashboard (and an agent's) would show of the machine's snapshot. */
function viewOf(snapshot: AnyMachineSnapshot) {
  const c = snapshot.context as ProviderContext;
  return {
    status: provider.status(snapshot),
    own: provider.view(snapshot, 'provider'),
    agent: provider.view(snapshot, 'agent'),
    last_request_at: c.last_request_at ?? null,
    closed_at: c.closed_at ?? null,
  };
}

function expectedView(m: Model) {
  const status = m.closed ? 'closed' : 'active';
  // In the order the view lists its fields (the harness compares each field's JSON).
  const view = (phone: string | null) => ({ email: INPUT.email, first_name: INPUT.first_name, last_name: INPUT.last_name, phone, account_status: status });
  return {
    status,
    own: view(INPUT.phone),
    agent: view(null),
    last_request_at: m.last_request_at,
    closed_at: m.closed_at,
  };
}

const providerHarness: Harness<Model, ProviderEvent> = {
  name: 'provider',
  machine: providerMachine,
  // A new provider emits nothing.
  starts: [{ label: 'a new provider', input: INPUT, model: { closed: false, last_request_at: null, closed_at: null }, effects: [] }],
  events: () => EVENTS,
  spec,
  key: (m) => JSON.stringify(m),
  actual: viewOf,
  expected: expectedView,
  describe: describeEvent,
  refusal: (s, e) => provider.refusal!(s, e),
};

// Open or closed × a request received or not.
modelTests(providerHarness, { rules: Object.values(R), states: 4 });
