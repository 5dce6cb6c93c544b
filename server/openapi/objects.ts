import { z } from 'zod';
import { RETENTION_RULES } from '../../machines/effects.ts';

/**
 * trustwire's own objects as the API answers them (API.md and the README's readings), for the
 * OpenAPI document. The Checkr-shaped objects are in server/checks/schemas.ts.
 */

const timestamp = z.iso.datetime();
const id = z.string().min(1).max(128);

export const errorSchema = z
  .strictObject({
    error: z.string().describe('What went wrong, in words for a developer.'),
    code: z
      .string()
      .describe(
        'A stable code: `invalid_request`, `unauthorized`, `forbidden`, `not_found`, `invalid_transition`, `version_conflict`, `rate_limited`, a refusal reason such as `monitoring_limit_reached`, …',
      ),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Facts about the error: `fields` of an invalid request, `allowed` event types, the `link` that exists, …'),
    docs: z.string().optional().describe('Where the code is explained: `/docs/errors#<code>` on this server.'),
  })
  .meta({ id: 'Error', description: 'The one error shape of every 4xx and 5xx answer.' });

const by = z.looseObject({ role: z.string(), subject: z.string().optional(), on_behalf_of: z.string().optional() });

export const actorViewSchema = z
  .strictObject({
    id,
    kind: z.enum(['seeker', 'provider', 'link', 'candidate', 'invitation', 'report']),
    status: z.string(),
    state: z.unknown().describe('The machine state value: a string, or an object for parallel and nested states.'),
    version: z.int().min(1),
    created_at: timestamp,
    updated_at: timestamp,
    data: z.record(z.string(), z.unknown()).describe('What this caller may see of the actor (masked for agents).'),
    can: z.array(z.string()).describe('Event types this caller may send now.'),
  })
  .meta({ id: 'Actor', description: 'An actor as one caller sees it; the same over REST and the sockets.' });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const historyEntrySchema = z
  .strictObject({
    seq: z.int(),
    at: timestamp,
    event: z.looseObject({ type: z.string() }),
    by,
    from: z.string().nullable(),
    to: z.string(),
    version: z.int(),
    prev_hash: sha256.optional().describe('The `hash` of the entry before (64 zeros for the first).'),
    hash: sha256
      .optional()
      .describe(
        'sha256 of the canonical encoding of the entry with its `actor` and without `hash` (README "Audit chain"); absent on entries stored before chaining.',
      ),
  })
  .meta({ id: 'HistoryEntry', description: 'One change of an actor; the first has `event.type: "CREATED"` and `from: null`.' });

export const verificationSchema = z
  .strictObject({
    valid: z.boolean(),
    entries: z.int().describe('Entries read.'),
    first_invalid: z
      .strictObject({ seq: z.int(), reason: z.enum(['missing', 'out_of_order', 'unchained', 'broken_link', 'altered', 'head_mismatch']) })
      .nullable()
      .describe('The first entry that does not verify, and why; null when every entry does.'),
  })
  .meta({ id: 'AuditVerification', description: 'The actor’s audit chain checked entry by entry (README "Audit chain").' });

export const checkpointSchema = z
  .strictObject({
    id,
    object: z.literal('audit_checkpoint'),
    at: timestamp,
    prev: sha256.describe('The `hash` of the checkpoint before (64 zeros for the first).'),
    chains: z.int(),
    heads: z.array(z.tuple([z.string(), z.int(), sha256.nullable()])).describe('Each chain’s latest entry: actor id, seq, hash; by actor id.'),
    hash: sha256.describe('sha256 of the canonical encoding of every other field.'),
  })
  .meta({ id: 'AuditCheckpoint', description: 'The heads of every audit chain at one time, hashed together with the previous checkpoint.' });

export const notificationSchema = z
  .strictObject({
    id,
    object: z.literal('notification'),
    recipient: z.string().optional(),
    channel: z.enum(['email', 'in_app']),
    template: z.string(),
    subject: z.string().optional(),
    text: z.string(),
    actor: z.string().optional(),
    created_at: timestamp,
    delivered_at: timestamp.nullable(),
  })
  .meta({ id: 'Notification' });

