import type { CandidateContext, ContinuousCheck } from '../../machines/candidate.ts';
import type { InvitationContext } from '../../machines/invitation.ts';
import { maskDob, maskTail } from '../../machines/masks.ts';
import {
  type AdverseAction,
  adjudicationOf,
  type ReportContext,
  reportResult,
  reportStatus,
  type Screening,
  type ScreeningType,
} from '../../machines/report.ts';
import type { Caller } from '../runtime/caller.ts';
import type { Loaded } from '../runtime/host.ts';
import { detailsOf } from '../vendors/sterling/records.ts';
import type { Package } from './packages.ts';

/** Checkr-shaped objects (CHECKR.md) built from the actors: the same fields, statuses and nulls. */

const SCREENING_COLLECTIONS: Record<ScreeningType, string> = {
  ssn_trace: 'ssn_traces',
  sex_offender_search: 'sex_offender_searches',
  national_criminal_search: 'national_criminal_searches',
  county_criminal_search: 'county_criminal_searches',
  motor_vehicle_report: 'motor_vehicle_reports',
};
export const screeningCollections = Object.entries(SCREENING_COLLECTIONS) as [ScreeningType, string][];

/** `XXX-XX-1234`: Checkr never reads an SSN back. */
export const maskSsn = (ssn: string | undefined | null) => (ssn ? `XXX-XX-${ssn.slice(-4)}` : null);

/** Whole seconds from `from` to `to`; null while `to` is not there yet. A report that starts with its results (a continuous check's) took none. */
const secondsBetween = (from: string, to: string | null) => (to === null ? null : Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)));

/** A candidate as Checkr shows it; agents see its personal data masked as they see a seeker's legal information. */
export function candidateResource({ actor, snapshot }: Loaded, role?: Caller['role']) {
  const c = snapshot.context as CandidateContext;
  const agent = role === 'agent';
  const masked = (value: string | undefined) => (agent ? maskTail(value) : (value ?? null));
  return {
    id: actor.id,
    object: 'candidate',
    uri: `/v1/candidates/${actor.id}`,
    created_at: actor.created_at,
    first_name: c.first_name ?? null,
    middle_name: c.middle_name ?? null,
    no_middle_name: c.no_middle_name ?? false,
    last_name: c.last_name ?? null,
    mother_maiden_name: masked(c.mother_maiden_name),
    email: c.email,
    phone: masked(c.phone),
    zipcode: c.zipcode ?? null,
    dob: agent ? maskDob(c.dob) : (c.dob ?? null),
    ssn: maskSsn(c.ssn),
    driver_license_number: masked(c.driver_license_number),
    driver_license_state: c.driver_license_state ?? null,
    previous_driver_license_number: masked(c.previous_driver_license_number),
    previous_driver_license_state: c.previous_driver_license_state ?? null,
    copy_requested: c.copy_requested ?? false,
    custom_id: c.custom_id ?? null,
    report_ids: c.report_ids,
    geo_ids: c.geo_ids ?? [],
    adjudication: null,
    metadata: c.metadata ?? {},
  };
}

export function invitationResource({ actor, snapshot }: Loaded) {
  const c = snapshot.context as InvitationContext;
  const state = String(snapshot.value);
  return {
    id: actor.id,
    object: 'invitation',
    uri: `/v1/invitations/${actor.id}`,
    invitation_url: c.invitation_url,
    // Checkr has no cancelled status: a deleted invitation keeps its status and gains deleted_at.
    status: state === 'deleted' ? 'pending' : state,
    created_at: actor.created_at,
    expires_at: c.expires_at,
    completed_at: c.completed_at,
    deleted_at: c.deleted_at,
    package: c.package,
    candidate_id: c.candidate_id,
    report_id: c.report_id,
    tags: c.tags,
  };
}

