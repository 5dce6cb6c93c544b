import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import type { Request, Response, NextFunction } from 'express';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { log } from '../../log.ts';

/**
 * Sandbox of Sterling's screening contract (VENDORS.md "Sterling (screening)"), mounted at
 * /sandbox/sterling. Any non-empty client credentials are accepted. `POST /alerts` (ours, API
 * key) plays the vendor's monitoring finding a record for an enrolled provider.
 */

interface Candidate {
  id: string;
  clientReferenceId: string;
  givenName: string;
  familyName: string;
  email: string;
  dob?: string;
  ssn?: string;
  address?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface ReportItem {
  id: string;
  type: string;
  status: string;
  result: string;
  updatedAt: string;
}

interface Screening {
  id: string;
  packageId: string;
  candidateId: string;
  status: string;
  result: string;
  reportItems: ReportItem[];
  callback?: { uri: string };
  invite?: { method: string };
  subscriptionId?: string;
  createdAt: string;
  updatedAt: string;
}

interface Subscription {
  id: string;
  candidateId: string;
  packageId: string;
  interval: string;
  callback: { uri: string };
  status: 'active' | 'cancelled';
  createdAt: string;
  updatedAt: string;
}

interface SandboxData {
  candidates: Record<string, Candidate>;
  screenings: Record<string, Screening>;
  subscriptions: Record<string, Subscription>;
  /** `<scope>|<Idempotency-Key>` → the first 2xx response. */
  idempotency: Record<string, Reply>;
}

interface Reply {
  status: number;
  body: unknown;
}

const TOKEN_TTL_S = 3600;
const PACKAGES = [
  { id: 'continuous-monitoring', title: 'Continuous criminal monitoring', type: 'monitoring' },
  { id: 'standard-criminal', title: 'Standard criminal screening', type: 'screening' },
];
/** Delays before each callback attempt: the vendor retries every 15 min, a sandbox need not. */
const CALLBACK_DELAYS_MS = [0, 1_000, 5_000, 30_000];

class SterlingFault extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function requireText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (!isText(value)) throw new SterlingFault(400, `400#${field}`, `${field} is required`);
  return value;
}

function requireUri(value: unknown, field: string): string {
  if (isText(value) && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return value;
  throw new SterlingFault(400, `400#${field}`, `${field} must be an absolute http(s) URL`);
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SterlingFault(400, '400#body', 'a JSON object body is required');
  }
  return body as Record<string, unknown>;
}

function sendFault(res: Response, fault: SterlingFault): void {
  res.status(fault.status).json({ errors: [{ code: fault.code, message: fault.message }] });
}

