import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { ScreeningType } from '../../../machines/report.ts';
import { log } from '../../log.ts';
import type { Sealer } from '../../runtime/seal.ts';
import { clientCredentialsValid } from '../sandbox-clients.ts';
import { alertRecord, findings, missingFor, openingDetails, STEP_MULTIPLES, screeningTypeOf, VENDOR_TYPE_NAMES } from './records.ts';

/**
 * Sandbox of Sterling's screening contract (VENDORS.md "Sterling (screening)"), mounted at
 * /sandbox/sterling. Like the vendor, it takes only its registered client credentials and calls
 * back only URLs under a registered callback prefix (redirects not followed). `POST /alerts`
 * (ours, API key) plays the vendor's monitoring finding a record for an enrolled provider.
 *
 * An ordered screening runs by itself (API.md "Sandbox"): its items appear (`new`) after a
 * quarter of the base delay, each goes `In Progress` at half its multiple of the delay and
 * finishes at its multiple (STEP_MULTIPLES: SSN trace 1×, national and sex offender 2×, MVR
 * 2×, county 3×), and every change is called back. Last name `Consider` → the county search
 * finds a record; `Suspended` → the county search waits for `motherMaidenName` (PUT the
 * candidate). Due times live in the data file, sealed (it holds candidates' personal data): a
 * restarted sandbox carries on where it was.
 */

interface Candidate {
  id: string;
  clientReferenceId: string;
  givenName: string;
  familyName: string;
  middleName?: string;
  motherMaidenName?: string;
  email: string;
  dob?: string;
  ssn?: string;
  address?: Record<string, string>;
  driverLicense?: { number?: string; state?: string };
  createdAt: string;
  updatedAt: string;
}

/** An item as the vendor shows it: the common fields, then its own (camelCase) detail fields. */
interface ReportItem {
  id: string;
  type: string;
  status: string;
  result: string;
  updatedAt: string;
  suspensionReason?: string;
  [detail: string]: unknown;
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

/**
 * Work the sandbox owes, with due times (epoch ms) so that it survives a restart: `open` puts
 * an ordered screening's items on it, `item` moves one item on a step, `callback` (re)sends a
 * screening's callback.
 */
type Job =
  | { kind: 'open'; screeningId: string; types: ScreeningType[]; delayMs: number; dueAt: number }
  | { kind: 'item'; screeningId: string; itemId: string; step: 'start' | 'finish'; dueAt: number; finishAt: number }
  | { kind: 'callback'; screeningId: string; attempt: number; dueAt: number };

interface SandboxData {
  candidates: Record<string, Candidate>;
  screenings: Record<string, Screening>;
  subscriptions: Record<string, Subscription>;
  /** `<scope>|<Idempotency-Key>` → the first 2xx response. */
  idempotency: Record<string, Reply>;
  jobs: Record<string, Job>;
}

interface Reply {
  status: number;
  body: unknown;
}

const TOKEN_TTL_S = 3600;
const PACKAGES = [
  { id: 'continuous-monitoring', title: 'Continuous criminal monitoring', type: 'monitoring', items: ['County Criminal'] },
  {
    id: 'standard-criminal',
    title: 'Standard criminal screening',
    type: 'screening',
    items: ['SSN Trace', 'Sex Offender', 'National Criminal', 'County Criminal'],
  },
  {
    id: 'driver',
    title: 'Driver screening',
    type: 'screening',
    items: ['SSN Trace', 'Sex Offender', 'National Criminal', 'County Criminal', 'Motor Vehicle Record'],
  },
  // Ours, not the vendor's: the items are named per order in `reportItems`.
  { id: 'a-la-carte', title: 'Items named per order', type: 'screening', items: [] },
];
/** Delays before each callback attempt: the vendor retries every 15 min, a sandbox need not. */
const CALLBACK_DELAYS_MS = [0, 1_000, 5_000, 30_000];
const DEFAULT_DELAY_MS = 2_000;
const MAX_ITEMS = 20;

/**
 * The sandbox instance that owns each data file. Recreating a sandbox on the same file (a
 * restart inside one process) retires the old one: its timers stop and it writes no more.
 */
const owners = new Map<string, symbol>();

class SterlingFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function requireText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (!isText(value)) throw new SterlingFault(400, `400#${field}`, `${field} is required`);
  return value;
}

