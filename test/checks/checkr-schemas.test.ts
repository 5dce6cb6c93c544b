import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  adverseActionSchema,
  adverseItemSchema,
  candidateSchema,
  continuousCheckSchema,
  countyCriminalSearchSchema,
  eventSchema,
  invitationSchema,
  listOf,
  motorVehicleReportSchema,
  nationalCriminalSearchSchema,
  packageSchema,
  reportSchema,
  screeningSchemas,
  sexOffenderSearchSchema,
  ssnTraceSchema,
  webhookCreatedSchema,
  webhookSchema,
} from '../../server/checks/schemas.ts';

const T0 = '2026-03-02T10:00:00Z';
const T1 = '2026-03-03T12:30:05.123Z';

const candidate = {
  id: 'cand_8f3a2b',
  object: 'candidate',
  uri: '/v1/candidates/cand_8f3a2b',
  created_at: T0,
  first_name: 'Jöhn',
  middle_name: null,
  no_middle_name: true,
  last_name: "O'Brien",
  mother_maiden_name: null,
  email: 'john@example.com',
  phone: null,
  zipcode: '94107',
  dob: '1990-05-17',
  ssn: 'XXX-XX-4321',
  driver_license_number: null,
  driver_license_state: null,
  previous_driver_license_number: null,
  previous_driver_license_state: null,
  copy_requested: false,
  custom_id: null,
  report_ids: ['rpt_1'],
  geo_ids: [],
  adjudication: null,
  metadata: { crm: 'A-17' },
};

const invitation = {
  id: 'inv_1',
  object: 'invitation',
  uri: '/v1/invitations/inv_1',
  invitation_url: '/apply/inv_1?token=abc',
  status: 'completed',
  created_at: T0,
  expires_at: '2026-03-10T07:59:59Z',
  completed_at: T1,
  deleted_at: null,
  package: 'tasker_standard',
  candidate_id: 'cand_8f3a2b',
  report_id: 'rpt_1',
  tags: ['east'],
};

const report = {
  id: 'rpt_1',
  object: 'report',
  uri: '/v1/reports/rpt_1',
  status: 'complete',
  result: 'consider',
  adjudication: 'engaged',
  assessment: null,
  source: 'form',
  package: 'tasker_standard',
  candidate_id: 'cand_8f3a2b',
  created_at: T0,
  completed_at: T1,
  revised_at: null,
  upgraded_at: null,
  turnaround_time: 95405,
  estimated_completion_time: T1,
  includes_canceled: false,
  tags: [],
  document_ids: [],
  geo_ids: [],
  program_id: null,
  ssn_trace_id: 'scr_1',
  sex_offender_search_id: 'scr_2',
  global_watchlist_search_id: null,
  national_criminal_search_id: 'scr_3',
  county_criminal_search_ids: ['scr_4'],
  state_criminal_search_ids: null,
  federal_criminal_search_ids: null,
  motor_vehicle_report_id: null,
};

const common = { created_at: T0, completed_at: T1, turnaround_time: 95405, cancellation_reason: null, cancellation_reason_description: null };

const ssnTrace = {
  id: 'scr_1',
  object: 'ssn_trace',
  uri: '/v1/ssn_traces/scr_1',
  status: 'complete',
  result: null,
  ...common,
  ssn: 'XXX-XX-4321',
  addresses: [
    { street: '1 Main St', unit: null, city: 'San Francisco', state: 'CA', zipcode: '94107', county: 'San Francisco', from_date: '2010-01-01', to_date: null },
  ],
  no_data: false,
  dob_mismatch: false,
  name_mismatch: false,
  data_mismatch: false,
  thin_file: false,
  invalid_issuance_year: false,
  death_index: false,
  ssn_already_taken: false,
  issued_year: 2008,
  issued_state: 'CA',
};

const sexOffenderSearch = {
  id: 'scr_2',
  object: 'sex_offender_search',
  uri: '/v1/sex_offender_searches/scr_2',
  status: 'complete',
  result: 'clear',
  ...common,
  records: [],
};

const charge = {
  id: 'chg_1',
  charge: 'Theft of property',
  charge_type: 'Criminal',
  classification: 'Misdemeanor',
  category: 'Theft',
  disposition: 'Guilty',
  offense_date: '2015-04-01',
  arrest_date: '2015-04-02',
  disposition_date: '2015-09-30',
  conviction_date: '2015-09-30',
  sentence: '12 months probation',
  probation_status: 'completed',
  assessment: null,
};