export function reportResource({ actor, snapshot }: Loaded) {
  const c = snapshot.context as ReportContext;
  const value = snapshot.value as { screening: string; adjudication: string };
  const status = reportStatus(value);
  const ran = (type: ScreeningType) => c.screenings.filter((s) => s.type === type).map((s) => s.id);
  const idOf = (type: ScreeningType) => ran(type)[0] ?? null;
  const county = ran('county_criminal_search');
  return {
    id: actor.id,
    object: 'report',
    uri: `/v1/reports/${actor.id}`,
    status,
    result: reportResult(c, status === 'complete'),
    adjudication: adjudicationOf(value),
    assessment: null,
    source: c.source,
    package: c.package,
    candidate_id: c.candidate_id,
    tags: c.tags,
    created_at: actor.created_at,
    completed_at: c.completed_at,
    revised_at: c.revised_at,
    upgraded_at: c.upgraded_at,
    turnaround_time: secondsBetween(actor.created_at, c.completed_at),
    estimated_completion_time: c.eta?.estimated_completion_time ?? actor.created_at,
    includes_canceled: c.screenings.some((s) => s.status === 'canceled'),
    // Uploaded documents, geos and programs are not kept by trustwire: none on any report.
    document_ids: [],
    geo_ids: [],
    program_id: null,
    ssn_trace_id: idOf('ssn_trace'),
    sex_offender_search_id: idOf('sex_offender_search'),
    global_watchlist_search_id: null,
    national_criminal_search_id: idOf('national_criminal_search'),
    county_criminal_search_ids: county.length ? county : null,
    state_criminal_search_ids: null,
    federal_criminal_search_ids: null,
    motor_vehicle_report_id: idOf('motor_vehicle_report'),
  };
}

/** Checkr's report ETA (`GET /v1/reports/{id}/eta`). */
export function etaResource(loaded: Loaded) {
  const report = reportResource(loaded);
  const eta = (loaded.snapshot.context as ReportContext).eta;
  return { estimate_generated_at: eta?.estimate_generated_at ?? report.created_at, estimated_completion_time: report.estimated_completion_time };
}

/** Words for the cancellation reasons trustwire gives; a vendor's own code reads as its words. */
const CANCELLATION_REASONS: Record<string, string> = {
  complete_now_customer_requested: 'Canceled because the report was completed on request before this screening finished',
  candidate_information_not_provided: 'Canceled because the candidate did not provide the information the screening needed in time',
  canceled_by_vendor: 'Canceled by the screening vendor',
};
const describeReason = (reason: string | null) =>
  reason === null ? null : (CANCELLATION_REASONS[reason] ?? reason.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase()));

export function screeningResource(screening: Screening) {
  // Why a screening is suspended is for the candidate's status page; Checkr's object has no such field.
  // A vendor's own cancellation comes with its reason among the details.
  const {
    details: { suspension_reason: _reason, cancellation_reason: vendorReason, ...details },
    id,
    type,
    ...common
  } = screening;
  const reason = common.cancellation_reason ?? (typeof vendorReason === 'string' ? vendorReason : null);
  const pointer = type === 'ssn_trace' || type === 'national_criminal_search';
  return {
    id,
    object: type,
    uri: `/v1/${SCREENING_COLLECTIONS[type]}/${id}`,
    status: common.status,
    // An SSN trace and the national search only point to where records may be: no result.
    result: pointer ? null : common.result,
    created_at: common.created_at,
    completed_at: common.completed_at,
    turnaround_time: secondsBetween(common.created_at, common.completed_at),
    cancellation_reason: reason,
    cancellation_reason_description: describeReason(reason),
    // Every field of the type, `null` or `[]` until the vendor filled it in.
    ...detailsOf(type, {}),
    ...details,
  };
}

export function adverseActionResource(reportId: string, action: AdverseAction) {
  return {
    id: action.id,
    object: 'adverse_action',
    uri: `/v1/adverse_actions/${action.id}`,
    status: action.status,
    report_id: reportId,
    created_at: action.created_at,
    post_notice_scheduled_at: action.post_notice_scheduled_at,
    post_notice_ready_at: action.post_notice_ready_at,
    canceled_at: action.canceled_at,
    // trustwire does not run Checkr's individualized assessment.
    individualized_assessment_engaged: false,
    adverse_items: action.adverse_items,
    // Notices go by email from the outbox; its delivery is not tracked per notice.
    delivery: { state: 'queued', reason: null, updated_at: action.created_at },
  };
}

export function continuousCheckResource(candidateId: string, check: ContinuousCheck) {
  return {
    id: check.id,
    object: 'continuous_check',
    uri: `/v1/continuous_checks/${check.id}`,
    type: check.type,
    created_at: check.created_at,
    candidate_id: candidateId,
    node: check.node,
    work_locations: check.work_locations,
  };
}

/** Packages come from configuration; they exist since the server started with them. */
export function packageResource(pkg: Package, createdAt: string, deletedAt: string | null = null) {
  return {
    id: `pkg_${pkg.slug}`,
    object: 'package',
    uri: `/v1/packages/pkg_${pkg.slug}`,
    // Candidates apply through an invitation's own link, never a shared package link.
    apply_url: null,
    created_at: createdAt,
    deleted_at: deletedAt,
    name: pkg.name,
    slug: pkg.slug,
    price: pkg.price,
    screenings: pkg.screenings.map((type) => ({ type, subtype: null })),
  };
}
