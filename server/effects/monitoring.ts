import type { SterlingClient } from '../vendors/sterling/adapter.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import type { Deliver } from './outbox.ts';

interface Enrolment {
  subscription_id?: string;
  candidate_id?: string;
  /** Set when the withdrawal ran first: an enrolment retried afterwards must not start monitoring. */
  withdrawn?: boolean;
}

/**
 * Monitoring enrolment with the vendor when a link becomes active, withdrawal when it ends (C7).
 * The vendor subscription is remembered per link in the `monitoring` records, and the link per
 * vendor candidate in `monitoring_candidates` (an alert names the vendor candidate, C12).
 */
export const deliverMonitoring =
  (store: Store, host: ActorHost, sterling: SterlingClient, callbackUri: string): Deliver =>
  async (entry, payload: { action: string; actor: string; provider_id: string }) => {
    const enrolment = ((await store.getRecord('monitoring', payload.actor)) ?? {}) as Enrolment;
    if (payload.action === 'withdraw_monitoring') {
      if (enrolment.subscription_id) await sterling.withdrawMonitoring(enrolment.subscription_id, entry.id);
      return { records: [{ collection: 'monitoring', id: payload.actor, value: { ...enrolment, withdrawn: true } }] };
    }
    if (enrolment.withdrawn || enrolment.subscription_id) return;
    const provider = await host.load(payload.provider_id);
    if (!provider) throw new Error(`provider ${payload.provider_id} not found`);
    const { first_name, last_name, email } = provider.snapshot.context;
    const enrolled = await sterling.enrollMonitoring({
      reference: payload.provider_id,
      givenName: first_name,
      familyName: last_name,
      email,
      callbackUri,
      idempotencyKey: entry.id,
    });
    return {
      records: [
        { collection: 'monitoring', id: payload.actor, value: { subscription_id: enrolled.subscriptionId, candidate_id: enrolled.candidateId } },
        { collection: 'monitoring_candidates', id: enrolled.candidateId, value: { link: payload.actor } },
      ],
    };
  };