export const caseSchema = z
  .strictObject({
    id,
    object: z.literal('case'),
    uri: z.string(),
    subject: id,
    queue: z.string(),
    status: z.enum(['open', 'resolved']),
    summary: z.string(),
    refs: z.record(z.string(), z.string()),
    tags: z.array(z.string()),
    comments: z.array(z.strictObject({ id, text: z.string(), by, at: timestamp })),
    assignee: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    resolved_at: timestamp.nullable(),
  })
  .meta({ id: 'Case' });

export const backgroundCheckSchema = z
  .strictObject({ status: z.string(), result: z.enum(['clear', 'consider']).nullable(), completed_at: timestamp.nullable() })
  .meta({ id: 'BackgroundCheckBadge', description: 'The latest report of the candidate checked for a provider: its status and result, never its records.' });

export const providerProfileSchema = z
  .strictObject({
    id,
    object: z.literal('provider_profile'),
    display_name: z.string(),
    account_status: z.string(),
    background_check: backgroundCheckSchema.nullable(),
  })
  .meta({ id: 'ProviderProfile', description: 'What every signed-in caller may see of a provider: never contact data.' });

export const actorCountsSchema = z
  .strictObject({ object: z.literal('actor_counts'), counts: z.record(z.string(), z.record(z.string(), z.int())) })
  .meta({ id: 'ActorCounts' });

export const sessionSchema = z
  .strictObject({ token: z.string(), expires_at: timestamp })
  .meta({ id: 'Session', description: 'A member or staff session: send the token as `Authorization: Bearer <token>` or as the socket `auth.token`.' });

export const screeningAttemptSchema = z
  .strictObject({
    id,
    object: z.literal('screening_attempt'),
    vendor: z.enum(['idme', 'prove', 'veriff']),
    method: z.string(),
    outcome: z.string(),
    reference: z.string(),
    at: timestamp,
  })
  .meta({ id: 'ScreeningAttempt' });

const nullableText = z.string().nullable();
export const identityDocumentsSchema = z
  .strictObject({
    object: z.literal('identity_documents'),
    vendor: z.literal('veriff'),
    session_id: z.string(),
    decision: z
      .strictObject({
        status: z.enum(['approved', 'declined', 'resubmission_requested', 'expired', 'abandoned', 'review']),
        code: z.int().nullable().describe('Veriff’s decision code (9001 approved, 9102 declined, 9103 resubmission, 9104 expired or abandoned, 9121 review).'),
        reason: nullableText,
        reason_code: z.int().nullable().describe('Veriff’s reason code of a decline or resubmission (102: suspected document tampering, …).'),
        decided_at: nullableText,
        person: z
          .strictObject({ first_name: nullableText, last_name: nullableText, dob: nullableText })
          .nullable()
          .describe('What Veriff read from the document.'),
        document: z.strictObject({ type: nullableText, number: nullableText, country: nullableText, valid_until: nullableText }).nullable(),
      })
      .nullable()
      .describe('Null until Veriff has decided.'),
    images: z.array(
      z.strictObject({
        id: z.string(),
        context: z.string().describe('`document-front`, `document-back` or `face` (the selfie).'),
        taken_at: nullableText,
        url: z.string(),
      }),
    ),
  })
  .meta({
    id: 'IdentityDocuments',
    description: 'Veriff’s decision and photos of a seeker’s latest document check, read from Veriff when asked (trustwire keeps none of it).',
  });

export const gateSchema = z.strictObject({ allowed: z.boolean(), reason: z.string().optional() }).meta({ id: 'GateAnswer' });

export const authorizeSchema = z
  .strictObject({ authorize_url: z.string() })
  .meta({ id: 'IdmeAuthorization', description: 'Where to send the seeker’s browser.' });

export const receivedSchema = z.strictObject({ received: z.literal(true) });

