import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { log } from '../../log.ts';
import { sameSecret as same } from '../sandbox-clients.ts';
import { type DecisionStatus, sign, verifySignature } from './adapter.ts';
import { notFoundPage, sessionPage } from './page.ts';

/**
 * Veriff's document + selfie contract (VENDORS.md "Veriff (document + selfie)"), served in memory
 * for development and tests. Mount it at `/sandbox/veriff`. Sessions live in memory only, so no
 * personal data reaches the disk; their images are kept there too, for a reviewer to see through
 * Veriff's media API (`GET /v1/sessions/:id/media`, `GET /v1/media/:id`).
 *
 * - `GET /session/:id` is the hosted page (a session's `url`). It uploads with the session's
 *   `X-SESSION-TOKEN` instead of the API key and submits unauthenticated (API.md "Sandbox").
 * - The person's last name at creation decides (API.md "Sandbox"): `Declined`, `Review`,
 *   `Expired` give that decision, `Resubmit` asks for new photos on the first attempt and is
 *   approved on the next, anything else is approved.
 * - Webhooks are signed with `sharedSecret`; a refused one is retried after each of
 *   WEBHOOK_DELAYS_MS (the vendor retries hourly for a week).
 */
export interface VeriffSandboxOptions {
  apiKey: string;
  sharedSecret: string;
  /** Functions: the server learns its own port only once it listens. */
  decisionWebhookUrl: () => string;
  eventWebhookUrl: () => string;
  /** The integration's registered callbacks (URLs or paths): a session's `callback` must be one of them. */
  callbacks: string[];
  /** Time from submission to the decision webhook. */
  decisionDelayMs?: number;
}

const DEFAULT_DECISION_DELAY_MS = 1_000;
const WEBHOOK_DELAYS_MS = [0, 1_000, 5_000, 30_000];
const WEBHOOK_TIMEOUT_MS = 10_000;
/** Veriff's session life (unconfirmed); older sessions are forgotten. */
const SESSION_TTL_MS = 7 * 24 * 3_600_000;
const BODY_LIMIT = '16kb';
/** The page sends re-encoded JPEGs well under this; base64 adds a third. */
const MEDIA_LIMIT = '12mb';
const MAX_VENDOR_DATA = 1000;
const MAX_TEXT = 200;
const CONTEXTS = new Set(['face', 'document-front', 'document-back']);
const REQUIRED_CONTEXTS = ['face', 'document-front'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const DATA_URL_PREFIX = /^data:image\/[\w.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Veriff's troubleshooting and authorization codes, where one fits; else the HTTP status. */
const CODE = {
  missingParameters: 1102,
  invalidParameters: 1104,
  invalidTimestamp: 1202,
  invalidDate: 1203,
  invalidStatus: 1303,
  cannotTransition: 1304,
  imageNotFound: 1400,
  imageNotBase64: 1401,
  imageContext: 1402,
  imageMissing: 1403,
  vendorDataTooLong: 1500,
  vendorDataNotText: 1501,
  apiKeyMissing: 1801,
  apiKeyUnknown: 1803,
  signatureMalformed: 1812,
  querySignatureMismatch: 1818,
  bodySignatureMismatch: 1819,
} as const;

interface Outcome {
  status: DecisionStatus;
  code: number;
  reason: string | null;
  reasonCode: number | null;
}

const APPROVED: Outcome = { status: 'approved', code: 9001, reason: null, reasonCode: null };
const RESUBMIT: Outcome = { status: 'resubmission_requested', code: 9103, reason: 'Poor image quality', reasonCode: null };
/** The legal last names that decide (`Resubmit` too, below); anything else is approved. */
export const VERIFF_TEST_LAST_NAMES = ['Declined', 'Review', 'Resubmit', 'Expired'];
/** By folded last name; a Map, so that names like `constructor` find nothing. */
const OUTCOMES = new Map<string, Outcome>([
  ['declined', { status: 'declined', code: 9102, reason: 'Suspected document tampering', reasonCode: 102 }],
  ['review', { status: 'review', code: 9121, reason: null, reasonCode: null }],
  ['expired', { status: 'expired', code: 9104, reason: null, reasonCode: null }],
]);

/** One uploaded image, as Veriff's media API lists it. */
interface Image {
  id: string;
  context: string;
  timestamp: string;
  mimetype: string;
  content: Buffer;
}

interface Attempt {
  id: string;
  /** context → the latest image of that context. */
  media: Map<string, Image>;
  started: boolean;
  submittedAt?: string;
  decision?: DecisionStatus;
}

interface Session {
  id: string;
  sessionToken: string;
  createdAt: number;
  vendorData: string | null;
  endUserId: string | null;
  callback?: string;
  person: { firstName: string | null; lastName: string | null; dateOfBirth: string | null };
  document: { type: string; number: string; country: string; validUntil: string };
  attempts: Attempt[];
  /** The latest decision body, as `GET …/decision` answers it. */
  decision?: Json;
}

type Json = Record<string, unknown>;
/** Requests whose JSON body was kept raw too, for its signature. */
type RawRequest = Request & { rawBody?: Buffer };

class VeriffFault extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function sendFault(res: Response, fault: VeriffFault): void {
  res.status(fault.status).json({ status: 'fail', code: fault.code, message: fault.message });
}

function bodyOf(req: Request, field: string): Json {
  const body: unknown = req.body;
  const value = isRecord(body) ? body[field] : undefined;
  if (!isRecord(value)) throw new VeriffFault(400, CODE.missingParameters, `${field} is required`);
  return value;
}

/** An optional string field: absent (or null), or a string of at most `max` characters. */
function optionalText(body: Json, field: string, max = MAX_TEXT): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) throw new VeriffFault(400, CODE.invalidParameters, `${field} is invalid`);
  return value.trim() || null;
}