export async function sterlingSandbox(opts: {
  dataFile: string;
  requireApiKey: express.RequestHandler;
}): Promise<express.Router> {
  await mkdir(dirname(opts.dataFile), { recursive: true });
  const db = new Low<SandboxData>(new JSONFile(opts.dataFile), {
    candidates: {},
    screenings: {},
    subscriptions: {},
    idempotency: {},
  });
  await db.read();
  const data = db.data;

  // Tokens live in memory only: after a restart clients get 401 and fetch a new one, as they
  // must when a real token is revoked.
  const tokens = new Map<string, number>();

  const router = express.Router();
  router.use(express.json(), express.urlencoded({ extended: false }));

  router.post('/oauth', (req, res) => {
    const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
    const decoded = scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64').toString() : '';
    const colon = decoded.indexOf(':');
    if (colon < 1 || colon === decoded.length - 1) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    if (req.body?.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    const now = Date.now();
    for (const [token, expiresAt] of tokens) if (expiresAt <= now) tokens.delete(token);
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now + TOKEN_TTL_S * 1000);
    // The vendor sends expires_in as a string; clients must cope, so the sandbox does too.
    res.json({ access_token: token, token_type: 'Bearer', expires_in: String(TOKEN_TTL_S) });
  });

  router.use('/v2', (req, res, next) => {
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    const expiresAt = match ? tokens.get(match[1]) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      sendFault(res, new SterlingFault(401, '401', 'invalid or expired access token'));
      return;
    }
    next();
  });

  /**
   * Runs a synchronous state change, then persists it. A 2xx answer is remembered under the
   * request's Idempotency-Key so a retry gets the same answer and changes nothing. Check,
   * change and remember happen with no await between them, so concurrent retries cannot
   * both create.
   */
  const mutation =
    (scope: string, handle: (req: Request<Record<string, string>>) => Reply) =>
    async (req: Request<Record<string, string>>, res: Response) => {
      const key = req.method === 'POST' ? req.get('idempotency-key') : undefined;
      const slot = key ? `${scope}|${key}` : undefined;
      const remembered = slot ? data.idempotency[slot] : undefined;
      if (remembered) {
        res.status(remembered.status).json(remembered.body);
        return;
      }
      const reply = handle(req);
      // A copy: later changes to the record must not alter the remembered answer.
      if (slot) data.idempotency[slot] = structuredClone(reply);
      await db.write();
      res.status(reply.status).json(reply.body);
    };

  const candidate = (id: string): Candidate => {
    const found = data.candidates[id];
    if (!found) throw new SterlingFault(404, '404', 'candidate not found');
    return found;
  };

  router.get('/v2/packages', (_req, res) => {
    res.json(PACKAGES);
  });

  router.post(
    '/v2/candidates',
    mutation('candidates', (req) => {
      const body = bodyOf(req);
      const required = ['givenName', 'familyName', 'email', 'clientReferenceId'];
      const missing = required.filter((field) => !isText(body[field]));
      if (missing.length > 0) throw new SterlingFault(400, `400#${missing[0]}`, `${missing[0]} is required`);
      const now = new Date().toISOString();
      const created = { ...pickCandidateFields(body), id: randomUUID(), createdAt: now, updatedAt: now } as Candidate;
      data.candidates[created.id] = created;
      return { status: 201, body: created };
    }),
  );

  router.get('/v2/candidates/:id', (req, res) => {
    res.json(candidate(req.params.id));
  });

  router.put(
    '/v2/candidates/:id',
    mutation('candidates', (req) => {
      const existing = candidate(req.params.id);
      const changes = pickCandidateFields(bodyOf(req));
      for (const field of ['givenName', 'familyName', 'email', 'clientReferenceId'] as const) {
        if (field in changes && !isText(changes[field])) {
          throw new SterlingFault(400, `400#${field}`, `${field} must not be empty`);
        }
      }
      const updated: Candidate = { ...existing, ...changes, updatedAt: new Date().toISOString() };
      data.candidates[updated.id] = updated;
      return { status: 200, body: updated };
    }),
  );

  router.post(
    '/v2/screenings',
    mutation('screenings', (req) => {
      const body = bodyOf(req);
      const candidateId = requireText(body, 'candidateId');
      if (!data.candidates[candidateId]) throw new SterlingFault(400, '400#candidateId', 'unknown candidate');
      const packageId = requireText(body, 'packageId');
      const callback = body.callback as { uri?: unknown } | undefined;
      const invite = body.invite as { method?: unknown } | undefined;
      if (invite !== undefined && invite?.method !== 'link' && invite?.method !== 'email') {
        throw new SterlingFault(400, '400#invite.method', 'invite.method must be link or email');
      }
      const now = new Date().toISOString();
      const created: Screening = {
        id: randomUUID(),
        packageId,
        candidateId,
        status: 'new',
        result: 'n/a',
        reportItems: [],
        ...(callback !== undefined && { callback: { uri: requireUri(callback?.uri, 'callback.uri') } }),
        ...(invite !== undefined && { invite: { method: invite.method as string } }),
        createdAt: now,
        updatedAt: now,
      };
      data.screenings[created.id] = created;
      return { status: 201, body: created };
    }),
  );

  router.get('/v2/screenings/:id', (req, res) => {
    const found = data.screenings[req.params.id];
    if (!found) throw new SterlingFault(404, '404', 'screening not found');
    res.json(found);
  });

  router.post(
    '/v2/monitoring/subscriptions',
    mutation('subscriptions', (req) => {
      const body = bodyOf(req);
      const candidateId = requireText(body, 'candidateId');
      if (!data.candidates[candidateId]) throw new SterlingFault(400, '400#candidateId', 'unknown candidate');
      const now = new Date().toISOString();
      const created: Subscription = {
        id: randomUUID(),
        candidateId,
        packageId: requireText(body, 'packageId'),
        interval: requireText(body, 'interval'),
        callback: { uri: requireUri((body.callback as { uri?: unknown } | undefined)?.uri, 'callback.uri') },
        status: 'active',
        createdAt: now,
        updatedAt: now,
      };
      data.subscriptions[created.id] = created;
      return { status: 201, body: created };
    }),
  );

  const subscription = (id: string): Subscription => {
    const found = data.subscriptions[id];
    if (!found) throw new SterlingFault(404, '404', 'subscription not found');
    return found;
  };

  router.get('/v2/monitoring/subscriptions/:id', (req, res) => {
    res.json(subscription(req.params.id));
  });

  router.delete(
    '/v2/monitoring/subscriptions/:id',
    mutation('subscriptions', (req) => {
      const found = subscription(req.params.id);
      if (found.status === 'cancelled') return { status: 200, body: found };
      const cancelled: Subscription = { ...found, status: 'cancelled', updatedAt: new Date().toISOString() };
      data.subscriptions[cancelled.id] = cancelled;
      return { status: 200, body: cancelled };
    }),
  );

  // Not Sterling's: our sandbox trigger (API.md "Sandbox"), so it answers in our error format.
  router.post('/alerts', opts.requireApiKey, async (req, res) => {
    const providerId: unknown = req.body?.provider_id;
    if (!isText(providerId)) {
      res.status(400).json({ error: 'provider_id is required', code: 'invalid_request', details: {} });
      return;
    }
    const subscriptions = Object.values(data.subscriptions).filter(
      (s) => s.status === 'active' && data.candidates[s.candidateId]?.clientReferenceId === providerId,
    );
    if (subscriptions.length === 0) {
      res.status(404).json({
        error: 'no active monitoring subscription for this provider',
        code: 'not_found',
        details: { provider_id: providerId },
      });
      return;
    }
    const now = new Date().toISOString();
    const alerts = subscriptions.map((s) => {
      const screening: Screening = {
        id: randomUUID(),
        packageId: s.packageId,
        candidateId: s.candidateId,
        status: 'complete',
        result: 'alert',
        reportItems: [{ id: randomUUID(), type: 'County Criminal', status: 'complete', result: 'alert', updatedAt: now }],
        callback: s.callback,
        subscriptionId: s.id,
        createdAt: now,
        updatedAt: now,
      };
      data.screenings[screening.id] = screening;
      return screening;
    });
    await db.write();
    res.status(202).json({ alerts: alerts.length });
    alerts.forEach((screening, i) => void deliverCallback(subscriptions[i].callback.uri, screening));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof SterlingFault) return sendFault(res, err);
    // express.json's parse errors carry a 4xx status.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendFault(res, new SterlingFault(status, String(status), 'malformed request body'));
    }
    next(err);
  });

  return router;
}

