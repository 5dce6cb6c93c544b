import { z } from 'zod';
import * as actors from '../api/actors.ts';
import { commandBody } from '../api/commands.ts';
import { startBody as idmeBody } from '../api/idme.ts';
import { linkBody } from '../api/links.ts';
import { ownPages as pageQuery } from '../api/list.ts';
import { providerBody, seekerBody, sessionBody } from '../api/members.ts';
import { query as notificationsQuery } from '../api/notifications.ts';
import { searchQuery } from '../api/staff.ts';
import * as cases from '../cases/router.ts';
import * as badge from '../checks/background-badge.ts';
import * as candidates from '../checks/candidates-router.ts';
import { ruleFields } from '../checks/escalation.ts';
import * as escalationRules from '../checks/escalation-rules-router.ts';
import * as invitations from '../checks/invitations-router.ts';
import * as reports from '../checks/reports-router.ts';
import { screeningCollections } from '../checks/resources.ts';
import * as checkr from '../checks/schemas.ts';
import { gateBody } from '../idv/router.ts';
import { PAGES } from '../web.ts';
import * as webhooks from '../webhooks/router.ts';
import * as objects from './objects.ts';

/**
 * Every route the app mounts, with the zod schemas its router validates requests with and the
 * schemas of what it answers. test/ops/openapi.test.ts checks that no mounted route is missing,
 * and the API suites check every response they receive against the document.
 */

export type Security = 'credentials' | 'none' | 'metrics';

/** What a route answers besides JSON: a page, a redirect, plain text. */
export type Body = z.ZodType | 'html' | 'redirect' | 'text' | 'image' | 'events' | 'none';