function vendorDataOf(verification: Json): string | null {
  const value = verification.vendorData;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new VeriffFault(400, CODE.vendorDataNotText, 'vendorData must be a string');
  if (value.length > MAX_VENDOR_DATA) {
    throw new VeriffFault(400, CODE.vendorDataTooLong, `vendorData cannot be more than ${MAX_VENDOR_DATA} characters`);
  }
  return value;
}

function personOf(verification: Json): Session['person'] {
  const person = verification.person ?? {};
  if (!isRecord(person)) throw new VeriffFault(400, CODE.invalidParameters, 'person must be an object');
  const dateOfBirth = optionalText(person, 'dateOfBirth');
  if (dateOfBirth !== null && (!DATE.test(dateOfBirth) || Number.isNaN(Date.parse(dateOfBirth)))) {
    throw new VeriffFault(400, CODE.invalidDate, 'person.dateOfBirth must be a date YYYY-MM-DD');
  }
  return { firstName: optionalText(person, 'firstName'), lastName: optionalText(person, 'lastName'), dateOfBirth };
}

/** The page redirects the browser there, so only a registered callback is taken (no open redirect). */
function callbackOf(verification: Json, registered: string[]): string | undefined {
  const callback = optionalText(verification, 'callback', 2_000);
  if (callback === null) return undefined;
  if (!registered.includes(callback)) throw new VeriffFault(400, CODE.invalidParameters, 'callback is not a registered callback URL');
  return callback;
}

/** The image of a media upload, checked. */
function imageOf(body: unknown): Image {
  const image = isRecord(body) ? body.image : undefined;
  if (!isRecord(image)) throw new VeriffFault(400, CODE.imageMissing, 'image is required');
  if (typeof image.context !== 'string' || !CONTEXTS.has(image.context)) {
    throw new VeriffFault(400, CODE.imageContext, 'image.context must be face, document-front or document-back');
  }
  if (typeof image.content !== 'string' || image.content === '') throw new VeriffFault(400, CODE.imageNotFound, 'image.content is required');
  const base64 = image.content.replace(DATA_URL_PREFIX, '');
  if (!BASE64.test(base64) || base64.length % 4 === 1) throw new VeriffFault(400, CODE.imageNotBase64, 'image.content is not valid base64');
  const timestamp = image.timestamp ?? new Date().toISOString();
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
    throw new VeriffFault(400, CODE.invalidTimestamp, 'image.timestamp must be an ISO 8601 time');
  }
  const content = Buffer.from(base64, 'base64');
  return { id: randomUUID(), context: image.context, timestamp, mimetype: mimetypeOf(content), content };
}

