import { escapeHtml, page } from '../html.ts';

/**
 * Every error code the API answers, what it means and what to do about it: the page at
 * `GET /docs/errors`, which each error body links to (`docs`, at the code's anchor).
 */
export const ERROR_CODES: Record<string, { status: number; means: string }> = {
  invalid_request: {
    status: 400,
    means:
      'The request could not be taken as sent: `details.fields` names each field and what is wrong with it (a missing field, a wrong type, an unknown key on trustwire’s own endpoints, malformed JSON).',
  },
  unauthorized: {
    status: 401,
    means:
      'No credentials, or ones that are wrong or expired. Send the API key as `Authorization: Basic base64("<key>:")` (or `Bearer <key>`), or a session token as `Bearer <token>`.',
  },
  forbidden: { status: 403, means: 'Your role may not do this (R1, R2): members act on their own actors, staff work cases, the integrator may do everything.' },
  not_found: { status: 404, means: 'No such actor, resource or route, or one your role may not know of.' },
  method_not_allowed: { status: 405, means: 'The path exists, but not for this method: the `Allow` header lists those it takes.' },
  invalid_transition: {
    status: 409,
    means: 'The actor’s current state does not take this event (or it would change nothing): `details.allowed` lists the events it takes now.',
  },
  version_conflict: { status: 409, means: 'You sent `expected_version` and the actor has moved on: read it again, then decide.' },
  link_exists: { status: 409, means: 'This seeker already has an open link with this provider: `details.link` names it.' },
  duplicate_report: { status: 409, means: 'A report for this candidate and package is already running.' },
  idempotency_in_progress: { status: 409, means: 'A request with this `Idempotency-Key` is still being processed: retry in a moment for its answer.' },
  erased: {
    status: 410,
    means:
      'The seeker, provider or candidate was erased (its data key destroyed): nothing about them can be read or changed any more. `details` says when and by whom.',
  },
  idempotency_key_reused: { status: 422, means: 'This `Idempotency-Key` was used for a different request body: use a new key per request.' },
  payload_too_large: { status: 413, means: 'The body is larger than the limit (1 MB unless `BODY_LIMIT` says otherwise), or a form has too many parameters.' },
  unsupported_media_type: { status: 415, means: 'Send the body as UTF-8 JSON or a form, uncompressed.' },
  rate_limited: { status: 429, means: 'Too many requests in the window: wait for the time `Retry-After` gives.' },
  monitoring_limit_reached: { status: 422, means: 'A seeker monitors or asks to monitor at most 3 providers at once (C6): one must end first.' },
  plan_not_eligible: { status: 422, means: 'Continuous monitoring comes with the Complete plan.' },
  feature_not_enabled: { status: 422, means: 'This seeker is outside the continuous-monitoring rollout (`CBGC_ROLLOUT`, `CBGC_ALLOWLIST`).' },
  identity_verification_required: { status: 422, means: 'The seeker’s identity verification must pass first (I6): `details.idv_status` says where it stands.' },
  legal_info_locked: { status: 422, means: 'Legal information is locked once submitted; nobody can change it (I3).' },
  blocklisted: { status: 422, means: 'This identity failed verification before and cannot be verified on this marketplace (I7).' },
  age_below_minimum: { status: 422, means: 'The person must be at least 18.' },
  provider_unavailable: { status: 422, means: 'The provider’s account is closed: the request cannot be sent.' },
  refund_not_applicable: { status: 422, means: 'No refund applies for this reason to this seeker, or it was recorded already (I13).' },
  webhook_limit_reached: { status: 422, means: 'At most 2 webhook subscriptions: delete one first.' },
  internal_error: { status: 500, means: 'Something went wrong on trustwire’s side; nothing was changed. The request can be retried.' },
  vendor_unavailable: { status: 502, means: 'A vendor this answer needs could not be reached: retry in a moment.' },
  store_unavailable: { status: 503, means: 'The store cannot be reached right now: nothing was changed, retry in a moment.' },
};

/** Where an error code is explained, under the server's public URL. */
export const errorDocs = (self: string, code: string) => `${self}/docs/errors${code in ERROR_CODES ? `#${code}` : ''}`;

/** `**` and backticks of the explanations as HTML. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export function errorCodesPage(): string {
  const rows = Object.entries(ERROR_CODES)
    .map(([code, { status, means }]) => `<dt id="${code}"><code>${code}</code> <span class="hint">${status}</span></dt><dd>${inline(means)}</dd>`)
    .join('\n');
  return page(
    'API error codes',
    `<h1>API error codes</h1>
<p>Every error answers <code>{ "error", "code", "details", "docs" }</code>: <code>error</code> says what went wrong in words, <code>code</code> is one of these and stays stable, <code>details</code> carries the facts (the fields of an invalid request, say), and <code>docs</code> links here. The <a href="/docs">API reference</a> lists which codes each route answers.</p>
<dl class="codes">
${rows}
</dl>`,
  );
}