function requireUri(value: unknown, field: string, prefixes: () => string[]): string {
  if (!isText(value) || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new SterlingFault(400, `400#${field}`, `${field} must be an absolute http(s) URL`);
  }
  if (!prefixes().some((prefix) => value.startsWith(prefix))) throw new SterlingFault(400, `400#${field}`, `${field} is not a registered callback URL`);
  return value;
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (!isObject(body)) throw new SterlingFault(400, '400#body', 'a JSON object body is required');
  return body;
}

function sendFault(res: Response, fault: SterlingFault): void {
  res.status(fault.status).json({ errors: [{ code: fault.code, message: fault.message }] });
}

export interface SterlingSandboxOptions {
  dataFile: string;
  /** Seals the data file with the data key. */
  sealer: Sealer;
  /** client_id → client_secret. */
  clients: Record<string, string>;
  /** A callback URI must start with one of these (read when a screening is ordered). */
  callbackPrefixes: () => string[];
  requireApiKey: express.RequestHandler;
  /** The base step delay of a screening (SANDBOX_SCREENING_DELAY_MS); ~2 s by default. */
  delayMs?: number;
}

/** The sandbox's data file as a sealed lowdb adapter; a file written in clear by an older version is read once and sealed on the next write. */
export function sealedDataFile<T>(file: string, sealer: Sealer): DataFile<T> {
  return new DataFile<T>(file, { parse: (text) => (text.startsWith('{') ? JSON.parse(text) : sealer.open<T>(text)), stringify: (data) => sealer.seal(data) });
}