const CANDIDATE_FIELDS = ['givenName', 'familyName', 'email', 'clientReferenceId', 'dob', 'ssn', 'address'] as const;

function pickCandidateFields(body: Record<string, unknown>): Partial<Candidate> {
  return Object.fromEntries(CANDIDATE_FIELDS.filter((f) => f in body).map((f) => [f, body[f]])) as Partial<Candidate>;
}

/** Posts the screening callback until the receiver answers 200, as the vendor does. */
async function deliverCallback(uri: string, screening: Screening): Promise<void> {
  const { id, packageId, candidateId, status, result, reportItems } = screening;
  const body = JSON.stringify({ type: 'screening', payload: { id, packageId, candidateId, status, result, reportItems } });
  for (const [attempt, delay] of CALLBACK_DELAYS_MS.entries()) {
    // Unref'd so pending retries never keep the process alive.
    if (delay > 0) await sleep(delay, undefined, { ref: false });
    try {
      const res = await fetch(uri, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status === 200) return;
      log.warn({ screening: id, attempt, status: res.status }, 'sterling sandbox callback refused');
    } catch (err) {
      // The callback URL may embed a secret, so only the error's name is logged.
      log.warn({ screening: id, attempt, error: (err as Error).name }, 'sterling sandbox callback failed');
    }
  }
}
