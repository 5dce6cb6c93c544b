import type { CandidateContext, ContinuousCheck } from '../../machines/candidate.ts';
import type { InvitationContext } from '../../machines/invitation.ts';
import { adjudicationOf, reportResult, reportStatus, type AdverseAction, type ReportContext, type Screening, type ScreeningType } from '../../machines/report.ts';
import { maskDob, maskTail } from '../../machines/masks.ts';
import type { Caller } from '../runtime/caller.ts';
import type { Loaded } from '../runtime/host.ts';
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

const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

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
  const idOf = (type: ScreeningType) => c.screenings.find((s) => s.type === type)?.id ?? null;
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
    turnaround_time: c.completed_at ? seconds(actor.created_at, c.completed_at) : null,
    estimated_completion_time: null,
    includes_canceled: c.screenings.some((s) => s.status === 'canceled'),
    ssn_trace_id: idOf('ssn_trace'),
    sex_offender_search_id: idOf('sex_offender_search'),
    national_criminal_search_id: idOf('national_criminal_search'),
    county_criminal_search_ids: c.screenings.filter((s) => s.type === 'county_criminal_search').map((s) => s.id),
    motor_vehicle_report_id: idOf('motor_vehicle_report'),
  };
}

export function screeningResource(screening: Screening) {
  // Why a screening is suspended is for the candidate's status page; Checkr's object has no such field.
  const { details: { suspension_reason: _reason, ...details }, id, type, ...common } = screening;
  const pointer = type === 'ssn_trace' || type === 'national_criminal_search';
  return {
    id,
    object: type,
    uri: `/v1/${SCREENING_COLLECTIONS[type]}/${id}`,
    ...common,
    // An SSN trace and the national search only point to where records may be: no result.
    result: pointer ? null : common.result,
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
export function packageResource(pkg: Package, createdAt: string) {
  return {
    id: `pkg_${pkg.slug}`,
    object: 'package',
    uri: `/v1/packages/pkg_${pkg.slug}`,
    // Candidates apply through an invitation's own link, never a shared package link.
    apply_url: null,
    created_at: createdAt,
    deleted_at: null,
    name: pkg.name,
    slug: pkg.slug,
    price: pkg.price,
    screenings: pkg.screenings.map((type) => ({ type, subtype: null })),
  };
}
