import type { VendorHandler } from '../vendors/calls.ts';
import type { SterlingClient } from '../vendors/sterling/adapter.ts';

interface Enrolment {
  subscription_id?: string;
  candidate_id?: string;
  /**
   * Set once withdrawn: an enrolment retried afterwards (a dead letter retried by staff after the
   * withdrawal went through) must not start monitoring again.
   */
  withdrawn?: boolean;
}

/** Who an alert reaches: the link or candidate that enrolled, and which of its enrolments. */
export interface Monitored {
  actor: string;
  monitoring: string;
}

/**
 * Monitoring enrolment with the vendor when a link becomes active or a candidate's continuous
 * check is created, withdrawal when it ends (C7, B8). The person watched is the link's provider
 * or the candidate. The vendor subscription is remembered per enrolment in the `monitoring`
 * records, and the enrolment per vendor candidate in `monitoring_candidates` (an alert names the
 * vendor candidate, C12).
 */
export const deliverMonitoring =
  (sterling: SterlingClient, callbackUri: string): VendorHandler<{ action: string; actor: string; provider_id?: string | null; monitoring?: string }> =>
  async (entry, payload, { store, host }) => {
    const key = payload.monitoring ?? payload.actor;
    const enrolment = ((await store.getRecord('monitoring', key)) ?? {}) as Enrolment;
    if (payload.action === 'withdraw_monitoring') {
      if (enrolment.subscription_id) await sterling.withdrawMonitoring(enrolment.subscription_id, entry.id);
      return { records: [{ collection: 'monitoring', id: key, value: { ...enrolment, withdrawn: true } }] };
    }
    if (enrolment.withdrawn || enrolment.subscription_id) return;
    const personId = payload.provider_id ?? payload.actor;
    const person = await host.load(personId);
    if (!person) throw new Error(`monitored person ${personId} not found`);
    const { first_name, last_name, email } = person.snapshot.context;
    const enrolled = await sterling.enrollMonitoring({
      reference: personId,
      givenName: first_name,
      familyName: last_name,
      email,
      callbackUri,
      idempotencyKey: entry.id,
    });
    return {
      records: [
        { collection: 'monitoring', id: key, value: { subscription_id: enrolled.subscriptionId, candidate_id: enrolled.candidateId } },
        { collection: 'monitoring_candidates', id: enrolled.candidateId, value: { actor: payload.actor, monitoring: key } satisfies Monitored },
      ],
    };
  };