const criminalRecord = {
  id: 'rec_1',
  case_number: 'CR-2015-0042',
  file_date: '2015-04-10',
  arresting_agency: 'SFPD',
  court_jurisdiction: 'San Francisco',
  court_of_record: 'Superior Court',
  full_name: "John O'Brien",
  dob: '1990-05-17',
  yob: 1990,
  county: 'San Francisco',
  state: 'CA',
  address: { street: '1 Main St', unit: null, city: 'San Francisco', state: 'CA', zipcode: '94107', country: 'US' },
  charges: [charge],
};

const nationalSearch = {
  id: 'scr_3',
  object: 'national_criminal_search',
  uri: '/v1/national_criminal_searches/scr_3',
  status: 'complete',
  result: null,
  ...common,
  records: [criminalRecord],
};

const countySearch = {
  id: 'scr_4',
  object: 'county_criminal_search',
  uri: '/v1/county_criminal_searches/scr_4',
  status: 'complete',
  result: 'consider',
  ...common,
  records: [criminalRecord],
  county: 'San Francisco',
  state: 'CA',
  assessment: null,
};

const mvr = {
  id: 'scr_5',
  object: 'motor_vehicle_report',
  uri: '/v1/motor_vehicle_reports/scr_5',
  status: 'canceled',
  result: null,
  created_at: T0,
  completed_at: null,
  turnaround_time: null,
  cancellation_reason: 'complete_now_customer_requested',
  cancellation_reason_description: 'Canceled on request',
  full_name: "John O'Brien",
  license_number: 'F1112001',
  license_state: 'CA',
  previous_license_number: null,
  previous_license_state: null,
  license_status: 'valid',
  license_type: 'non-commercial',
  license_class: 'C',
  expiration_date: '2028-05-17',
  issued_date: '2020-05-17',
  first_issued_date: '2007-05-17',
  inferred_issued_date: null,
  privilege_to_drive: 'valid',
  not_found: false,
  restrictions: ['Corrective lenses'],
  violations: [{ type: 'Speeding', issued_date: '2024-01-05', description: '15 over', points: 1 }],
  accidents: [],
  suspensions: [],
};

const pkg = {
  id: 'pkg_tasker_standard',
  object: 'package',
  uri: '/v1/packages/pkg_tasker_standard',
  apply_url: 'https://trustwire.example/apply?package=tasker_standard',
  created_at: T0,
  deleted_at: null,
  name: 'Tasker Standard',
  slug: 'tasker_standard',
  price: 3500,
  screenings: [
    { type: 'ssn_trace', subtype: null },
    { type: 'county_criminal_search', subtype: '7years' },
  ],
};

const continuousCheck = {
  id: 'cc_1',
  object: 'continuous_check',
  uri: '/v1/continuous_checks/cc_1',
  type: 'criminal',
  created_at: T0,
  candidate_id: 'cand_8f3a2b',
  node: null,
  work_locations: [{ country: 'US', state: 'CA', city: null }],
};

const adverseAction = {
  id: 'aa_1',
  object: 'adverse_action',
  uri: '/v1/adverse_actions/aa_1',
  status: 'pending',
  report_id: 'rpt_1',
  created_at: T1,
  post_notice_scheduled_at: '2026-03-10T12:30:05.123Z',
  post_notice_ready_at: '2026-03-10T12:30:05.123Z',
  canceled_at: null,
  individualized_assessment_engaged: false,
  adverse_items: [{ id: 'ai_1', object: 'adverse_item', text: 'Theft of property' }],
  delivery: { state: 'queued', reason: null, updated_at: T1 },
};

const webhook = {
  id: 'wh_1',
  object: 'webhook',
  uri: '/v1/webhooks/wh_1',
  webhook_url: 'https://integrator.example/hooks/checkr',
  include_object: true,
  created_at: T0,
  deleted_at: null,
  account_id: 'trustwire',
  application_id: null,
  live: true,
};
const webhookCreated = { ...webhook, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };

const event = {
  id: 'evt_1',
  object: 'event',
  type: 'report.completed',
  created_at: T1,
  webhook_url: webhook.webhook_url,
  data: { object: { id: 'rpt_1', object: 'report', uri: '/v1/reports/rpt_1' } },
  account_id: 'acct_default',
};

