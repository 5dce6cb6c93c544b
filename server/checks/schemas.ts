import { z } from 'zod';

/**
 * The Checkr-compatible objects of CHECKR.md (and API.md "Background checks",
 * "Webhooks"), as strict zod schemas: a response that lacks a field, carries one CHECKR.md does not
 * name, or uses another type or enum value fails. Strict about presence too: every field of an
 * object's type is there in every state (pending, complete, canceled, suspended), `null` or `[]`
 * when it has no value yet. Where CHECKR.md leaves a point open, the reading a Checkr client
 * would expect is chosen and noted next to the field ("Reading: …"); fields Checkr's own client
 * libraries read beside CHECKR.md's are named as such. The tests check responses against them,
 * and the OpenAPI document (server/openapi) is generated from them.
 */

// ── Shared pieces ─────────────────────────────────────────────────────────────────────────────

/** ISO-8601 UTC instant, `Z` only (no offsets), any fraction of a second. */
export const timestampSchema = z.iso.datetime();
/** Calendar date `YYYY-MM-DD` (a real date). */
export const dateSchema = z.iso.date();
/**
 * Ids: Checkr's are 24 hex in examples, trustwire's are actor ids (`cand_…`, `rpt_…`); either
 * way a single URI path segment.
 */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'an id: letters, digits, `_` or `-`');
/** The only form an SSN is ever read back in. */
export const maskedSsnSchema = z.string().regex(/^XXX-XX-\d{4}$/, 'an SSN read back masked as XXX-XX-1234');
/** An absolute http(s) URL, as list hrefs are (CHECKR.md "Conventions"). */
export const absoluteUrlSchema = z.url({ protocol: /^https?$/ });
/** A URL the server returns: absolute http(s), or relative to the server (API.md "Conventions"). */
export const serverUrlSchema = z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^\/(?!\/)\S*$/, 'a URL relative to the server')]);
/** `uri` = `/v1/<collection>/<id>`; that the id is the object's own is checked by {@link resource}. */
export const uriSchema = (collection: string) => z.string().regex(new RegExp(`^/v1/${collection}/[A-Za-z0-9_-]+$`), `a URI /v1/${collection}/<id>`);

/** Absent values are `null`, never `""`: text fields are non-empty. */
const text = z.string().min(1);
const nullableText = text.nullable();
const nullableTimestamp = timestampSchema.nullable();
const nullableDate = dateSchema.nullable();
const nullableInt = z.int().nonnegative().nullable();
const nullableBoolean = z.boolean().nullable();
const tags = z.array(text);
/** Shapes CHECKR.md does not spell out (MVR accidents, …): a string or a JSON object per item. */
const unspecifiedItem = z.union([text, z.record(z.string(), z.json())]);