export async function sterlingSandbox(opts: SterlingSandboxOptions): Promise<express.Router> {
  const delayMs = Number.isFinite(opts.delayMs) && opts.delayMs! >= 0 ? opts.delayMs! : DEFAULT_DELAY_MS;
  await mkdir(dirname(opts.dataFile), { recursive: true, mode: 0o700 });
  const db = new Low<SandboxData>(sealedDataFile(opts.dataFile, opts.sealer), {
    candidates: {},
    screenings: {},
    subscriptions: {},
    idempotency: {},
    jobs: {},
  });
  await db.read();
  const data = db.data;
  // Files written before screenings ran have no jobs.
  data.jobs ??= {};

  const file = resolve(opts.dataFile);
  const self = Symbol(file);
  owners.set(file, self);
  const owned = () => owners.get(file) === self;
  const persist = () => (owned() ? db.write() : Promise.resolve());

  // Tokens live in memory only: after a restart clients get 401 and fetch a new one, as they
  // must when a real token is revoked.
  const tokens = new Map<string, number>();

  // ── Screening runs ────────────────────────────────────────────────────────────────────────

  const nowIso = () => new Date().toISOString();

  /** The screening's status and result follow its items. */
  const settle = (screening: Screening, at: string) => {
    const items = screening.reportItems;
    const done = (i: ReportItem) => i.status === 'complete' || i.status === 'cancelled';
    if (items.length > 0 && items.every(done)) {
      screening.status = 'complete';
      const results = items.filter((i) => i.status === 'complete').map((i) => i.result);
      screening.result = results.includes('Consider') || results.includes('alert') ? 'Consider' : 'Clear';
    } else if (items.some((i) => i.status === 'suspended')) {
      screening.status = 'suspended';
      screening.result = 'Pending';
    } else if (items.some((i) => i.status !== 'new')) {
      screening.status = 'Pending';
      screening.result = 'Pending';
    } else {
      screening.status = items.length > 0 ? 'Pending' : 'new';
      screening.result = 'n/a';
    }
    screening.updatedAt = at;
  };

  const queueCallback = (screening: Screening) => {
    if (screening.callback) data.jobs[`callback:${screening.id}`] = { kind: 'callback', screeningId: screening.id, attempt: 0, dueAt: Date.now() };
  };

  /** Applies one due job; answers the screening it changed, if any. */
  const apply = (key: string, job: Job, at: string): Screening | undefined => {
    const screening = data.screenings[job.screeningId];
    const subject = screening ? data.candidates[screening.candidateId] : undefined;
    if (!screening || !subject || job.kind === 'callback') {
      if (job.kind !== 'callback') delete data.jobs[key];
      return undefined;
    }
    if (job.kind === 'open') {
      delete data.jobs[key];
      const createdAt = Date.parse(screening.createdAt) || job.dueAt;
      for (const type of job.types) {
        const item: ReportItem = {
          id: randomUUID(),
          type: VENDOR_TYPE_NAMES[type],
          status: 'new',
          result: 'n/a',
          updatedAt: at,
          ...openingDetails(type, subject),
        };
        screening.reportItems.push(item);
        const step = STEP_MULTIPLES[type] * job.delayMs;
        data.jobs[`item:${item.id}`] = {
          kind: 'item',
          screeningId: screening.id,
          itemId: item.id,
          step: 'start',
          dueAt: createdAt + step / 2,
          finishAt: createdAt + step,
        };
      }
      return screening;
    }
    const index = screening.reportItems.findIndex((i) => i.id === job.itemId);
    const item = screening.reportItems[index];
    const type = screeningTypeOf(item?.type);
    if (!item || !type) {
      delete data.jobs[key];
      return undefined;
    }
    if (job.step === 'start') {
      screening.reportItems[index] = { ...item, status: 'In Progress', result: 'Pending', updatedAt: at };
      data.jobs[key] = { ...job, step: 'finish', dueAt: job.finishAt };
      return screening;
    }
    delete data.jobs[key];
    const missing = missingFor(type, subject);
    if (missing) {
      screening.reportItems[index] = { ...item, status: 'suspended', result: 'n/a', suspensionReason: missing, updatedAt: at };
    } else {
      const found = findings(type, subject, item.id, new Date(at));
      const { suspensionReason: _, ...rest } = item;
      screening.reportItems[index] = { ...rest, ...found.details, status: 'complete', result: found.result, updatedAt: at };
    }
    return screening;
  };

  /** A suspended item whose missing data the candidate has now supplied runs on. */
  const resume = (candidateId: string): Screening[] => {
    const at = nowIso();
    const resumed: Screening[] = [];
    for (const screening of Object.values(data.screenings)) {
      if (screening.candidateId !== candidateId || screening.subscriptionId) continue;
      const subject = data.candidates[candidateId];
      let changed = false;
      screening.reportItems = screening.reportItems.map((item) => {
        const type = screeningTypeOf(item.type);
        if (item.status !== 'suspended' || !type || missingFor(type, subject)) return item;
        changed = true;
        const { suspensionReason: _, ...rest } = item;
        data.jobs[`item:${item.id}`] = {
          kind: 'item',
          screeningId: screening.id,
          itemId: item.id,
          step: 'finish',
          dueAt: Date.now() + delayMs,
          finishAt: Date.now() + delayMs,
        };
        return { ...rest, status: 'In Progress', result: 'Pending', updatedAt: at };
      });
      if (changed) resumed.push(screening);
    }
    return resumed;
  };

  const delivering = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  /** One unref'd timer for the earliest due job: nothing here keeps a process alive. */
  const arm = () => {
    if (!owned() || ticking) return;
    clearTimeout(timer);
    let next = Infinity;
    for (const job of Object.values(data.jobs)) {
      if (job.kind === 'callback' && delivering.has(job.screeningId)) continue;
      next = Math.min(next, job.dueAt);
    }
    if (next === Infinity) return;
    timer = setTimeout(() => void tick(), Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1));
    timer.unref();
  };

  const tick = async () => {
    if (!owned()) return;
    ticking = true;
    try {
      const at = nowIso();
      const changed = new Set<Screening>();
      // Work due now may make more due now (an overdue screening after a restart): run it all.
      for (let round = 0; round < 100; round++) {
        const due = Object.entries(data.jobs).filter(([, job]) => job.kind !== 'callback' && job.dueAt <= Date.now());
        if (due.length === 0) break;
        for (const [key, job] of due.sort(([, a], [, b]) => a.dueAt - b.dueAt)) {
          const screening = apply(key, job, at);
          if (screening) changed.add(screening);
        }
      }
      for (const screening of changed) {
        settle(screening, at);
        queueCallback(screening);
      }
      if (changed.size > 0) await persist();
      for (const [key, job] of Object.entries(data.jobs)) {
        if (job.kind === 'callback' && job.dueAt <= Date.now() && !delivering.has(job.screeningId)) void deliver(key, job);
      }
    } catch (err) {
      log.error({ error: (err as Error).name }, 'sterling sandbox step failed');
    } finally {
      ticking = false;
      arm();
    }
  };

  /** Posts the screening's callback as it is now; retried until the receiver answers 200. */
  const deliver = async (key: string, job: Extract<Job, { kind: 'callback' }>) => {
    delivering.add(job.screeningId);
    const screening = data.screenings[job.screeningId];
    let delivered = true;
    try {
      if (screening?.callback) delivered = await postCallback(screening.callback.uri, screening, job.attempt);
    } finally {
      delivering.delete(job.screeningId);
    }
    // A change while this was in flight queued a fresh callback: that one goes next.
    if (!owned() || data.jobs[key] !== job) return arm();
    const attempt = job.attempt + 1;
    if (delivered || attempt >= CALLBACK_DELAYS_MS.length) delete data.jobs[key];
    else data.jobs[key] = { ...job, attempt, dueAt: Date.now() + CALLBACK_DELAYS_MS[attempt] };
    await persist().catch((err: unknown) => log.error({ error: (err as Error).name }, 'sterling sandbox write failed'));
    arm();
  };

  // ── Routes ────────────────────────────────────────────────────────────────────────────────

  const router = express.Router();
  router.use(express.json(), express.urlencoded({ extended: false }));

  router.post('/oauth', (req, res) => {
    const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
    const decoded = scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64').toString() : '';
    const colon = decoded.indexOf(':');
    if (colon < 1 || !clientCredentialsValid(opts.clients, decoded.slice(0, colon), decoded.slice(colon + 1))) {
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
  const mutation = (scope: string, handle: (req: Request<Record<string, string>>) => Reply) => async (req: Request<Record<string, string>>, res: Response) => {
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
    await persist();
    arm();
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
      const now = nowIso();
      const created = { ...candidateFields(body), id: randomUUID(), createdAt: now, updatedAt: now } as Candidate;
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
      const changes = candidateFields(bodyOf(req));
      for (const field of ['givenName', 'familyName', 'email', 'clientReferenceId'] as const) {
        if (field in changes && !isText(changes[field])) {
          throw new SterlingFault(400, `400#${field}`, `${field} must not be empty`);
        }
      }
      const updated: Candidate = { ...existing, ...changes, updatedAt: nowIso() };
      data.candidates[updated.id] = updated;
      for (const screening of resume(updated.id)) {
        settle(screening, updated.updatedAt);
        queueCallback(screening);
      }
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
      const pkg = PACKAGES.find((p) => p.id === packageId && p.type === 'screening');
      if (!pkg) throw new SterlingFault(400, '400#packageId', 'unknown screening package');
      const types = itemTypes(body.reportItems, pkg.items);
      const callback = body.callback as { uri?: unknown } | undefined;
      const invite = body.invite as { method?: unknown } | undefined;
      if (invite !== undefined && invite?.method !== 'link' && invite?.method !== 'email') {
        throw new SterlingFault(400, '400#invite.method', 'invite.method must be link or email');
      }
      const now = nowIso();
      const created: Screening = {
        id: randomUUID(),
        packageId,
        candidateId,
        status: 'new',
        result: 'n/a',
        reportItems: [],
        ...(callback !== undefined && { callback: { uri: requireUri(callback?.uri, 'callback.uri', opts.callbackPrefixes) } }),
        ...(invite !== undefined && { invite: { method: invite.method as string } }),
        createdAt: now,
        updatedAt: now,
      };
      data.screenings[created.id] = created;
      data.jobs[`open:${created.id}`] = { kind: 'open', screeningId: created.id, types, delayMs, dueAt: Date.parse(now) + delayMs / 4 };
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
      const now = nowIso();
      const created: Subscription = {
        id: randomUUID(),
        candidateId,
        packageId: requireText(body, 'packageId'),
        interval: requireText(body, 'interval'),
        callback: { uri: requireUri((body.callback as { uri?: unknown } | undefined)?.uri, 'callback.uri', opts.callbackPrefixes) },
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
      const cancelled: Subscription = { ...found, status: 'cancelled', updatedAt: nowIso() };
      data.subscriptions[cancelled.id] = cancelled;
      return { status: 200, body: cancelled };
    }),
  );

  // Not Sterling's: our sandbox trigger (API.md "Sandbox"), so it answers in our error format.
  router.post('/alerts', opts.requireApiKey, async (req, res) => {
    // A monitored provider (CBGC), or a candidate enrolled in a continuous check (B8): the person's reference either way.
    const providerId: unknown = req.body?.provider_id ?? req.body?.candidate_id;
    if (!isText(providerId)) {
      res.status(400).json({ error: 'provider_id or candidate_id is required', code: 'invalid_request', details: {} });
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
    const now = new Date();
    const at = now.toISOString();
    for (const s of subscriptions) {
      const itemId = randomUUID();
      const screening: Screening = {
        id: randomUUID(),
        packageId: s.packageId,
        candidateId: s.candidateId,
        status: 'complete',
        result: 'alert',
        reportItems: [
          {
            ...alertRecord(data.candidates[s.candidateId], itemId, now),
            id: itemId,
            type: 'County Criminal',
            status: 'complete',
            result: 'alert',
            updatedAt: at,
          },
        ],
        callback: s.callback,
        subscriptionId: s.id,
        createdAt: at,
        updatedAt: at,
      };
      data.screenings[screening.id] = screening;
      queueCallback(screening);
    }
    await persist();
    res.status(202).json({ alerts: subscriptions.length });
    arm();
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

  // Work that fell due while the sandbox was down runs now.
  arm();
  return router;
}

/** The item types ordered: `reportItems[{type}]` when given, else the package's own. */
function itemTypes(reportItems: unknown, packageItems: string[]): ScreeningType[] {
  const named = reportItems === undefined ? packageItems.map((type) => ({ type })) : reportItems;
  if (!Array.isArray(named)) throw new SterlingFault(400, '400#reportItems', 'reportItems must be a list');
  if (named.length > MAX_ITEMS) throw new SterlingFault(400, '400#reportItems', `at most ${MAX_ITEMS} report items`);
  const types = named.map((entry: unknown, i) => {
    const type = screeningTypeOf(isObject(entry) ? entry.type : undefined);
    if (!type) throw new SterlingFault(400, `400#reportItems[${i}].type`, 'unknown report item type');
    return type;
  });
  if (types.length === 0) throw new SterlingFault(400, '400#reportItems', 'the package names no items: reportItems is required');
  return [...new Set(types)];
}

const DOB = /^\d{4}-\d{2}-\d{2}$/;
const SSN = /^(?!000|666|9\d\d)\d{3}-?(?!00)\d{2}-?(?!0000)\d{4}$/;
const TEXT_FIELDS = ['givenName', 'familyName', 'middleName', 'motherMaidenName', 'email', 'clientReferenceId'] as const;

/** The candidate fields of a body, each checked; a bad one is a 400 naming it. */
function candidateFields(body: Record<string, unknown>): Partial<Candidate> {
  const fault = (field: string, problem = '') => new SterlingFault(400, `400#${field}${problem}`, `${field} is invalid`);
  const picked: Partial<Candidate> = {};
  for (const field of TEXT_FIELDS) {
    if (!(field in body)) continue;
    const value = body[field];
    if (typeof value !== 'string' || value.length > 200) throw fault(field);
    picked[field] = value.trim();
  }
  if ('dob' in body) {
    const dob = body.dob;
    if (typeof dob !== 'string' || !DOB.test(dob) || Number.isNaN(Date.parse(dob))) throw fault('dob', '?format');
    picked.dob = dob;
  }
  if ('ssn' in body) {
    if (typeof body.ssn !== 'string' || !SSN.test(body.ssn)) throw fault('ssn', '?format');
    picked.ssn = body.ssn;
  }
  if ('address' in body) picked.address = stringsOf(body.address, ['street', 'unit', 'city', 'region', 'postalCode', 'country'], 'address');
  if ('driverLicense' in body) picked.driverLicense = stringsOf(body.driverLicense, ['number', 'state'], 'driverLicense');
  return picked;
}

function stringsOf(value: unknown, fields: string[], name: string): Record<string, string> {
  if (!isObject(value)) throw new SterlingFault(400, `400#${name}`, `${name} must be an object`);
  const out: Record<string, string> = {};
  for (const field of fields) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v.length > 200) throw new SterlingFault(400, `400#${name}.${field}`, `${name}.${field} is invalid`);
    out[field] = v.trim();
  }
  return out;
}

/** One callback attempt; true when the receiver answered 200. Logs ids and codes only. */
async function postCallback(uri: string, screening: Screening, attempt: number): Promise<boolean> {
  const { id, packageId, candidateId, status, result } = screening;
  // The callback carries each item's common fields only; details are read with GET.
  const reportItems = screening.reportItems.map(({ id, type, status, result, updatedAt }) => ({ id, type, status, result, updatedAt }));
  try {
    const res = await fetch(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'screening', payload: { id, packageId, candidateId, status, result, reportItems } }),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 200) return true;
    log.warn({ screening: id, attempt, status: res.status }, 'sterling sandbox callback refused');
  } catch (err) {
    // The callback URL may embed a secret, so only the error's name is logged.
    log.warn({ screening: id, attempt, error: (err as Error).name }, 'sterling sandbox callback failed');
  }
  return false;
}