const valid: [string, z.ZodType, unknown][] = [
  ['candidate', candidateSchema, candidate],
  ['invitation', invitationSchema, invitation],
  ['report', reportSchema, report],
  ['ssn_trace', ssnTraceSchema, ssnTrace],
  ['sex_offender_search', sexOffenderSearchSchema, sexOffenderSearch],
  ['national_criminal_search', nationalCriminalSearchSchema, nationalSearch],
  ['county_criminal_search', countyCriminalSearchSchema, countySearch],
  ['motor_vehicle_report', motorVehicleReportSchema, mvr],
  ['package', packageSchema, pkg],
  ['continuous_check', continuousCheckSchema, continuousCheck],
  ['adverse_action', adverseActionSchema, adverseAction],
  ['adverse_item', adverseItemSchema, adverseAction.adverse_items[0]],
  ['webhook', webhookSchema, webhook],
  ['webhook (created)', webhookCreatedSchema, webhookCreated],
  ['event (reference)', eventSchema, event],
  ['event (include_object)', eventSchema, { ...event, data: { object: report } }],
  ['event (trustwire link)', eventSchema, { ...event, type: 'link.status_changed', data: { object: { id: 'lnk_1', kind: 'link', status: 'active' } } }],
  [
    'list of candidates',
    listOf(candidateSchema),
    { data: [candidate], object: 'list', next_href: 'https://trustwire.example/v1/candidates?page=2&per_page=1', previous_href: null, count: 3 },
  ],
];