const issue = (ctx: z.RefinementCtx, path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

/**
 * An object with `id`, `object` and `uri` (CHECKR.md "Conventions"), strict, whose `uri` names
 * its own id.
 */
function resource<const O extends string, S extends z.ZodRawShape>(object: O, collection: string, shape: S) {
  return z
    .strictObject({ id: idSchema, object: z.literal(object), uri: uriSchema(collection), ...shape })
    .refine(uriNamesId(collection), { message: `uri must be /v1/${collection}/<its own id>`, path: ['uri'] });
}

const uriNamesId = (collection: string) => (value: unknown) => {
  const { id, uri } = value as { id: string; uri?: string };
  return uri === undefined || uri === `/v1/${collection}/${id}`;
};

// ── Enums ─────────────────────────────────────────────────────────────────────────────────────

export const reportStatusSchema = z.enum(['pending', 'complete', 'suspended', 'dispute', 'canceled', 'paused']);
export const resultSchema = z.enum(['clear', 'consider']);
export const adjudicationSchema = z.enum(['engaged', 'pre_adverse_action', 'post_adverse_action']);
export const assessmentSchema = z.enum(['eligible', 'review', 'escalated']);
export const reportSourceSchema = z.enum(['api', 'continuous_check', 'form', 'manual_order', 'recurrence', 'web']);
export const invitationStatusSchema = z.enum(['pending', 'completed', 'expired']);
export const screeningStatusSchema = z.enum(['pending', 'complete', 'canceled', 'suspended']);
export const adverseActionStatusSchema = z.enum(['pending', 'complete', 'dispute', 'canceled']);
export const deliveryStateSchema = z.enum(['none', 'queued', 'sent', 'delivered', 'error', 'unknown', 'unopened']);
export const continuousCheckTypeSchema = z.enum(['criminal', 'mvr']);

/** The singular screening names; each has its collection (CHECKR.md "Screenings"). */
export const screeningCollections = {
  ssn_trace: 'ssn_traces',
  sex_offender_search: 'sex_offender_searches',
  global_watchlist_search: 'global_watchlist_searches',
  national_criminal_search: 'national_criminal_searches',
  county_criminal_search: 'county_criminal_searches',
  state_criminal_search: 'state_criminal_searches',
  federal_criminal_search: 'federal_criminal_searches',
  motor_vehicle_report: 'motor_vehicle_reports',
} as const;
export type ScreeningType = keyof typeof screeningCollections;
export const screeningTypeSchema = z.enum(Object.keys(screeningCollections) as [ScreeningType, ...ScreeningType[]]);
/** Screenings that only point to where records may be: their `result` is always `null`. */
export const pointerScreenings: readonly ScreeningType[] = ['ssn_trace', 'national_criminal_search'];

// ── Candidate ─────────────────────────────────────────────────────────────────────────────────

const candidateShape = {
  created_at: timestampSchema,
  first_name: nullableText,
  middle_name: nullableText,
  // Reading: a flag, always a boolean (false unless set), as in Checkr's responses.
  no_middle_name: z.boolean(),
  last_name: nullableText,
  mother_maiden_name: nullableText,
  // Create needs only `email`, so it is always there; RFC 5322 is left to the server, ≤ 255 chars.
  email: z
    .string()
    .max(255)
    .regex(/^[^\s@]+@[^\s@]+$/, 'an email address'),
  phone: nullableText,
  zipcode: nullableText,
  // Agents read a candidate's date of birth masked, as a seeker's (`1990-••-••`).
  dob: z.union([dateSchema, z.string().regex(/^\d{4}-••-••$/, 'a date of birth masked as 1990-••-••')]).nullable(),
  ssn: maskedSsnSchema.nullable(),
  driver_license_number: nullableText,
  driver_license_state: nullableText,
  previous_driver_license_number: nullableText,
  previous_driver_license_state: nullableText,
  // Reading: a flag, always a boolean.
  copy_requested: z.boolean(),
  custom_id: nullableText,
  report_ids: z.array(idSchema),
  geo_ids: z.array(idSchema),
  // Reading: Checkr's candidate adjudication takes the report's values.
  adjudication: adjudicationSchema.nullable(),
  // Reading: always an object (`{}` when unset), any JSON values, at most 50 keys.
  metadata: z.record(z.string().min(1), z.json()).refine((m) => Object.keys(m).length <= 50, 'metadata has at most 50 keys'),
};
export const candidateSchema = resource('candidate', 'candidates', candidateShape);

// ── Invitation ────────────────────────────────────────────────────────────────────────────────

export const invitationSchema = resource('invitation', 'invitations', {
  invitation_url: serverUrlSchema,
  status: invitationStatusSchema,
  created_at: timestampSchema,
  expires_at: timestampSchema,
  completed_at: nullableTimestamp,
  // A deleted (canceled) invitation keeps its status and gains `deleted_at`.
  deleted_at: nullableTimestamp,
  package: text,
  candidate_id: idSchema,
  report_id: idSchema.nullable(),
  tags,
}).superRefine((inv, ctx) => {
  const completed = inv.status === 'completed';
  // `report_id` is null until completed; completion creates the report.
  if (completed !== (inv.report_id !== null)) issue(ctx, ['report_id'], 'report_id is set exactly when the invitation is completed');
  if (completed !== (inv.completed_at !== null)) issue(ctx, ['completed_at'], 'completed_at is set exactly when the invitation is completed');
});

// ── Report ────────────────────────────────────────────────────────────────────────────────────

/** One id per screening, `null` when the package does not include it. */
const screeningId = idSchema.nullable();
/** The list-valued ids: `null` when the package does not include the screening, else never empty. */
const screeningIds = z.array(idSchema).min(1).nullable();

export const reportSchema = resource('report', 'reports', {
  status: reportStatusSchema,
  result: resultSchema.nullable(),
  adjudication: adjudicationSchema.nullable(),
  assessment: assessmentSchema.nullable(),
  source: reportSourceSchema,
  // The package slug; `continuous_check` is the output-only slug of continuous-check reports.
  package: text,
  candidate_id: idSchema,
  // Reading: not in CHECKR.md's field list, but accepted on create and part of Checkr's report.
  tags,
  created_at: timestampSchema,
  completed_at: nullableTimestamp,
  revised_at: nullableTimestamp,
  upgraded_at: nullableTimestamp,
  /** Seconds from creation to completion; `null` until complete. */
  turnaround_time: nullableInt,
  // An estimate from the start (the issue: from the sandbox's screening delays), never null.
  estimated_completion_time: timestampSchema,
  includes_canceled: z.boolean(),
  // Checkr's client libraries read these too: uploaded documents, geos, the program.
  document_ids: z.array(idSchema),
  geo_ids: z.array(idSchema),
  program_id: nullableText,
  ssn_trace_id: screeningId,
  sex_offender_search_id: screeningId,
  global_watchlist_search_id: screeningId,
  national_criminal_search_id: screeningId,
  county_criminal_search_ids: screeningIds,
  state_criminal_search_ids: screeningIds,
  federal_criminal_search_ids: screeningIds,
  motor_vehicle_report_id: screeningId,
}).superRefine((r, ctx) => {
  if (r.status === 'complete' && r.result === null) issue(ctx, ['result'], 'a complete report has a result');
  // `result` is null until complete; once set, the report has completed at some point.
  if (r.result !== null && r.completed_at === null) issue(ctx, ['completed_at'], 'a report with a result has completed_at');
  if ((r.completed_at === null) !== (r.turnaround_time === null)) {
    issue(ctx, ['turnaround_time'], 'turnaround_time is set exactly when completed_at is');
  }
  if ((r.source === 'continuous_check') !== (r.package === 'continuous_check')) {
    issue(ctx, ['package'], 'continuous-check reports have source and package "continuous_check"');
  }
});

// ── Screenings ────────────────────────────────────────────────────────────────────────────────

export const addressSchema = z.strictObject({
  street: nullableText,
  unit: nullableText,
  city: nullableText,
  state: nullableText,
  zipcode: nullableText,
  country: nullableText,
});

export const chargeSchema = z.strictObject({
  id: idSchema,
  /** The charge as filed (its text). */
  charge: text,
  charge_type: nullableText,
  /** e.g. `Felony`, `Misdemeanor`: free text in CHECKR.md. */
  classification: nullableText,
  category: nullableText,
  /** e.g. `Guilty`. */
  disposition: nullableText,
  offense_date: nullableDate,
  arrest_date: nullableDate,
  disposition_date: nullableDate,
  conviction_date: nullableDate,
  sentence: nullableText,
  probation_status: nullableText,
  // Reading: Checkr's Assess values, as on the report.
  assessment: assessmentSchema.nullable(),
});

export const criminalRecordSchema = z.strictObject({
  id: idSchema,
  case_number: nullableText,
  file_date: nullableDate,
  arresting_agency: nullableText,
  court_jurisdiction: nullableText,
  court_of_record: nullableText,
  full_name: nullableText,
  dob: nullableDate,
  // Reading: year of birth as a number.
  yob: z.int().min(1800).max(2200).nullable(),
  county: nullableText,
  state: nullableText,
  address: addressSchema.nullable(),
  charges: z.array(chargeSchema),
});

export const sexOffenderRecordSchema = z.strictObject({
  // Reading: not in CHECKR.md's list; every other record carries one, so this one does too.
  id: idSchema,
  registry: text,
  full_name: nullableText,
  age: nullableInt,
  dob: nullableDate,
  registration_start: nullableDate,
  registration_end: nullableDate,
  state: nullableText,
});

export const mvrViolationSchema = z.strictObject({
  type: text,
  issued_date: nullableDate,
  description: nullableText,
  points: nullableInt,
});

/** Common fields of every screening (`turnaround_time`, `cancellation_reason_description`: as Checkr's clients read them). */
const screeningCommon = {
  status: screeningStatusSchema,
  result: resultSchema.nullable(),
  created_at: timestampSchema,
  completed_at: nullableTimestamp,
  /** Seconds from creation to completion; `null` until then. */
  turnaround_time: nullableInt,
  cancellation_reason: nullableText,
  cancellation_reason_description: nullableText,
};

type ScreeningCommon = {
  status: z.infer<typeof screeningStatusSchema>;
  result: string | null;
  completed_at: string | null;
  turnaround_time: number | null;
  cancellation_reason: string | null;
  cancellation_reason_description: string | null;
};

function screening<const T extends ScreeningType, S extends z.ZodRawShape>(type: T, shape: S) {
  return resource(type, screeningCollections[type], { ...screeningCommon, ...shape }).superRefine((value: unknown, ctx) => {
    const s = value as ScreeningCommon;
    if (pointerScreenings.includes(type)) {
      if (s.result !== null) issue(ctx, ['result'], `a ${type} only points to where records may be: result is always null`);
    } else if ((s.status === 'complete') !== (s.result !== null)) {
      issue(ctx, ['result'], 'a screening has a result exactly when it is complete');
    }
    // Reading: a canceled screening says why (`complete_now_customer_requested`, …), others do not.
    if ((s.status === 'canceled') !== (s.cancellation_reason !== null)) {
      issue(ctx, ['cancellation_reason'], 'cancellation_reason is set exactly when the screening is canceled');
    }
    if ((s.cancellation_reason === null) !== (s.cancellation_reason_description === null)) {
      issue(ctx, ['cancellation_reason_description'], 'a cancellation reason comes with its description');
    }
    if ((s.completed_at === null) !== (s.turnaround_time === null)) issue(ctx, ['turnaround_time'], 'turnaround_time is set exactly when completed_at is');
  });
}

/** An address the SSN trace found (Checkr's client libraries read `addresses`). */
export const tracedAddressSchema = z.strictObject({
  street: nullableText,
  unit: nullableText,
  city: nullableText,
  state: nullableText,
  zipcode: nullableText,
  county: nullableText,
  from_date: nullableDate,
  to_date: nullableDate,
});

export const ssnTraceSchema = screening('ssn_trace', {
  // Redacted like the candidate's; `null` while the trace has not started on it.
  ssn: maskedSsnSchema.nullable(),
  addresses: z.array(tracedAddressSchema),
  // Reading: `null` until the trace has found out.
  no_data: nullableBoolean,
  dob_mismatch: nullableBoolean,
  name_mismatch: nullableBoolean,
  data_mismatch: nullableBoolean,
  thin_file: nullableBoolean,
  invalid_issuance_year: nullableBoolean,
  death_index: nullableBoolean,
  ssn_already_taken: nullableBoolean,
  issued_year: z.int().min(1900).max(2200).nullable(),
  issued_state: nullableText,
});

export const sexOffenderSearchSchema = screening('sex_offender_search', {
  records: z.array(sexOffenderRecordSchema),
});

/** Reading: CHECKR.md names no record shape for watchlist hits; any JSON objects. */
export const globalWatchlistSearchSchema = screening('global_watchlist_search', {
  records: z.array(z.record(z.string(), z.json())),
});

export const nationalCriminalSearchSchema = screening('national_criminal_search', {
  records: z.array(criminalRecordSchema),
});

export const countyCriminalSearchSchema = screening('county_criminal_search', {
  // Not in CHECKR.md; Checkr's county search names the county searched, and its assessment.
  county: nullableText,
  state: nullableText,
  assessment: assessmentSchema.nullable(),
  records: z.array(criminalRecordSchema),
});

export const stateCriminalSearchSchema = screening('state_criminal_search', {
  records: z.array(criminalRecordSchema),
  // Reading: as for the county search, the state searched.
  state: nullableText,
});

export const federalCriminalSearchSchema = screening('federal_criminal_search', {
  records: z.array(criminalRecordSchema),
});

export const motorVehicleReportSchema = screening('motor_vehicle_report', {
  // Checkr's client libraries also read the name, licence type, issue dates and previous licence.
  full_name: nullableText,
  license_number: nullableText,
  license_state: nullableText,
  previous_license_number: nullableText,
  previous_license_state: nullableText,
  license_status: nullableText,
  license_type: nullableText,
  license_class: nullableText,
  expiration_date: nullableDate,
  issued_date: nullableDate,
  first_issued_date: nullableDate,
  inferred_issued_date: nullableDate,
  privilege_to_drive: z.enum(['valid', 'invalid']).nullable(),
  not_found: nullableBoolean,
  // Reading: CHECKR.md gives no item shape for these three.
  restrictions: z.array(unspecifiedItem),
  violations: z.array(mvrViolationSchema),
  accidents: z.array(unspecifiedItem),
  suspensions: z.array(unspecifiedItem),
});

export const screeningSchemas = {
  ssn_trace: ssnTraceSchema,
  sex_offender_search: sexOffenderSearchSchema,
  global_watchlist_search: globalWatchlistSearchSchema,
  national_criminal_search: nationalCriminalSearchSchema,
  county_criminal_search: countyCriminalSearchSchema,
  state_criminal_search: stateCriminalSearchSchema,
  federal_criminal_search: federalCriminalSearchSchema,
  motor_vehicle_report: motorVehicleReportSchema,
} satisfies Record<ScreeningType, z.ZodType>;

// ── Package ───────────────────────────────────────────────────────────────────────────────────

export const packageSchema = resource('package', 'packages', {
  // Reading: `null` where the package has no shared apply link (trustwire's candidates apply through their invitation).
  apply_url: serverUrlSchema.nullable(),
  created_at: timestampSchema,
  deleted_at: nullableTimestamp,
  name: text,
  slug: z.string().regex(/^[a-z0-9_-]+$/, 'a slug'),
  /** US cents. */
  price: z.int().nonnegative(),
  screenings: z.array(z.strictObject({ type: screeningTypeSchema, subtype: nullableText })).min(1),
});

// ── Continuous check ──────────────────────────────────────────────────────────────────────────

/** Reading: Checkr's work location `{country, state, city}`; CHECKR.md does not spell it out. */
export const workLocationSchema = z.strictObject({
  country: text.optional(),
  state: nullableText.optional(),
  city: nullableText.optional(),
});

export const continuousCheckSchema = z
  .strictObject({
    id: idSchema,
    object: z.literal('continuous_check'),
    // Reading: CHECKR.md's field list has no `uri`; the convention gives every object one.
    uri: uriSchema('continuous_checks'),
    type: continuousCheckTypeSchema,
    created_at: timestampSchema,
    candidate_id: idSchema,
    node: nullableText,
    work_locations: z.array(workLocationSchema),
  })
  .refine(uriNamesId('continuous_checks'), { message: 'uri must be /v1/continuous_checks/<its own id>', path: ['uri'] });

// ── Adverse action ────────────────────────────────────────────────────────────────────────────

export const adverseItemSchema = z.strictObject({
  id: idSchema,
  object: z.literal('adverse_item'),
  text,
});

export const deliverySchema = z.strictObject({
  state: deliveryStateSchema,
  reason: nullableText,
  // Reading: `null` while nothing was attempted (state `none`).
  updated_at: nullableTimestamp,
});

export const adverseActionSchema = resource('adverse_action', 'adverse_actions', {
  status: adverseActionStatusSchema,
  report_id: idSchema,
  created_at: timestampSchema,
  // Defaults to 7 days after creation, so always set.
  post_notice_scheduled_at: timestampSchema,
  // When the waiting period ends: known from the start.
  post_notice_ready_at: timestampSchema,
  canceled_at: nullableTimestamp,
  // Checkr's client libraries read it; trustwire runs no individualized assessment.
  individualized_assessment_engaged: z.boolean(),
  adverse_items: z.array(adverseItemSchema).min(1),
  delivery: deliverySchema,
}).superRefine((a, ctx) => {
  if ((a.status === 'canceled') !== (a.canceled_at !== null)) issue(ctx, ['canceled_at'], 'canceled_at is set exactly when the adverse action is canceled');
});

// ── Webhooks ──────────────────────────────────────────────────────────────────────────────────

const webhookUrl = z.url({ protocol: /^https?$/ });

const webhookShape = {
  webhook_url: webhookUrl,
  include_object: z.boolean(),
  created_at: timestampSchema,
  // Checkr's delete answers the webhook with `deleted_at`; `null` before.
  deleted_at: nullableTimestamp,
  account_id: text,
  // Reading: set for a partner application's subscriptions; trustwire has none.
  application_id: nullableText,
  // Reading: live or test mode; trustwire has one mode per deployment.
  live: z.boolean(),
};

/** A webhook subscription as read back: never its secret. */
export const webhookSchema = resource('webhook', 'webhooks', webhookShape);

/** `whsec_<base64>`, the key of the Standard Webhooks signature, 24–64 bytes once decoded (VENDORS.md). */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'a secret whsec_<base64>')
  .refine((s) => {
    const bytes = Buffer.from(s.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'a secret of 24–64 bytes');

/** The answer to `POST /v1/webhooks`: the subscription plus its `secret` (API.md "Webhooks"). */
export const webhookCreatedSchema = resource('webhook', 'webhooks', { ...webhookShape, secret: webhookSecretSchema });

// ── Events ────────────────────────────────────────────────────────────────────────────────────

export const checkrEventTypes = [
  'candidate.created',
  'candidate.updated',
  'candidate.id_required',
  'candidate.driver_license_required',
  'candidate.pre_adverse_action',
  'candidate.post_adverse_action',
  'invitation.created',
  'invitation.completed',
  'invitation.expired',
  'invitation.deleted',
  'verification.created',
  'verification.completed',
  'verification.processed',
  'report.created',
  'report.updated',
  'report.completed',
  'report.canceled',
  'report.upgraded',
  'report.suspended',
  'report.resumed',
  'report.disputed',
  'report.engaged',
  'report.pre_adverse_action',
  'report.post_adverse_action',
  'report.paused',
  'adverse_action.notice_not_delivered',
  'package.created',
  'package.updated',
  'package.deleted',
  'continuous_check.subscription_error',
  'continuous_check.confirmation_required',
] as const;
/** trustwire's own event types (API.md "Webhooks"). */
export const trustwireEventTypes = ['seeker.idv_status_changed', 'link.status_changed', 'link.record_found', 'case.created'] as const;
export const eventTypeSchema = z.enum([...checkrEventTypes, ...trustwireEventTypes]);

/** Full schemas of the objects an event may carry, by their `object` name. */
const objectSchemas: Record<string, { collection: string; schema: z.ZodType }> = {
  candidate: { collection: 'candidates', schema: candidateSchema },
  invitation: { collection: 'invitations', schema: invitationSchema },
  report: { collection: 'reports', schema: reportSchema },
  package: { collection: 'packages', schema: packageSchema },
  adverse_action: { collection: 'adverse_actions', schema: adverseActionSchema },
  continuous_check: { collection: 'continuous_checks', schema: continuousCheckSchema },
  webhook: { collection: 'webhooks', schema: webhookSchema },
  ...Object.fromEntries(Object.entries(screeningSchemas).map(([type, schema]) => [type, { collection: screeningCollections[type as ScreeningType], schema }])),
};

/** Event types whose `data.object` is the object the type is named after. */
const typedEventObjects = ['candidate', 'invitation', 'report', 'package', 'adverse_action'];

/** `data.object` without `include_object`: `{id, object, uri}`. */
export const objectRefSchema = z
  .strictObject({ id: idSchema, object: text, uri: z.string().regex(/^\/v1\/[a-z_]+\/[A-Za-z0-9_-]+$/, 'a URI /v1/<collection>/<id>') })
  .refine(
    (ref) => {
      const known = objectSchemas[ref.object];
      return !known || ref.uri === `/v1/${known.collection}/${ref.id}`;
    },
    { message: 'uri must be /v1/<collection>/<its own id>', path: ['uri'] },
  );

/**
 * The webhook envelope. `data.object` is a reference or, with `include_object`, the whole object,
 * checked against its own schema when it is one of the objects above; trustwire's own objects
 * (seeker, link, case) only need an `id`.
 */
export const eventSchema = z
  .strictObject({
    id: idSchema,
    object: z.literal('event'),
    type: eventTypeSchema,
    created_at: timestampSchema,
    webhook_url: webhookUrl,
    data: z.strictObject({ object: z.looseObject({ id: idSchema, object: text.optional() }) }),
    // Reading: always a string, as Checkr's clients read it.
    account_id: text,
  })
  .superRefine((event, ctx) => {
    const carried = event.data.object;
    const named = event.type.slice(0, event.type.lastIndexOf('.'));
    if (typedEventObjects.includes(named) && carried.object !== named) {
      issue(ctx, ['data', 'object', 'object'], `a ${event.type} event carries a ${named}`);
      return;
    }
    const known = carried.object === undefined ? undefined : objectSchemas[carried.object];
    if (!known || objectRefSchema.safeParse(carried).success) return;
    const full = known.schema.safeParse(carried);
    for (const problem of full.error?.issues ?? []) {
      issue(ctx, ['data', 'object', ...problem.path], `neither {id, object, uri} nor a whole ${carried.object}: ${problem.message}`);
    }
  });

// ── Lists ─────────────────────────────────────────────────────────────────────────────────────

/** The list envelope `{data, object: "list", next_href, previous_href, count}` (count = total, hrefs absolute). */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .strictObject({
      data: z.array(item).max(100),
      object: z.literal('list'),
      next_href: absoluteUrlSchema.nullable(),
      previous_href: absoluteUrlSchema.nullable(),
      count: z.int().nonnegative(),
    })
    .refine((list) => list.count >= list.data.length, { message: 'count is the total, at least the page', path: ['count'] });
}

// ── Embedded and derived objects ──────────────────────────────────────────────────────────────

/** A candidate read with `include=reports`: its reports embedded, whole. */
export const candidateWithReportsSchema = resource('candidate', 'candidates', { ...candidateShape, reports: z.array(reportSchema) });

/** `GET /v1/reports/{id}/eta`. */
export const reportEtaSchema = z.strictObject({ estimate_generated_at: timestampSchema, estimated_completion_time: timestampSchema });
