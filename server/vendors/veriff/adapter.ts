import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord, isRetryable, isText, VendorError } from '../shared.ts';

/**
 * Client of Veriff's document + selfie contract (VENDORS.md "Veriff (document + selfie)"). A
 * session is created here; the person takes the photos on the session's hosted page; the decision
 * arrives by signed webhook (parseDecision) and can be re-read with `decision`.
 */

export interface VeriffConfig {
  /** Absolute; `/v1/…` is resolved under it. */
  baseUrl: string;
  apiKey: string;
  /** The first signs our requests; incoming signatures may match any (secrets rotate). */
  sharedSecrets: string[];
  timeoutMs?: number;
}

export interface CreateSessionInput {
  /** `fullAddress`: the address on one line, as Veriff takes it (`person.addresses[{fullAddress}]`). */
  person: { firstName: string; lastName: string; dateOfBirth?: string; fullAddress?: string };
  /** Echoed in every webhook; non-semantic ids only (Veriff's rule), at most 1000 characters. */
  vendorData: string;
  endUserId?: string;
  /** Where the person's browser goes afterwards; not the webhook. */
  callback?: string;
}

export interface VeriffSession {
  id: string;
  url: string;
  sessionToken: string;
  status: 'created';
}

export type DecisionStatus = 'approved' | 'declined' | 'resubmission_requested' | 'expired' | 'abandoned' | 'review';

export interface VeriffDecision {
  sessionId: string;
  attemptId: string;
  vendorData: string | null;
  status: DecisionStatus;
  code: number | null;
  reason: string | null;
  reasonCode: number | null;
  decisionTime: string | null;
  /** What Veriff read from the document (null fields where it read nothing). */
  person: { firstName: string | null; lastName: string | null; dateOfBirth: string | null } | null;
  document: { type: string | null; number: string | null; country: string | null; validUntil: string | null } | null;
}

/** One image of a session, as Veriff's media API lists it (`context`: `face`, `document-front`, `document-back`). */
export interface VeriffImage {
  id: string;
  context: string;
  timestamp: string | null;
  mimetype: string | null;
}

export interface VeriffEvent {
  sessionId: string;
  attemptId: string;
  code: number | null;
  action: 'started' | 'submitted' | (string & {});
  vendorData: string | null;
}

/** A failed Veriff call: `code` is `invalid_response` (a 2xx we cannot read, as 502), the HTTP status, or `timeout` / `network`. */
export class VeriffError extends VendorError {
  override readonly name = 'VeriffError';

  constructor(status: number, code: string, operation: string) {
    super('Veriff', status, code, operation);
  }
}

export { isRetryable };

const TIMEOUT_MS = 10_000;
const DECISION_STATUSES: readonly DecisionStatus[] = ['approved', 'declined', 'resubmission_requested', 'expired', 'abandoned', 'review'];
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

const textOrNull = (v: unknown): string | null => (isText(v) ? v : null);
/** Codes are numbers on the wire; a numeric string is taken too. */
const codeOf = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : null;
};