export interface Operation {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path (`/v1/actors/{id}`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Answers other than the errors every route of its kind can give. */
  responses: Record<number, Body>;
  security?: Security;
  /** Statuses in the error shape besides the usual ones. */
  errors?: number[];
}

const list = objects.listOf;

/** The Checkr objects, named once so the document refers to each instead of repeating it. */
const candidate = checkr.candidateSchema.meta({ id: 'Candidate' });
const invitation = checkr.invitationSchema.meta({ id: 'Invitation' });
const report = checkr.reportSchema.meta({ id: 'Report' });
const adverseAction = checkr.adverseActionSchema.meta({ id: 'AdverseAction' });
const continuousCheck = checkr.continuousCheckSchema.meta({ id: 'ContinuousCheck' });
const pkg = checkr.packageSchema.meta({ id: 'Package' });
const webhook = checkr.webhookSchema.meta({ id: 'Webhook' });
/** The webhook envelope, for the document's `webhooks`. */
export const eventSchema = checkr.eventSchema.meta({ id: 'Event', description: 'The webhook envelope (CHECKR.md "Webhooks").' });
const paged = (query?: z.ZodObject) => (query ? query.extend(pageQuery.shape) : pageQuery);
const today = () => new Date().toISOString().slice(0, 10);

/** An entry of the event log. */
const loggedEvent = z
  .looseObject({ id: z.string(), object: z.literal('event'), type: checkr.eventTypeSchema, created_at: z.iso.datetime() })
  .meta({ id: 'LoggedEvent' });

const ops: Operation[] = [
  // ── Commands and actors ──
  {
    method: 'post',
    path: '/v1/commands',
    tag: 'Actors',
    summary: 'Send one event to one actor',
    description: 'Validated, authorized, applied and durable before the answer; `expected_version` makes it conditional (409 `version_conflict`).',
    body: commandBody,
    responses: { 200: z.strictObject({ actor: objects.actorViewSchema }) },
  },
  {
    method: 'get',
    path: '/v1/actors',
    tag: 'Actors',
    summary: 'List actors',
    description: 'Members list their own actors whatever they ask; staff and the integrator may filter by `member`.',
    query: paged(actors.listQuery),
    responses: { 200: list(objects.actorViewSchema) },
  },
  {
    method: 'get',
    path: '/v1/actors/counts',
    tag: 'Actors',
    summary: 'Count actors by kind and status (staff, integrator)',
    responses: { 200: objects.actorCountsSchema },
  },
  { method: 'get', path: '/v1/actors/{id}', tag: 'Actors', summary: 'Read an actor', responses: { 200: objects.actorViewSchema } },
  {
    method: 'get',
    path: '/v1/actors/{id}/history',
    tag: 'Actors',
    summary: 'The audit history of an actor, oldest first',
    description: 'With `verify=true` (staff, integrator) the answer also carries the `verification` of its hash chain.',
    query: actors.historyQuery,
    responses: {
      200: z.strictObject({
        data: z.array(objects.historyEntrySchema),
        object: z.literal('list'),
        count: z.int(),
        verification: objects.verificationSchema.optional(),
      }),
    },
  },
  ...(['seekers', 'providers', 'candidates'] as const).map((resource) => ({
    method: 'post' as const,
    path: `/v1/${resource}/{id}/erase`,
    tag: 'Actors',
    summary: `Erase a ${resource.slice(0, -1)}’s personal data by destroying its data key (integrator, reviewer)`,
    description:
      'A member’s open account is closed first, with its usual cascades. Afterwards the subject reads and is commanded as 410 `erased` (with `details.erased_at` and `erased_by`); erasing again is 410 too.',
    responses: { 200: objects.erasureSchema },
  })),
  ...(['seekers', 'providers', 'candidates'] as const).map((resource) => ({
    method: 'get' as const,
    path: `/v1/${resource}/{id}/export`,
    tag: 'Actors',
    summary: `Everything held about a ${resource.slice(0, -1)}, as one document, for an access request (integrator, reviewer)`,
    responses: { 200: objects.subjectExportSchema },
  })),
  {
    method: 'get',
    path: '/v1/audit/checkpoints',
    tag: 'Actors',
    summary: 'The audit checkpoints, oldest first (staff, integrator)',
    query: pageQuery,
    responses: { 200: list(objects.checkpointSchema) },
  },
  // ── Members and sessions ──
  {
    method: 'post',
    path: '/v1/sessions',
    tag: 'Members',
    summary: 'Issue a member or staff session (integrator)',
    body: sessionBody,
    responses: { 201: objects.sessionSchema },
  },
  {
    method: 'post',
    path: '/v1/seekers',
    tag: 'Members',
    summary: 'Create a seeker (integrator)',
    body: seekerBody,
    responses: { 201: objects.actorViewSchema },
  },
  {
    method: 'post',
    path: '/v1/providers',
    tag: 'Members',
    summary: 'Create a provider (integrator)',
    body: providerBody,
    responses: { 201: objects.actorViewSchema },
  },
  {
    method: 'get',
    path: '/v1/providers',
    tag: 'Members',
    summary: 'The provider directory: public profiles',
    query: pageQuery,
    responses: { 200: list(objects.providerProfileSchema) },
  },
  { method: 'get', path: '/v1/providers/{id}', tag: 'Members', summary: 'A provider’s public profile', responses: { 200: objects.providerProfileSchema } },
  {
    method: 'post',
    path: '/v1/providers/{id}/background_check',
    tag: 'Members',
    summary: 'Tie a provider to the candidate checked for them: their profile shows that check’s badge (integrator)',
    body: badge.tieBody,
    responses: { 200: objects.providerProfileSchema },
  },
  {
    method: 'post',
    path: '/v1/links',
    tag: 'Monitoring',
    summary: 'Start a monitoring request (a draft link) from a provider’s profile',
    body: linkBody,
    responses: { 201: objects.actorViewSchema },
  },
  {
    method: 'get',
    path: '/v1/notifications',
    tag: 'Members',
    summary: 'Notifications and emails sent to a member, newest first',
    query: paged(notificationsQuery),
    responses: { 200: list(objects.notificationSchema) },
  },
  // ── Identity verification ──
  {
    method: 'post',
    path: '/v1/seekers/{id}/idme',
    tag: 'Identity',
    summary: 'Start ID.me for a seeker',
    body: idmeBody,
    responses: { 200: objects.authorizeSchema },
  },
  {
    method: 'get',
    path: '/v1/idme/callback',
    tag: 'Identity',
    summary: 'ID.me’s OAuth callback (the browser is redirected here)',
    security: 'none',
    responses: { 302: 'redirect' },
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/seekers/{id}/gate',
    tag: 'Identity',
    summary: 'Whether a seeker may message or book a provider (I14)',
    body: gateBody,
    responses: { 200: objects.gateSchema },
  },
  {
    method: 'get',
    path: '/v1/seekers/{id}/screening_history',
    tag: 'Identity',
    summary: 'A seeker’s identity screening attempts, oldest first (staff)',
    query: pageQuery,
    responses: { 200: list(objects.screeningAttemptSchema) },
  },
  {
    method: 'get',
    path: '/v1/seekers/{id}/identity_documents',
    tag: 'Identity',
    summary: 'Veriff’s decision and photos of a seeker’s document check (reviewer, integrator)',
    responses: { 200: objects.identityDocumentsSchema },
    errors: [502],
  },
  {
    method: 'get',
    path: '/v1/seekers/{id}/identity_documents/{image}',
    tag: 'Identity',
    summary: 'One photo of a seeker’s document check (reviewer, integrator)',
    responses: { 200: 'image' },
    errors: [502],
  },
  {
    method: 'post',
    path: '/v1/vendors/veriff/decisions',
    tag: 'Vendors',
    summary: 'Veriff’s decision webhook (HMAC-signed)',
    security: 'none',
    responses: { 200: objects.receivedSchema },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/v1/vendors/veriff/events',
    tag: 'Vendors',
    summary: 'Veriff’s event webhook (HMAC-signed)',
    security: 'none',
    responses: { 200: objects.receivedSchema },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/v1/vendors/sterling/callback/{token}',
    tag: 'Vendors',
    summary: 'Sterling’s screening callback (the token is the signature)',
    security: 'none',
    responses: { 200: objects.receivedSchema },
    errors: [400, 401, 404],
  },
  // ── Staff ──
  {
    method: 'get',
    path: '/v1/members',
    tag: 'Staff',
    summary: 'Search seekers and providers (staff, integrator)',
    query: paged(searchQuery),
    responses: { 200: list(objects.actorViewSchema) },
  },
  {
    method: 'get',
    path: '/v1/seekers/{id}/inbox',
    tag: 'Staff',
    summary: 'A seeker’s notifications with the I14 mask (staff)',
    query: pageQuery,
    responses: { 200: list(objects.notificationSchema).extend({ mask: z.strictObject({ reason: z.string() }).nullable() }) },
  },
  {
    method: 'post',
    path: '/v1/seekers/{id}/inbox/dismiss_mask',
    tag: 'Staff',
    summary: 'Lift the inbox mask for the calling staff member',
    responses: { 200: z.strictObject({ dismissed: z.literal(true) }) },
  },
  { method: 'get', path: '/v1/cases', tag: 'Staff', summary: 'List cases', query: paged(cases.listQuery), responses: { 200: list(objects.caseSchema) } },
  {
    method: 'post',
    path: '/v1/cases',
    tag: 'Staff',
    summary: 'Open a case by hand (reviewer, integrator)',
    body: cases.createBody,
    responses: { 201: objects.caseSchema },
  },
  { method: 'get', path: '/v1/cases/{id}', tag: 'Staff', summary: 'Read a case', responses: { 200: objects.caseSchema } },
  {
    method: 'post',
    path: '/v1/cases/{id}',
    tag: 'Staff',
    summary: 'Assign, resolve or reopen a case (staff)',
    body: cases.updateBody,
    responses: { 200: objects.caseSchema },
  },
  {
    method: 'post',
    path: '/v1/cases/{id}/comments',
    tag: 'Staff',
    summary: 'Comment on a case; #hashtags become tags (staff)',
    body: cases.commentBody,
    responses: { 201: objects.caseSchema },
  },
  {
    method: 'get',
    path: '/v1/dead_letters',
    tag: 'Staff',
    summary: 'Outbox entries whose retries ran out, oldest first (staff, integrator)',
    query: pageQuery,
    responses: { 200: list(objects.deadLetterSchema) },
  },
  {
    method: 'post',
    path: '/v1/dead_letters/{id}/retry',
    tag: 'Staff',
    summary: 'Put a dead letter back for delivery, its attempts anew (staff)',
    responses: { 202: objects.deadLetterSchema },
  },
  {
    method: 'get',
    path: '/v1/retention',
    tag: 'Staff',
    summary: 'The retention rules and the erasures they have scheduled (staff, integrator)',
    description:
      'Each rule of `RETENTION` (T4) with its period, how many subjects’ erasures it has scheduled, how many come due within 30 days, and the first due.',
    responses: { 200: objects.retentionSchema },
  },
  // ── Background checks (Checkr's shape) ──
  {
    method: 'post',
    path: '/v1/candidates',
    tag: 'Background checks',
    summary: 'Create a candidate',
    body: candidates.createCandidateBody(today()),
    responses: { 201: candidate },
  },
  {
    method: 'get',
    path: '/v1/candidates',
    tag: 'Background checks',
    summary: 'List candidates',
    query: paged(candidates.listQuery),
    responses: { 200: list(candidate) },
  },
  { method: 'get', path: '/v1/candidates/{id}', tag: 'Background checks', summary: 'Read a candidate', responses: { 200: candidate } },
  {
    method: 'post',
    path: '/v1/candidates/{id}',
    tag: 'Background checks',
    summary: 'Update a candidate (fields a report relies on are locked)',
    body: candidates.createCandidateBody(today()).partial(),
    responses: { 200: candidate },
  },
  {
    method: 'post',
    path: '/v1/candidates/{id}/status_link',
    tag: 'Background checks',
    summary: 'A link to the candidate’s status page, valid 7 days (integrator)',
    responses: { 201: objects.statusLinkSchema },
  },
  {
    method: 'get',
    path: '/v1/escalation_rules',
    tag: 'Background checks',
    summary: 'The escalation rules (integrator, staff)',
    query: escalationRules.listQuery,
    responses: { 200: list(objects.escalationRuleSchema) },
  },
  {
    method: 'post',
    path: '/v1/escalation_rules',
    tag: 'Background checks',
    summary: 'Add an escalation rule, applied from the next completed report on (integrator)',
    body: ruleFields,
    responses: { 201: objects.escalationRuleSchema },
  },
  {
    method: 'delete',
    path: '/v1/escalation_rules/{id}',
    tag: 'Background checks',
    summary: 'Delete an escalation rule; it stays listed with `include_deleted=true` (integrator)',
    responses: { 200: objects.escalationRuleSchema },
  },
  {
    method: 'post',
    path: '/v1/candidates/{id}/continuous_checks',
    tag: 'Background checks',
    summary: 'Subscribe a candidate to a continuous check',
    body: candidates.continuousBody,
    responses: { 201: continuousCheck },
  },
  {
    method: 'get',
    path: '/v1/candidates/{id}/continuous_checks',
    tag: 'Background checks',
    summary: 'A candidate’s continuous checks',
    responses: { 200: list(continuousCheck) },
  },
  { method: 'get', path: '/v1/continuous_checks/{id}', tag: 'Background checks', summary: 'Read a continuous check', responses: { 200: continuousCheck } },
  { method: 'delete', path: '/v1/continuous_checks/{id}', tag: 'Background checks', summary: 'End a continuous check', responses: { 200: continuousCheck } },
  {
    method: 'post',
    path: '/v1/invitations',
    tag: 'Background checks',
    summary: 'Invite a candidate to the hosted consent form',
    body: invitations.createBody,
    responses: { 201: invitation },
  },
  {
    method: 'get',
    path: '/v1/invitations',
    tag: 'Background checks',
    summary: 'List invitations',
    query: paged(invitations.listQuery),
    responses: { 200: list(invitation) },
  },
  { method: 'get', path: '/v1/invitations/{id}', tag: 'Background checks', summary: 'Read an invitation', responses: { 200: invitation } },
  { method: 'delete', path: '/v1/invitations/{id}', tag: 'Background checks', summary: 'Cancel an invitation', responses: { 200: invitation } },
  {
    method: 'post',
    path: '/v1/reports',
    tag: 'Background checks',
    summary: 'Order a report (Checkr answers 200)',
    body: reports.createBody,
    responses: { 200: report },
  },
  {
    method: 'get',
    path: '/v1/reports/{id}',
    tag: 'Background checks',
    summary: 'Read a report, with `include` of its candidate and screenings',
    query: reports.includeQuery,
    responses: { 200: z.looseObject(checkr.reportSchema.shape).meta({ id: 'ReportWithIncludes' }) },
  },
  {
    method: 'post',
    path: '/v1/reports/{id}',
    tag: 'Background checks',
    summary: 'Upgrade a report’s package, or engage it',
    body: reports.updateBody,
    responses: { 200: report },
  },
  {
    method: 'post',
    path: '/v1/reports/{id}/complete',
    tag: 'Background checks',
    summary: 'Complete a report now, cancelling what is still running',
    responses: { 200: report },
  },
  {
    method: 'get',
    path: '/v1/reports/{id}/eta',
    tag: 'Background checks',
    summary: 'When the report is estimated to complete',
    responses: { 200: z.strictObject({ estimate_generated_at: z.string().nullable(), estimated_completion_time: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/v1/reports/{id}/adverse_actions',
    tag: 'Background checks',
    summary: 'A report’s adverse actions, oldest first',
    query: pageQuery,
    responses: { 200: list(adverseAction) },
  },
  {
    method: 'get',
    path: '/v1/reports/{id}/adverse_items',
    tag: 'Background checks',
    summary: 'The adverse items of a report',
    responses: { 200: list(checkr.adverseItemSchema) },
  },
  {
    method: 'post',
    path: '/v1/reports/{id}/adverse_actions',
    tag: 'Background checks',
    summary: 'Take pre-adverse action (Checkr answers 200)',
    body: reports.adverseBody,
    responses: { 200: adverseAction },
  },
  { method: 'get', path: '/v1/adverse_actions/{id}', tag: 'Background checks', summary: 'Read an adverse action', responses: { 200: adverseAction } },
  { method: 'delete', path: '/v1/adverse_actions/{id}', tag: 'Background checks', summary: 'Cancel an adverse action', responses: { 200: adverseAction } },
  ...screeningCollections.map(
    ([type, collection]): Operation => ({
      method: 'get',
      path: `/v1/${collection}/{id}`,
      tag: 'Background checks',
      summary: `Read a ${type.replaceAll('_', ' ')}`,
      responses: { 200: checkr.screeningSchemas[type] },
    }),
  ),
  { method: 'get', path: '/v1/packages', tag: 'Background checks', summary: 'List packages', query: pageQuery, responses: { 200: list(pkg) } },
  { method: 'get', path: '/v1/packages/{id}', tag: 'Background checks', summary: 'Read a package', responses: { 200: pkg } },
  {
    method: 'delete',
    path: '/v1/packages/{id}',
    tag: 'Background checks',
    summary: 'Delete a package: no more reports are ordered with it',
    responses: { 200: pkg },
  },
  // ── Webhooks ──
  {
    method: 'post',
    path: '/v1/webhooks',
    tag: 'Webhooks',
    summary: 'Subscribe an endpoint (at most 2); the secret is shown only here',
    body: webhooks.createBody,
    responses: { 201: checkr.webhookCreatedSchema },
  },
  { method: 'get', path: '/v1/webhooks', tag: 'Webhooks', summary: 'List subscriptions', query: pageQuery, responses: { 200: list(webhook) } },
  { method: 'get', path: '/v1/webhooks/{id}', tag: 'Webhooks', summary: 'Read a subscription', responses: { 200: webhook } },
  { method: 'delete', path: '/v1/webhooks/{id}', tag: 'Webhooks', summary: 'Delete a subscription', responses: { 200: webhook } },
  {
    method: 'get',
    path: '/v1/events',
    tag: 'Webhooks',
    summary: 'The event log, newest first',
    query: paged(webhooks.eventsQuery),
    responses: { 200: list(loggedEvent) },
  },
  { method: 'get', path: '/v1/events/{id}', tag: 'Webhooks', summary: 'An event with its deliveries', responses: { 200: objects.eventDetailSchema } },
  {
    method: 'post',
    path: '/v1/events/{id}/redeliver',
    tag: 'Webhooks',
    summary: 'Deliver an event again, to one subscription or all',
    body: webhooks.redeliverBody,
    responses: { 202: list(objects.deliverySchema) },
  },
  // ── The hosted form (HTML, for candidates) ──
  {
    method: 'get',
    path: '/status/{id}',
    tag: 'Hosted form',
    summary: 'The candidate’s status page: each report and screening in words, live (`?t=` status-link token, exchanged for a cookie)',
    security: 'none',
    responses: { 200: 'html', 303: 'redirect', 404: 'html' },
  },
  {
    method: 'get',
    path: '/status/{id}/events',
    tag: 'Hosted form',
    summary: 'The status page’s changes as server-sent events (`changed`), for the page’s session cookie',
    security: 'none',
    responses: { 200: 'events', 404: 'none' },
  },
  {
    method: 'post',
    path: '/status/new_link',
    tag: 'Hosted form',
    summary: 'Ask for a fresh status link by email: sent only to an address on file; the answer never says whether it is',
    security: 'none',
    responses: { 200: 'html' },
  },
  {
    method: 'get',
    path: '/apply/{id}',
    tag: 'Hosted form',
    summary: 'The consent form of an invitation (`?t=` signed token)',
    security: 'none',
    responses: { 200: 'html', 303: 'redirect', 404: 'html' },
  },
  {
    method: 'post',
    path: '/apply/{id}',
    tag: 'Hosted form',
    summary: 'Sign the consent form (form-encoded)',
    security: 'none',
    responses: { 303: 'redirect', 400: 'html', 404: 'html' },
  },
  {
    method: 'get',
    path: '/apply/{id}/status',
    tag: 'Hosted form',
    summary: 'The candidate’s status page',
    security: 'none',
    responses: { 200: 'html', 404: 'html' },
  },
  {
    method: 'get',
    path: '/apply/{id}/events',
    tag: 'Hosted form',
    summary: 'The invitation status page’s changes as server-sent events (`changed`), for the page’s session cookie',
    security: 'none',
    responses: { 200: 'events', 404: 'none' },
  },
  {
    method: 'post',
    path: '/apply/{id}/status',
    tag: 'Hosted form',
    summary: 'Give what a suspended screening waits for',
    security: 'none',
    responses: { 200: 'html', 303: 'redirect', 400: 'html', 404: 'html' },
  },
  // ── Development sign-in (DEMO=1 only) ──
  {
    method: 'get',
    path: '/demo/members',
    tag: 'Development',
    summary: 'Members and staff to sign in as (DEMO=1 only)',
    security: 'none',
    responses: { 200: objects.demoMembersSchema },
  },
  {
    method: 'post',
    path: '/demo/sessions',
    tag: 'Development',
    summary: 'A session without an API key (DEMO=1 only)',
    security: 'none',
    body: sessionBody,
    responses: { 201: objects.sessionSchema },
    errors: [400, 404, 413, 415],
  },
  // ── Dashboards (pages for people, one single-page app) ──
  ...PAGES.map(
    (path): Operation => ({
      method: 'get',
      path,
      tag: 'Dashboards',
      summary: `The dashboard page ${path}`,
      security: 'none',
      responses: { 200: 'html', 503: 'text' },
    }),
  ),
  // ── Operations ──
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'The process is alive',
    security: 'none',
    responses: { 200: z.strictObject({ ok: z.literal(true) }) },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Operations',
    summary: 'This node can serve: the store is open and answers, the outbox runs',
    security: 'none',
    responses: { 200: z.strictObject({ ok: z.literal(true) }), 503: z.strictObject({ ok: z.literal(false), reason: z.string() }) },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics (text format)',
    security: 'metrics',
    responses: { 200: 'text' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    tag: 'Operations',
    summary: 'This document',
    security: 'none',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Operations',
    summary: 'The interactive reference of this document (works offline)',
    security: 'none',
    responses: { 200: 'html' },
  },
  {
    method: 'get',
    path: '/docs/errors',
    tag: 'Operations',
    summary: 'Every error code, what it means and what to do (each error’s `docs` links here)',
    security: 'none',
    responses: { 200: 'html' },
  },
  {
    method: 'get',
    path: '/hosted.js',
    tag: 'Hosted form',
    summary: 'The script of the hosted candidate pages: local times, and the status page following changes',
    security: 'none',
    responses: { 200: 'text' },
  },
  {
    method: 'get',
    path: '/docs/reference.js',
    tag: 'Operations',
    summary: 'The reference’s script, served from this server',
    security: 'none',
    responses: { 200: 'text' },
  },
];

export const operations: readonly Operation[] = ops;
