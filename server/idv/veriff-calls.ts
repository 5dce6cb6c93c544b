import { addressLine } from '../../machines/address.ts';
import type { VendorHandler } from '../vendors/calls.ts';
import { isRetryable, type VeriffClient } from '../vendors/veriff/adapter.ts';
import { answer, type SeekerCall, waitingSeeker } from './vendor-answers.ts';

/**
 * Veriff's session for a seeker whom Prove could not verify (I5). The seeker then takes the
 * photos on the session's hosted page; the decision comes back by webhook (veriff-webhooks.ts).
 * `vendorData` carries the seeker id, which Veriff echoes in every webhook.
 */
export function veriffCalls(veriff: VeriffClient, returnUrl: string): Record<string, VendorHandler<SeekerCall>> {
  return {
    'veriff:create_session': async (_entry, call, { host }) => {
      const seeker = await waitingSeeker(host, call, { veriff: 'creating_session' });
      const info = seeker?.context.legal_info;
      if (!info) return;
      try {
        const session = await veriff.createSession({
          person: { firstName: info.legal_first_name, lastName: info.legal_last_name, dateOfBirth: info.dob, fullAddress: addressLine(info.address) },
          vendorData: call.actor,
          callback: returnUrl,
        });
        await answer(host, call.actor, { type: 'VERIFF_SESSION_CREATED', attempt: call.attempt, session_id: session.id, session_url: session.url });
      } catch (error) {
        if (isRetryable(error)) throw error;
        await answer(host, call.actor, { type: 'VENDOR_UNAVAILABLE', attempt: call.attempt });
      }
    },
  };
}