export class VeriffClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: VeriffConfig) {
    if (!isText(config.sharedSecrets[0])) throw new Error('Veriff needs a shared secret to sign requests');
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? TIMEOUT_MS;
  }

  async createSession(input: CreateSessionInput): Promise<VeriffSession> {
    const { firstName, lastName, dateOfBirth, fullAddress } = input.person;
    const body = JSON.stringify({
      verification: {
        ...(input.callback !== undefined && { callback: input.callback }),
        person: { firstName, lastName, ...(dateOfBirth !== undefined && { dateOfBirth }), ...(fullAddress !== undefined && { addresses: [{ fullAddress }] }) },
        vendorData: input.vendorData,
        ...(input.endUserId !== undefined && { endUserId: input.endUserId }),
      },
    });
    const answer = await this.send('create session', 'POST', '/v1/sessions', body, body);
    const v = isRecord(answer) && answer.status === 'success' ? answer.verification : undefined;
    if (!isRecord(v) || !isText(v.id) || !isText(v.url) || !isText(v.sessionToken) || v.status !== 'created') {
      throw invalid('create session');
    }
    return { id: v.id, url: v.url, sessionToken: v.sessionToken, status: 'created' };
  }

  /** The session's latest decision, or null while Veriff has none (`verification: null`). */
  async decision(sessionId: string): Promise<VeriffDecision | null> {
    const path = `/v1/sessions/${encodeURIComponent(sessionId)}/decision`;
    // A GET signs the session id: it has no body.
    const answer = await this.send('get decision', 'GET', path, sessionId);
    if (isRecord(answer) && answer.status === 'success' && answer.verification === null) return null;
    const decision = parseDecision(answer);
    if (!decision || decision.sessionId !== sessionId) throw invalid('get decision');
    return decision;
  }

  /** The images of a session, every attempt's (`GET /v1/sessions/{id}/media`, signed with the session id). */
  async media(sessionId: string): Promise<VeriffImage[]> {
    const answer = await this.send('list media', 'GET', `/v1/sessions/${encodeURIComponent(sessionId)}/media`, sessionId);
    if (!isRecord(answer) || answer.status !== 'success' || !Array.isArray(answer.images)) throw invalid('list media');
    return answer.images
      .filter((i): i is Record<string, unknown> => isRecord(i) && isText(i.id) && isText(i.context))
      .map((i) => ({ id: i.id as string, context: i.context as string, timestamp: textOrNull(i.timestamp), mimetype: textOrNull(i.mimetype) }));
  }

  /** One image's bytes (`GET /v1/media/{id}`, signed with the media id). */
  async mediaContent(mediaId: string): Promise<{ type: string; content: Buffer }> {
    const answer = await this.call('get media', 'GET', `/v1/media/${encodeURIComponent(mediaId)}`, mediaId);
    if (!/^image\//.test(answer.type)) throw invalid('get media');
    return { type: answer.type, content: answer.content };
  }

  private async send(operation: string, method: string, path: string, signed: string, body?: string): Promise<unknown> {
    return parseJson((await this.call(operation, method, path, signed, body)).content.toString('utf8'));
  }

  /** Sends and reads the whole answer under one timeout, so a stalled body cannot hang us. */
  private async call(operation: string, method: string, path: string, signed: string, body?: string): Promise<{ type: string; content: Buffer }> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-auth-client': this.config.apiKey,
      'x-hmac-signature': sign(signed, this.config.sharedSecrets[0]),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let answer: { type: string; content: Buffer };
    try {
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      status = res.status;
      answer = { type: res.headers.get('content-type') ?? '', content: Buffer.from(await res.arrayBuffer()) };
    } catch (err) {
      const code = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network';
      throw new VeriffError(0, code, operation);
    }
    if (status < 200 || status > 299) throw new VeriffError(status, String(status), operation);
    return answer;
  }
}

const invalid = (operation: string) => new VeriffError(502, 'invalid_response', operation);

/** undefined when the body is empty or not JSON (error pages, proxies). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Veriff's `X-HMAC-SIGNATURE`: lowercase hex HMAC-SHA256 of the raw body (or the session id). */
export function sign(payload: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Whether `signature` is the HMAC of the exact raw body under any of the (rotating) secrets. */
export function verifySignature(rawBody: Buffer, signature: string | undefined, secrets: string[]): boolean {
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature)) return false;
  const given = Buffer.from(signature, 'hex');
  // An empty secret would make anyone's HMAC valid: it never verifies.
  return secrets.some((secret) => isText(secret) && timingSafeEqual(given, Buffer.from(sign(rawBody, secret), 'hex')));
}

/** A decision webhook (or decision answer); anything else, or an unknown status, is undefined. */
export function parseDecision(body: unknown): VeriffDecision | undefined {
  if (!isRecord(body) || !isRecord(body.verification)) return undefined;
  const v = body.verification;
  // Keyed on the status string: codes are not one-to-one (9104 is both expired and abandoned).
  const status = DECISION_STATUSES.find((s) => typeof v.status === 'string' && v.status.toLowerCase() === s);
  if (!status || !isText(v.id) || !isText(v.attemptId)) return undefined;
  return {
    sessionId: v.id,
    attemptId: v.attemptId,
    vendorData: textOrNull(v.vendorData),
    status,
    code: codeOf(v.code),
    reason: textOrNull(v.reason),
    reasonCode: codeOf(v.reasonCode),
    decisionTime: textOrNull(v.decisionTime),
    person: isRecord(v.person)
      ? { firstName: textOrNull(v.person.firstName), lastName: textOrNull(v.person.lastName), dateOfBirth: textOrNull(v.person.dateOfBirth) }
      : null,
    document: isRecord(v.document)
      ? {
          type: textOrNull(v.document.type),
          number: textOrNull(v.document.number),
          country: textOrNull(v.document.country),
          validUntil: textOrNull(v.document.validUntil),
        }
      : null,
  };
}

/** An event webhook (`started`, `submitted`, …); anything else is undefined. */
export function parseEvent(body: unknown): VeriffEvent | undefined {
  if (!isRecord(body) || !isText(body.id) || !isText(body.attemptId) || !isText(body.action)) return undefined;
  return {
    sessionId: body.id,
    attemptId: body.attemptId,
    code: codeOf(body.code),
    action: body.action,
    vendorData: textOrNull(body.vendorData),
  };
}
