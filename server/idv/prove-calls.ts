import { isStructured } from '../../machines/address.ts';
import type { LegalInfo } from '../../machines/seeker.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { VendorHandler } from '../vendors/calls.ts';
import { isRetryable, type ProveClient, type ProvePerson } from '../vendors/prove/adapter.ts';
import { attemptRecord } from './screening-history.ts';
import { answer, type SeekerCall, waitingSeeker } from './vendor-answers.ts';

/** The seeker as Prove's individual; an address kept as one line is not sent (Prove takes only its fields). */
function person(info: LegalInfo): ProvePerson {
  const a = info.address;
  const address =
    isStructured(a) && a.state && a.postal_code
      ? { address: a.street, ...(a.unit && { extendedAddress: a.unit }), city: a.city, region: a.state, postalCode: a.postal_code }
      : undefined;
  return { firstName: info.legal_first_name, lastName: info.legal_last_name, dob: info.dob, ...(address && { address }) };
}

/**
 * Prove's steps for a seeker (I4): start the flow on the legal phone and check possession, by
 * mobile auth at once or by the SMS code the seeker then types; then Prove's own validate,
 * challenge and complete. A vendor that fails transiently is retried by the outbox until the
 * seeker's time-out; one that refuses the request means Prove cannot verify (on to Veriff, I5).
 */
export function proveCalls(prove: ProveClient): Record<string, VendorHandler<SeekerCall>> {
  const outcome = async (host: ActorHost, call: SeekerCall, method: 'mobile_auth' | 'sms', reference: string, verified: boolean, reason?: string) => {
    const at = host.now();
    const attempt = attemptRecord({ seeker: call.actor, vendor: 'prove', method, outcome: verified ? 'verified' : (reason ?? 'not_verified'), reference, at });
    const event = verified
      ? { type: 'PROVE_PASSED', attempt: call.attempt, method }
      : { type: 'PROVE_FAILED', attempt: call.attempt, method, reason: reason ?? 'not_verified' };
    await answer(host, call.actor, event, { record: attempt, made: true });
  };
  // A refusal (4xx) will not change on a retry: Prove could not verify.
  const refused = async (host: ActorHost, call: SeekerCall, error: unknown, method: 'mobile_auth' | 'sms') => {
    if (isRetryable(error)) throw error;
    await outcome(host, call, method, '', false, 'vendor_refused');
  };

  return {
    'prove:start': async (_entry, call, { host }) => {
      const seeker = await waitingSeeker(host, call, { prove: 'checking_phone' });
      if (!seeker?.context.legal_info) return;
      const info = seeker.context.legal_info;
      try {
        const started = await prove.start({ phoneNumber: info.phone, flowType: 'mobile', dob: info.dob, emailAddress: seeker.context.email });
        const check = await prove.authenticate(started.authToken);
        if (check.method === 'otp') {
          await answer(host, call.actor, {
            type: 'PROVE_CODE_SENT',
            attempt: call.attempt,
            correlation_id: started.correlationId,
            auth_token: started.authToken,
            next: started.next,
          });
          return;
        }
        const result = await prove.verify(started.correlationId, started.next, person(info));
        await outcome(host, call, 'mobile_auth', started.correlationId, result.verified, result.reason);
      } catch (error) {
        await refused(host, call, error, 'mobile_auth');
      }
    },
    'prove:check_code': async (_entry, call, { host }) => {
      const seeker = await waitingSeeker(host, call, { prove: 'checking_code' });
      const flow = seeker?.context.idv.prove;
      if (!seeker?.context.legal_info || !flow) return;
      try {
        const typed = await prove.submitOtp(flow.auth_token, call.code ?? '');
        // A wrong code means Prove could not verify (API.md "IDV details"); validate says so too.
        const result = await prove.verify(flow.correlation_id, flow.next, person(seeker.context.legal_info));
        await outcome(host, call, 'sms', flow.correlation_id, typed.success && result.verified, typed.success ? result.reason : 'code_incorrect');
      } catch (error) {
        await refused(host, call, error, 'sms');
      }
    },
  };
}
