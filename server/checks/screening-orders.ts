import type { CandidateContext } from '../../machines/candidate.ts';
import type { ReportContext, ScreeningType } from '../../machines/report.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { VendorHandler } from '../vendors/calls.ts';
import type { ScreeningCandidate, SterlingClient } from '../vendors/sterling/adapter.ts';

/** A report's vendor screening: its callbacks are looked up by screening, a resubmission by report. */
interface VendorScreening {
  report: string;
  screening: string;
  candidate: string;
}

const vendorCandidate = (c: CandidateContext): ScreeningCandidate => ({
  givenName: c.first_name,
  familyName: c.last_name,
  middleName: c.middle_name,
  email: c.email,
  dob: c.dob,
  ssn: c.ssn,
  // A Checkr candidate's address is its ZIP code (CHECKR.md "Candidates").
  address: c.zipcode ? { postal_code: c.zipcode, country: 'US' } : undefined,
  driverLicenseNumber: c.driver_license_number,
  driverLicenseState: c.driver_license_state,
});

async function candidateOf(host: ActorHost, reportId: string): Promise<CandidateContext> {
  const report = await host.load(reportId);
  if (!report) throw new Error(`report ${reportId} not found`);
  const candidate = await host.load((report.snapshot.context as ReportContext).candidate_id);
  if (!candidate) throw new Error(`candidate of report ${reportId} not found`);
  return candidate.snapshot.context as CandidateContext;
}

/**
 * Orders a report's screenings from the screening vendor (B4), and passes on what the candidate
 * supplied for a suspended screening (B5). The outbox entry id is the vendor's idempotency key.
 */
export function screeningOrders(sterling: SterlingClient, callbackUri: string): Record<string, VendorHandler<{ actor: string; screenings: ScreeningType[] }>> {
  return {
    'sterling:order_screenings': async (entry, payload, { host }) => {
      const candidate = await candidateOf(host, payload.actor);
      const ordered = await sterling.orderScreening({
        reference: payload.actor,
        candidate: vendorCandidate(candidate),
        screenings: payload.screenings,
        callbackUri,
        idempotencyKey: entry.id,
      });
      const value: VendorScreening = { report: payload.actor, screening: ordered.screeningId, candidate: ordered.candidateId };
      return {
        records: [
          { collection: 'vendor_screenings', id: ordered.screeningId, value },
          { collection: 'report_screenings', id: payload.actor, value },
        ],
      };
    },
    'sterling:update_candidate': async (entry, payload, { host, store }) => {
      const ordered = (await store.getRecord('report_screenings', payload.actor)) as VendorScreening | undefined;
      if (!ordered) throw new Error(`report ${payload.actor} has no vendor screening yet`);
      const candidate = await candidateOf(host, payload.actor);
      await sterling.updateCandidate(ordered.candidate, { ...vendorCandidate(candidate), motherMaidenName: candidate.mother_maiden_name }, entry.id);
    },
  };
}
