import { type Consent, type Eta, type ReportInput, report as reportKind, type ScreeningType, type ScreeningUpdate } from '../../machines/report.ts';
import { type By, SYSTEM } from '../runtime/caller.ts';
import { type ActorHost, type Loaded, newActorId } from '../runtime/host.ts';
import { innerId } from './access.ts';

/** Screening ids name their report: `ssn_<hex>` lives in `rpt_<hex>`, so no index is needed. */
const PREFIX: Record<ScreeningType, string> = {
  ssn_trace: 'ssn',
  sex_offender_search: 'sxo',
  national_criminal_search: 'ncs',
  county_criminal_search: 'ccs',
  motor_vehicle_report: 'mvr',
};

export function pendingScreenings(reportId: string, types: ScreeningType[]) {
  return types.map((type) => ({
    id: innerId(PREFIX[type], reportId),
    type,
    status: 'pending' as const,
    result: null,
    completed_at: null,
    cancellation_reason: null,
    details: {},
  }));
}

export interface ReportOrder {
  id?: string;
  candidate_id: string;
  package: string;
  screenings: ScreeningType[];
  source: ReportInput['source'];
  tags?: string[];
  consent?: Consent | null;
  members?: string[];
  /** Results already known (a continuous check's hit): the report starts with them. */
  results?: ScreeningUpdate[];
  /** When the screenings should be done; a report that starts with its results is done as it starts. */
  eta?: Eta;
}

/**
 * Creates a report and adds it to its candidate. Safe to repeat with the same id (outbox
 * deliveries are at least once): an existing report is kept, and the candidate ignores a report
 * it already lists.
 */
export async function createReport(host: ActorHost, order: ReportOrder, by: By = SYSTEM): Promise<Loaded> {
  const id = order.id ?? newActorId(reportKind);
  const screenings = pendingScreenings(id, order.screenings).map((s) => ({ ...s, ...order.results?.find((r) => r.type === s.type) }));
  const at = host.now();
  const input: ReportInput & { created_at: string } = {
    candidate_id: order.candidate_id,
    package: order.package,
    source: order.source,
    tags: order.tags ?? [],
    screenings,
    consent: order.consent ?? null,
    members: order.members ?? [],
    eta: order.eta ?? { estimate_generated_at: at, estimated_completion_time: at },
    created_at: at,
  };
  const created = (await host.load(id)) ?? (await host.create('report', input, by, id));
  await host.send(order.candidate_id, { type: 'REPORT_ADDED', report_id: id }, SYSTEM);
  return created;
}