const without = <O extends object>(o: O, key: keyof O) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe('Checkr schemas', () => {
  it.each(valid)('accept a valid %s', (_name, schema, example) => {
    const parsed = schema.safeParse(example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('have a schema per screening type', () => {
    expect(Object.keys(screeningSchemas)).toContain('motor_vehicle_report');
    expect(screeningSchemas.ssn_trace.safeParse(ssnTrace).success).toBe(true);
  });

  // [mistake, schema, example, the path of the issue expected ('' = the object itself)]
  it.each<[string, z.ZodType, unknown, string]>([
    ['an unmasked SSN', candidateSchema, { ...candidate, ssn: '123-45-6789' }, 'ssn'],
    ['a partly masked SSN', candidateSchema, { ...candidate, ssn: 'XXX-XX-67' }, 'ssn'],
    ['an unmasked SSN on a trace', ssnTraceSchema, { ...ssnTrace, ssn: '078051120' }, 'ssn'],
    ['a dob that is not YYYY-MM-DD', candidateSchema, { ...candidate, dob: '05/17/1990' }, 'dob'],
    [
      'more than 50 metadata keys',
      candidateSchema,
      { ...candidate, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      'metadata',
    ],
    ['an empty string for an absent value', candidateSchema, { ...candidate, phone: '' }, 'phone'],
    ['an unknown report status', reportSchema, { ...report, status: 'completed' }, 'status'],
    ['an unknown invitation status', invitationSchema, { ...invitation, status: 'canceled' }, 'status'],
    ['an unknown source', reportSchema, { ...report, source: 'dashboard' }, 'source'],
    ['a missing field', reportSchema, without(report, 'includes_canceled'), 'includes_canceled'],
    ['a missing email', candidateSchema, without(candidate, 'email'), 'email'],
    ['an extra field', candidateSchema, { ...candidate, full_ssn: '123456789' }, ''],
    [
      'an extra field on a charge',
      countyCriminalSearchSchema,
      { ...countySearch, records: [{ ...criminalRecord, charges: [{ ...charge, plea: 'guilty' }] }] },
      'records.0.charges.0',
    ],
    ['a non-null result on an SSN trace', ssnTraceSchema, { ...ssnTrace, result: 'clear' }, 'result'],
    ['a non-null result on a national search', nationalCriminalSearchSchema, { ...nationalSearch, result: 'consider' }, 'result'],
    ['a complete report without result', reportSchema, { ...report, result: null }, 'result'],
    ['a complete county search without result', countyCriminalSearchSchema, { ...countySearch, result: null }, 'result'],
    ['a canceled screening without reason', motorVehicleReportSchema, { ...mvr, cancellation_reason: null }, 'cancellation_reason'],
    ['a uri naming another id', reportSchema, { ...report, uri: '/v1/reports/rpt_2' }, 'uri'],
    ['a uri in another collection', candidateSchema, { ...candidate, uri: '/v1/reports/cand_8f3a2b' }, 'uri'],
    ['a timestamp with an offset', reportSchema, { ...report, created_at: '2026-03-02T10:00:00+01:00' }, 'created_at'],
    ['a timestamp without zone', reportSchema, { ...report, created_at: '2026-03-02T10:00:00' }, 'created_at'],
    ['a completed invitation without report_id', invitationSchema, { ...invitation, report_id: null }, 'report_id'],
    ['a pending invitation with report_id', invitationSchema, { ...invitation, status: 'pending', completed_at: null }, 'report_id'],
    ['an unknown delivery state', adverseActionSchema, { ...adverseAction, delivery: { ...adverseAction.delivery, state: 'bounced' } }, 'delivery.state'],
    ['a canceled adverse action without canceled_at', adverseActionSchema, { ...adverseAction, status: 'canceled' }, 'canceled_at'],
    ['an unknown continuous check type', continuousCheckSchema, { ...continuousCheck, type: 'monthly' }, 'type'],
    ['a status on a continuous check', continuousCheckSchema, { ...continuousCheck, status: 'enrolled' }, ''],
    ['an unknown package screening', packageSchema, { ...pkg, screenings: [{ type: 'drug_screening', subtype: null }] }, 'screenings.0.type'],
    ['a price in dollars', packageSchema, { ...pkg, price: 35.5 }, 'price'],
    ['a secret on a webhook read back', webhookSchema, webhookCreated, ''],
    ['a created webhook without secret', webhookCreatedSchema, webhook, 'secret'],
    ['an unknown event type', eventSchema, { ...event, type: 'report.finished' }, 'type'],
    ['an event without account_id', eventSchema, without(event, 'account_id'), 'account_id'],
    [
      'an event carrying another object',
      eventSchema,
      { ...event, data: { object: { id: 'cand_1', object: 'candidate', uri: '/v1/candidates/cand_1' } } },
      'data.object.object',
    ],
    ['an event whose full object is wrong', eventSchema, { ...event, data: { object: { ...report, status: 'done' } } }, 'data.object.status'],
    ['a list with a wrong object', listOf(candidateSchema), { data: [], object: 'candidates', next_href: null, previous_href: null, count: 0 }, 'object'],
    [
      'a list whose item is wrong',
      listOf(candidateSchema),
      { data: [{ ...candidate, ssn: '123456789' }], object: 'list', next_href: null, previous_href: null, count: 1 },
      'data.0.ssn',
    ],
    ['a list without count', listOf(candidateSchema), { data: [], object: 'list', next_href: null, previous_href: null }, 'count'],
    [
      'a relative list href',
      listOf(candidateSchema),
      { data: [], object: 'list', next_href: '/v1/candidates?page=2', previous_href: null, count: 3 },
      'next_href',
    ],
    [
      'a pending screening without its records',
      sexOffenderSearchSchema,
      without({ ...sexOffenderSearch, status: 'pending', result: null, completed_at: null, turnaround_time: null }, 'records'),
      'records',
    ],
    [
      'a canceled county search without county',
      countyCriminalSearchSchema,
      without({ ...countySearch, status: 'canceled', result: null, cancellation_reason: 'x', cancellation_reason_description: 'X' }, 'county'),
      'county',
    ],
    ['an MVR without its licence type', motorVehicleReportSchema, without(mvr, 'license_type'), 'license_type'],
    ['a report without the id of a screening it lacks', reportSchema, without(report, 'motor_vehicle_report_id'), 'motor_vehicle_report_id'],
    ['an empty list of county search ids', reportSchema, { ...report, county_criminal_search_ids: [] }, 'county_criminal_search_ids'],
    ['a report without an estimate', reportSchema, { ...report, estimated_completion_time: null }, 'estimated_completion_time'],
    [
      'a turnaround time before completion',
      sexOffenderSearchSchema,
      { ...sexOffenderSearch, status: 'pending', result: null, completed_at: null },
      'turnaround_time',
    ],
    ['a cancellation without its description', motorVehicleReportSchema, { ...mvr, cancellation_reason_description: null }, 'cancellation_reason_description'],
    ['a webhook without live', webhookSchema, without(webhook, 'live'), 'live'],
  ])('refuse %s', (_name, schema, example, path) => {
    const parsed = schema.safeParse(example);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