/** By the first bytes: what the hosted page sends is JPEG; PNG is taken too. */
function mimetypeOf(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xd8) return 'image/jpeg';
  if (content.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'image/png';
  return 'application/octet-stream';
}

/** A sandbox driving licence, valid for five more years. */
function testDocument(): Session['document'] {
  const validUntil = new Date();
  validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 5);
  return { type: 'DRIVERS_LICENSE', number: `SBX${randomInt(1_000_000, 10_000_000)}`, country: 'US', validUntil: validUntil.toISOString().slice(0, 10) };
}

/** The attempt's decision: the last name decides; `Resubmit` passes once asked again. */
function outcomeOf(session: Session, attempt: Attempt): Outcome {
  const name = session.person.lastName?.toLowerCase() ?? '';
  if (name === 'resubmit') return session.attempts[0] === attempt ? RESUBMIT : APPROVED;
  return OUTCOMES.get(name) ?? APPROVED;
}

/** setTimeout that never keeps the process alive: pending webhooks die with it. */
function later(ms: number, run: () => void): void {
  setTimeout(run, ms).unref();
}

export function veriffSandbox(options: VeriffSandboxOptions): express.Router {
  const decisionDelayMs = options.decisionDelayMs ?? DEFAULT_DECISION_DELAY_MS;
  const sessions = new Map<string, Session>();

  const pruneExpired = () => {
    const cutoff = Date.now() - SESSION_TTL_MS;
    for (const [id, session] of sessions) if (session.createdAt < cutoff) sessions.delete(id);
  };

  const sessionOf = (req: Request<Record<string, string>>): Session => {
    const session = sessions.get(req.params.id);
    if (!session) throw new VeriffFault(404, 404, 'session not found');
    return session;
  };

  /** The attempt in progress; none once its photos were asked for again. */
  const inProgress = (session: Session): Attempt | undefined => {
    const attempt = session.attempts.at(-1)!;
    return attempt.decision === 'resubmission_requested' ? undefined : attempt;
  };

  /** The attempt in progress, or a new one after a resubmission request. */
  const openAttempt = (session: Session): Attempt => {
    const existing = inProgress(session);
    if (existing) return existing;
    const attempt: Attempt = { id: randomUUID(), media: new Map(), started: false };
    session.attempts.push(attempt);
    return attempt;
  };

  /** One signed POST; a refusal or failure is retried after the next delay. Logs ids only. */
  const deliver = (kind: 'decision' | 'event', sessionId: string, payload: Json, attempt = 0) => {
    const body = JSON.stringify(payload);
    later(WEBHOOK_DELAYS_MS[attempt], async () => {
      let status = 0;
      try {
        const url = kind === 'decision' ? options.decisionWebhookUrl() : options.eventWebhookUrl();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-auth-client': options.apiKey, 'x-hmac-signature': sign(body, options.sharedSecret) },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        status = res.status;
        await res.body?.cancel();
        if (res.ok) return;
        log.warn({ session: sessionId, kind, attempt, status }, 'veriff sandbox webhook refused');
      } catch (err) {
        // The webhook URL may embed a secret, so only the error's name is logged.
        log.warn({ session: sessionId, kind, attempt, error: (err as Error).name }, 'veriff sandbox webhook failed');
      }
      if (attempt + 1 < WEBHOOK_DELAYS_MS.length) deliver(kind, sessionId, payload, attempt + 1);
    });
  };

  const sendEvent = (session: Session, attempt: Attempt, action: 'started' | 'submitted') => {
    deliver('event', session.id, {
      id: session.id,
      attemptId: attempt.id,
      feature: 'selfid',
      code: action === 'started' ? 7001 : 7002,
      action,
      vendorData: session.vendorData,
      endUserId: session.endUserId,
    });
  };

  const decide = (session: Session, attempt: Attempt, ip: string) => {
    const outcome = outcomeOf(session, attempt);
    attempt.decision = outcome.status;
    session.decision = {
      status: 'success',
      verification: {
        id: session.id,
        attemptId: attempt.id,
        vendorData: session.vendorData,
        endUserId: session.endUserId,
        status: outcome.status,
        code: outcome.code,
        reason: outcome.reason,
        reasonCode: outcome.reasonCode,
        decisionTime: new Date().toISOString(),
        acceptanceTime: attempt.submittedAt,
        person: session.person,
        document: session.document,
        riskLabels: [],
      },
      technicalData: { ip },
    };
    deliver('decision', session.id, session.decision);
  };

  // ── Authentication ────────────────────────────────────────────────────────────────────────

  const checkClient = (req: Request, required: boolean) => {
    const given = req.get('x-auth-client');
    if (given === undefined && !required) return;
    if (!given) throw new VeriffFault(401, CODE.apiKeyMissing, 'X-AUTH-CLIENT header with the API key is missing');
    if (!same(given, options.apiKey)) throw new VeriffFault(401, CODE.apiKeyUnknown, 'no integration has this API key');
  };

  /** `payload` is what was signed: the raw body, or the session id for a GET. */
  const checkSignature = (req: Request, payload: Buffer, required: boolean, mismatch: number) => {
    const given = req.get('x-hmac-signature');
    if (given === undefined && !required) return;
    if (!given || !HEX_SHA256.test(given)) throw new VeriffFault(401, CODE.signatureMalformed, 'X-HMAC-SIGNATURE is not a valid SHA256 hash');
    if (!verifySignature(payload, given, [options.sharedSecret])) throw new VeriffFault(401, mismatch, 'X-HMAC-SIGNATURE does not match');
  };

  const rawBodyOf = (req: RawRequest) => req.rawBody ?? Buffer.alloc(0);

  const keepRaw = (req: Request, _res: unknown, buf: Buffer) => {
    (req as RawRequest).rawBody = buf;
  };
  const json = express.json({ limit: BODY_LIMIT, verify: keepRaw });
  const mediaJson = express.json({ limit: MEDIA_LIMIT, verify: keepRaw });

  // ── Routes ────────────────────────────────────────────────────────────────────────────────

  const router = express.Router();

  router.post('/v1/sessions', json, (req: RawRequest, res) => {
    checkClient(req, true);
    // Optional on create, but a present signature must match.
    checkSignature(req, rawBodyOf(req), false, CODE.bodySignatureMismatch);
    const verification = bodyOf(req, 'verification');
    const session: Session = {
      id: randomUUID(),
      sessionToken: randomBytes(32).toString('base64url'),
      createdAt: Date.now(),
      vendorData: vendorDataOf(verification),
      endUserId: optionalText(verification, 'endUserId'),
      callback: callbackOf(verification, options.callbacks),
      person: personOf(verification),
      document: testDocument(),
      attempts: [{ id: randomUUID(), media: new Map(), started: false }],
    };
    pruneExpired();
    sessions.set(session.id, session);
    res.status(201).json({
      status: 'success',
      verification: {
        id: session.id,
        // A path on this server: the caller may not know the public origin (API.md allows it).
        url: `${req.baseUrl}/session/${session.id}`,
        vendorData: session.vendorData,
        host: `${req.protocol}://${req.get('host')}`,
        status: 'created',
        sessionToken: session.sessionToken,
      },
    });
  });

  router.post('/v1/sessions/:id/media', mediaJson, (req: RawRequest & Request<Record<string, string>>, res) => {
    const session = sessionOf(req);
    // The hosted page carries the session's token instead of the API key.
    const token = req.get('x-session-token');
    if (req.get('x-auth-client') !== undefined || token === undefined) checkClient(req, true);
    else if (!same(token, session.sessionToken)) throw new VeriffFault(401, CODE.apiKeyUnknown, 'X-SESSION-TOKEN does not match the session');
    checkSignature(req, rawBodyOf(req), false, CODE.bodySignatureMismatch);
    const image = imageOf(req.body);
    const attempt = openAttempt(session);
    if (attempt.submittedAt) throw new VeriffFault(409, 409, 'the session is already submitted: no more media');
    attempt.media.set(image.context, image);
    res.json({ status: 'success', image: { id: image.id, context: image.context, timestamp: image.timestamp } });
  });

  // Veriff's media API: the images of a session (signed with the session id), and one image's
  // bytes (signed with its id), for the integrator's reviewers.
  router.get('/v1/sessions/:id/media', (req: Request<Record<string, string>>, res) => {
    checkClient(req, true);
    const session = sessionOf(req);
    checkSignature(req, Buffer.from(session.id), true, CODE.querySignatureMismatch);
    const images = session.attempts.flatMap((attempt) => [...attempt.media.values()].map((image) => ({ image, attempt })));
    res.json({
      status: 'success',
      videos: [],
      images: images.map(({ image, attempt }) => ({
        id: image.id,
        name: image.context,
        context: image.context,
        url: `${req.baseUrl}/v1/media/${image.id}`,
        sessionId: session.id,
        attemptId: attempt.id,
        timestamp: image.timestamp,
        size: image.content.length,
        mimetype: image.mimetype,
      })),
    });
  });

  router.get('/v1/media/:id', (req: Request<Record<string, string>>, res) => {
    checkClient(req, true);
    checkSignature(req, Buffer.from(req.params.id), true, CODE.querySignatureMismatch);
    const image = [...sessions.values()].flatMap((s) => s.attempts.flatMap((a) => [...a.media.values()])).find((i) => i.id === req.params.id);
    if (!image) throw new VeriffFault(404, 404, 'media not found');
    res.set('cache-control', 'no-store').type(image.mimetype).send(image.content);
  });

  // Unauthenticated, as from the sandbox's own page (API.md); credentials sent must still be right.
  router.patch('/v1/sessions/:id', json, (req: RawRequest & Request<Record<string, string>>, res) => {
    const session = sessionOf(req);
    checkClient(req, false);
    checkSignature(req, rawBodyOf(req), false, CODE.bodySignatureMismatch);
    if (bodyOf(req, 'verification').status !== 'submitted') throw new VeriffFault(400, CODE.invalidStatus, 'verification.status must be submitted');
    const attempt = inProgress(session);
    if (attempt?.submittedAt) throw new VeriffFault(409, CODE.cannotTransition, 'Cannot transition to "submitted" status: already submitted');
    const missing = REQUIRED_CONTEXTS.filter((context) => !attempt?.media.has(context));
    if (!attempt || missing.length > 0) {
      throw new VeriffFault(400, CODE.imageNotFound, `submitting needs a face and a document-front image; missing: ${missing.join(', ')}`);
    }
    attempt.submittedAt = new Date().toISOString();
    res.json({ status: 'success', verification: { id: session.id, status: 'submitted' } });
    sendEvent(session, attempt, 'submitted');
    const ip = req.ip ?? '';
    later(decisionDelayMs, () => decide(session, attempt, ip));
  });

  router.get('/v1/sessions/:id/decision', (req: Request<Record<string, string>>, res) => {
    checkClient(req, true);
    const session = sessionOf(req);
    checkSignature(req, Buffer.from(session.id), true, CODE.querySignatureMismatch);
    res.json(session.decision ?? { status: 'success', verification: null });
  });

  router.get('/session/:id', (req: Request<Record<string, string>>, res) => {
    const nonce = randomBytes(16).toString('base64');
    res.set({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    });
    const session = sessions.get(req.params.id);
    if (!session) {
      res.status(404).type('html').send(notFoundPage(nonce));
      return;
    }
    const attempt = openAttempt(session);
    if (!attempt.started && !attempt.submittedAt) {
      attempt.started = true;
      sendEvent(session, attempt, 'started');
    }
    const base = `${req.baseUrl}/v1/sessions/${encodeURIComponent(session.id)}`;
    res.type('html').send(
      sessionPage(
        {
          sessionToken: session.sessionToken,
          mediaUrl: `${base}/media`,
          submitUrl: base,
          ...(session.callback && { callback: session.callback }),
          // A later attempt exists only because the photos were asked for again.
          state: attempt.submittedAt ? 'done' : session.attempts.length > 1 ? 'resubmit' : 'capture',
        },
        nonce,
      ),
    );
  });

  // Four parameters mark an error handler for express.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof VeriffFault) return sendFault(res, err);
    // body-parser's errors carry a 4xx status: bad JSON, too large, bad charset.
    const status = (err as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendFault(res, new VeriffFault(status, CODE.invalidParameters, status === 413 ? 'request body too large' : 'malformed request body'));
    }
    log.error({ error: (err as Error | undefined)?.name }, 'veriff sandbox request failed');
    sendFault(res, new VeriffFault(500, 500, 'internal error'));
  });

  return router;
}