export const deliverySchema = z
  .strictObject({
    id,
    object: z.literal('webhook_delivery'),
    event_id: id,
    webhook_id: id,
    webhook_url: z.string(),
    status: z.enum(['pending', 'delivered', 'failed', 'disabled', 'canceled']),
    attempts: z.array(z.strictObject({ at: timestamp, status_code: z.int().nullable(), error: z.string().nullable() })),
    next_attempt_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

export const eventDetailSchema = z
  .strictObject({
    id,
    object: z.literal('event'),
    type: z.string(),
    created_at: timestamp,
    data: z.strictObject({ object: z.looseObject({ id }) }),
    deliveries: z.array(deliverySchema),
  })
  .meta({ id: 'EventWithDeliveries', description: 'An event of the log with every delivery attempt.' });

export const demoMembersSchema = z.strictObject({
  seekers: z.array(z.looseObject({ subject: z.string(), role: z.string(), name: z.string() })),
  providers: z.array(z.looseObject({ subject: z.string(), role: z.string(), name: z.string() })),
  staff: z.array(z.looseObject({ subject: z.string(), role: z.string(), name: z.string() })),
});

export const escalationRuleSchema = z
  .strictObject({
    id,
    object: z.literal('escalation_rule'),
    package: z.string().nullable(),
    result: z.enum(['clear', 'consider']).nullable(),
    source: z.enum(['api', 'form', 'continuous_check']).nullable(),
    queue: z.string(),
    created_at: timestamp,
    created_by: by,
    deleted_at: timestamp.optional(),
    deleted_by: by.optional(),
    deleted: z.literal(true).optional(),
  })
  .meta({ id: 'EscalationRule', description: 'A completed report matching every non-null field opens a case in `queue` (B7).' });

export const erasureSchema = z
  .strictObject({
    id: id.describe('The erased seeker, provider or candidate.'),
    object: z.literal('erasure'),
    kind: z.enum(['seeker', 'provider', 'candidate']),
    erased_at: timestamp,
    erased_by: z.string().describe('`integrator`, `reviewer:<staff id>`, or `retention:<rule>` when a retention rule erased it (T4).'),
  })
  .meta({ id: 'Erasure', description: 'A data subject erased by destroying its data key (issue 16): its personal data cannot be opened any more, anywhere.' });

const heldActorSchema = z.strictObject({
  id,
  kind: z.string(),
  status: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  data: z.record(z.string(), z.unknown()).describe('Everything the actor holds, in clear (its machine context).'),
  history: z.array(historyEntrySchema),
});

export const subjectExportSchema = z
  .strictObject({
    object: z.literal('subject_export'),
    id,
    kind: z.enum(['seeker', 'provider', 'candidate']),
    exported_at: timestamp,
    view: actorViewSchema,
    subject: heldActorSchema,
    related: z.array(heldActorSchema).describe('The actors holding the subject’s data too: a member’s links, a candidate’s invitations and reports.'),
    cases: z.array(caseSchema),
    screening_attempts: z.array(screeningAttemptSchema),
    messages: z.array(notificationSchema),
  })
  .meta({ id: 'SubjectExport', description: 'Everything trustwire holds about a data subject, for an access request (issue 16).' });

export const statusLinkSchema = z
  .strictObject({ status_url: z.string(), expires_at: timestamp })
  .meta({ id: 'StatusLink', description: 'A link to the candidate’s status page (B6).' });

export const deadLetterSchema = z
  .strictObject({ id, object: z.literal('dead_letter'), kind: z.string(), actor: id, attempts: z.int(), last_error: z.string(), dead_at: timestamp })
  .meta({ id: 'DeadLetter', description: 'An outbox entry whose retries ran out.' });

export const retentionSchema = z
  .strictObject({
    object: z.literal('retention'),
    rules: z.array(
      z.strictObject({
        rule: z.enum(RETENTION_RULES),
        period_ms: z.int().nullable().describe('The configured period (`RETENTION`); null: the rule is not configured and erases nothing.'),
        scheduled: z.int().describe('Subjects whose erasure this rule has scheduled.'),
        due_within_30_days: z.int(),
        next_due_at: timestamp.nullable().describe('The first scheduled erasure; in the past, erasures are late.'),
      }),
    ),
  })
  .meta({ id: 'Retention', description: 'The retention rules and the erasures they have scheduled (T4).' });

/** The list envelope of API.md: a page of `item` with the total and links to its neighbours. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    object: z.literal('list'),
    count: z.int().min(0).describe('How many there are in all, not on this page.'),
    next_href: z.string().nullable(),
    previous_href: z.string().nullable(),
  });
