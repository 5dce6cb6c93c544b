import type { Address } from '../../../machines/address.ts';
import type { ScreeningType } from '../../../machines/report.ts';
import { BearerToken, isRecord, isText, type Json, VendorError } from '../shared.ts';
import { code, detailsOf, foldName, screeningTypeOf, timestamp, VENDOR_TYPE_NAMES } from './records.ts';

/**
 * Client of Sterling's screening contract (VENDORS.md "Sterling (screening)"). Callbacks are
 * unsigned: treat a parsed callback as a hint and re-read the screening with getScreening or
 * screeningResult before acting on it.
 */

/** `suspended` and `canceled` are not confirmed vendor values (the sandbox uses them). */
export type ScreeningStatus = 'pending' | 'in_progress' | 'complete' | 'suspended' | 'canceled';
export type ScreeningResult = 'pending' | 'clear' | 'consider' | 'adverse';

export interface SterlingScreeningItem {
  id: string;
  type: string;
  status: ScreeningStatus;
  result: ScreeningResult;
  updatedAt?: string;
}

export interface SterlingScreening {
  id: string;
  candidateId: string;
  status: ScreeningStatus;
  result: ScreeningResult;
  items: SterlingScreeningItem[];
}

export interface SterlingConfig {
  /** Absolute; `/oauth` and `/v2/…` are resolved under it. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The monitoring subscription's path, package and interval are unconfirmed, so configurable. */
  monitoringPath?: string;
  monitoringPackageId?: string;
  monitoringInterval?: string;
  /**
   * The contract orders a screening by `packageId` only, while our packages are lists of
   * screening types: each order names this package AND its item types as
   * `reportItems: [{type}]` (unconfirmed: an account may instead need one package per
   * combination).
   */
  screeningPackageId?: string;
  /** Vendor item type names per screening type (unconfirmed; defaults to VENDOR_TYPE_NAMES). */
  screeningItemTypes?: Partial<Record<ScreeningType, string>>;
}

/** What the vendor is told about a candidate; empty values are left out. */
export interface ScreeningCandidate {
  givenName?: string;
  familyName?: string;
  middleName?: string;
  email: string;
  dob?: string;
  ssn?: string;
  /** What is known of the address: a Checkr candidate's ZIP code, or the fields. */
  address?: Partial<Address>;
  driverLicenseNumber?: string;
  driverLicenseState?: string;
}

export type CandidateChanges = Partial<ScreeningCandidate> & { motherMaidenName?: string };

export interface OrderScreeningInput {
  /** Our report id, sent as clientReferenceId. */
  reference: string;
  candidate: ScreeningCandidate;
  screenings: ScreeningType[];
  callbackUri: string;
  idempotencyKey: string;
}

/** One vendor item as our screening: common fields, then its Checkr-named detail fields. */
export interface ScreeningItemResult {
  vendor_item_id: string;
  type: ScreeningType;
  status: 'pending' | 'complete' | 'suspended' | 'canceled';
  result: 'clear' | 'consider' | null;
  completed_at: string | null;
  [detail: string]: unknown;
}

export interface EnrollMonitoringInput {
  /** Our provider id, sent as clientReferenceId. */
  reference: string;
  givenName: string;
  familyName: string;
  email: string;
  callbackUri: string;
  idempotencyKey: string;
}

/** A failed Sterling call: `code` is the vendor's, `invalid_response`, the HTTP status, or `timeout` / `network`. */
export class SterlingError extends VendorError {
  override readonly name = 'SterlingError';

  constructor(status: number, code: string, operation: string) {
    super('Sterling', status, code, operation);
  }
}

const TIMEOUT_MS = 10_000;

export class SterlingClient {
  private readonly baseUrl: string;
  private readonly monitoringPath: string;
  private readonly monitoringPackageId: string;
  private readonly monitoringInterval: string;
  private readonly screeningPackageId: string;
  private readonly itemTypes: Record<ScreeningType, string>;
  private readonly typeOf: (vendorType: unknown) => ScreeningType | undefined;
  private readonly token = new BearerToken(() => this.requestToken());

  constructor(private readonly config: SterlingConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.monitoringPath = config.monitoringPath ?? '/v2/monitoring/subscriptions';
    this.monitoringPackageId = config.monitoringPackageId ?? 'continuous-monitoring';
    this.monitoringInterval = config.monitoringInterval ?? 'monthly';
    this.screeningPackageId = config.screeningPackageId ?? 'a-la-carte';
    this.itemTypes = { ...VENDOR_TYPE_NAMES, ...config.screeningItemTypes };
    const configured = new Map(Object.entries(this.itemTypes).map(([ours, theirs]) => [foldName(theirs), ours as ScreeningType]));
    this.typeOf = (vendorType) => configured.get(foldName(vendorType)) ?? screeningTypeOf(vendorType);
  }

  /**
   * Creates the vendor candidate, then the screening of `screenings`. As for enrolment, each
   * step has its own key derived from `idempotencyKey`: a retry creates neither twice.
   */
  async orderScreening(input: OrderScreeningInput): Promise<{ screeningId: string; candidateId: string }> {
    const types = [...new Set(input.screenings)];
    if (types.length === 0) throw new SterlingError(400, 'no_screenings', 'create screening');
    const candidate = await this.call('create candidate', 'POST', '/v2/candidates', {
      idempotencyKey: `${input.idempotencyKey}:candidate`,
      body: { clientReferenceId: input.reference, ...candidateBody(input.candidate) },
    });
    const candidateId = idOf(candidate, 'create candidate');
    const screening = await this.call('create screening', 'POST', '/v2/screenings', {
      idempotencyKey: `${input.idempotencyKey}:screening`,
      body: {
        candidateId,
        packageId: this.screeningPackageId,
        reportItems: types.map((type) => ({ type: this.itemTypes[type] })),
        callback: { uri: input.callbackUri },
      },
    });
    return { screeningId: idOf(screening, 'create screening'), candidateId };
  }

  /** Sends what the candidate supplied since (a suspended search resumes on it). */
  async updateCandidate(candidateId: string, changes: CandidateChanges, idempotencyKey: string): Promise<void> {
    await this.call('update candidate', 'PUT', `/v2/candidates/${encodeURIComponent(candidateId)}`, {
      idempotencyKey,
      body: candidateBody(changes),
    });
  }

  /** The screening's items as our screenings; items of types we do not order are left out. */
  async screeningResult(screeningId: string): Promise<{ items: ScreeningItemResult[] }> {
    const body = await this.call('get screening', 'GET', `/v2/screenings/${encodeURIComponent(screeningId)}`);
    if (!isText(body.id)) throw new SterlingError(502, 'invalid_response', 'get screening');
    const items = Array.isArray(body.reportItems) ? body.reportItems : [];
    return { items: items.flatMap((item, i) => mapReportItem(item, i, this.typeOf) ?? []) };
  }

  /**
   * Creates the candidate (or gets the one an earlier attempt with the same key created) and
   * subscribes it to monitoring. Each step has its own key derived from `idempotencyKey`, so
   * a retry after a partial failure neither duplicates the candidate nor the subscription.
   */
  async enrollMonitoring(input: EnrollMonitoringInput): Promise<{ candidateId: string; subscriptionId: string }> {
    const candidate = await this.call('create candidate', 'POST', '/v2/candidates', {
      idempotencyKey: `${input.idempotencyKey}:candidate`,
      body: {
        clientReferenceId: input.reference,
        givenName: input.givenName,
        familyName: input.familyName,
        email: input.email,
      },
    });
    const candidateId = idOf(candidate, 'create candidate');
    const subscription = await this.call('subscribe', 'POST', this.monitoringPath, {
      idempotencyKey: `${input.idempotencyKey}:subscription`,
      body: {
        candidateId,
        packageId: this.monitoringPackageId,
        interval: this.monitoringInterval,
        callback: { uri: input.callbackUri },
      },
    });
    return { candidateId, subscriptionId: idOf(subscription, 'subscribe') };
  }

  async withdrawMonitoring(subscriptionId: string, idempotencyKey: string): Promise<void> {
    try {
      await this.call('unsubscribe', 'DELETE', `${this.monitoringPath}/${encodeURIComponent(subscriptionId)}`, {
        idempotencyKey,
      });
    } catch (err) {
      // Already gone is what we wanted.
      if (!(err instanceof SterlingError && err.status === 404)) throw err;
    }
  }

  async getScreening(id: string): Promise<SterlingScreening> {
    const body = await this.call('get screening', 'GET', `/v2/screenings/${encodeURIComponent(id)}`);
    if (!isText(body.id) || !isText(body.candidateId)) throw new SterlingError(502, 'invalid_response', 'get screening');
    const items = Array.isArray(body.reportItems) ? body.reportItems.filter(isRecord) : [];
    return {
      id: body.id,
      candidateId: body.candidateId,
      status: normaliseStatus(body.status),
      result: normaliseResult(body.result),
      items: items.map((item) => ({
        id: String(item.id),
        type: String(item.type),
        status: normaliseStatus(item.status),
        result: normaliseResult(item.result),
        ...(isText(item.updatedAt) && { updatedAt: item.updatedAt }),
      })),
    };
  }

  private async call(operation: string, method: string, path: string, opts: { body?: unknown; idempotencyKey?: string } = {}): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token.get();
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
      const res = await send(operation, `${this.baseUrl}${path}`, {
        method,
        headers,
        ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
      });
      // A token can be revoked before it expires (or the sandbox restarted): renew it once.
      if (res.status === 401 && attempt === 0) {
        this.token.drop(token);
        continue;
      }
      const body = await readJson(res);
      if (!res.ok) throw new SterlingError(res.status, vendorCode(body, res.status), operation);
      if (!isRecord(body)) throw new SterlingError(502, 'invalid_response', operation);
      return body;
    }
  }

  private async requestToken(): Promise<{ value: string; expiresInS: number }> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    const res = await send('token', `${this.baseUrl}/oauth`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = await readJson(res);
    if (!res.ok) throw new SterlingError(res.status, vendorCode(body, res.status), 'token');
    // expires_in may arrive as the string "3600".
    const ttl = isRecord(body) ? Number(body.expires_in) : NaN;
    if (!isRecord(body) || !isText(body.access_token) || !(ttl > 0)) {
      throw new SterlingError(502, 'invalid_response', 'token');
    }
    return { value: body.access_token, expiresInS: ttl };
  }
}

async function send(operation: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const code = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network';
    throw new SterlingError(0, code, operation);
  }
}

/** The body as JSON, or undefined when there is none or it is not JSON (error pages). */
async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** v2 answers `{errors: [{code}]}`, v1 `{code}`; fall back to the HTTP status. */
function vendorCode(body: unknown, status: number): string {
  if (isRecord(body)) {
    const first: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined;
    if (isRecord(first) && isText(first.code)) return first.code;
    if (isText(body.code)) return body.code;
    if (isText(body.error)) return body.error;
  }
  return String(status);
}

function idOf(body: Json, operation: string): string {
  if (!isText(body.id)) throw new SterlingError(502, 'invalid_response', operation);
  return body.id;
}

/** Lower-cased with spaces and underscores folded, so `In Progress` and `in_progress` match. */
const fold = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, ' ')
    : undefined;

const STATUSES = new Map<string, ScreeningStatus>([
  ['new', 'pending'],
  ['predraft', 'pending'],
  ['pending', 'in_progress'],
  ['in progress', 'in_progress'],
  ['complete', 'complete'],
  ['suspended', 'suspended'],
  ['cancelled', 'canceled'],
  ['canceled', 'canceled'],
]);

const RESULTS = new Map<string, ScreeningResult>([
  ['n/a', 'pending'],
  ['pending', 'pending'],
  ['clear', 'clear'],
  ['no data', 'clear'],
  ['alert', 'consider'],
  ['consider', 'consider'],
  ['adverse', 'adverse'],
]);

/** An unknown status is neither "not started" nor "done": in_progress until a known one arrives. */
export function normaliseStatus(status: unknown): ScreeningStatus {
  return STATUSES.get(fold(status) ?? '') ?? 'in_progress';
}

/** An unknown result is never taken as clear: it goes to a human as consider. */
export function normaliseResult(result: unknown): ScreeningResult {
  if (result === null || result === undefined) return 'pending';
  return RESULTS.get(fold(result) ?? '') ?? 'consider';
}

/** Dispatches on `type`; anything but a well-formed screening callback is undefined. */
export function parseCallback(body: unknown): { type: 'screening'; screeningId: string; candidateId: string } | undefined {
  if (!isRecord(body) || body.type !== 'screening' || !isRecord(body.payload)) return undefined;
  const { id, candidateId } = body.payload;
  if (!isText(id) || !isText(candidateId)) return undefined;
  return { type: 'screening', screeningId: id, candidateId };
}

const textOrUndefined = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Sterling's candidate fields (camelCase) for ours; absent and empty values are not sent. */
function candidateBody(c: CandidateChanges): Json {
  const body: Json = {};
  for (const field of ['givenName', 'familyName', 'middleName', 'email', 'dob', 'ssn', 'motherMaidenName'] as const) {
    const value = textOrUndefined(c[field]);
    if (value !== undefined) body[field] = value;
  }
  const address = sterlingAddress(c.address ?? {});
  if (Object.keys(address).length > 0) body.address = address;
  const number = textOrUndefined(c.driverLicenseNumber);
  const state = textOrUndefined(c.driverLicenseState);
  if (number || state) body.driverLicense = { ...(number && { number }), ...(state && { state }) };
  return body;
}

/** Sterling's address fields (`region`, `postalCode`), only those known. */
function sterlingAddress(a: Partial<Address>): Json {
  const fields = { street: a.street, unit: a.unit, city: a.city, region: a.state, postalCode: a.postal_code, country: a.country };
  return Object.fromEntries(Object.entries(fields).flatMap(([key, value]) => (textOrUndefined(value) ? [[key, textOrUndefined(value)]] : [])));
}

/** Screenings that only point to where records may be (CHECKR.md): a finished one may have no result. */
const POINTERS: ReadonlySet<ScreeningType> = new Set(['ssn_trace', 'national_criminal_search']);

/**
 * One vendor report item as our screening, or undefined for an item of a type we do not know.
 * A result exists only once the item is complete; a complete item without a known result is
 * `consider` (a human looks), except for a pointer search, which never has one.
 */
export function mapReportItem(
  raw: unknown,
  index = 0,
  typeOf: (vendorType: unknown) => ScreeningType | undefined = screeningTypeOf,
): ScreeningItemResult | undefined {
  if (!isRecord(raw)) return undefined;
  const type = typeOf(raw.type);
  if (!type) return undefined;
  const vendorStatus = normaliseStatus(raw.status);
  const status = vendorStatus === 'in_progress' ? 'pending' : vendorStatus;
  const vendorResult = normaliseResult(raw.result);
  const result = status !== 'complete' ? null : vendorResult === 'clear' ? 'clear' : vendorResult === 'pending' && POINTERS.has(type) ? null : 'consider';
  const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : '';
  return {
    vendor_item_id: id.trim() !== '' ? id : `item-${index}`,
    type,
    status,
    result,
    completed_at: status === 'complete' || status === 'canceled' ? timestamp(raw.updatedAt) : null,
    ...detailsOf(type, raw),
    ...(status === 'suspended' && { suspension_reason: code(raw.suspensionReason) ?? 'candidate_information_required' }),
    ...(status === 'canceled' && { cancellation_reason: code(raw.cancellationReason) ?? 'canceled_by_vendor' }),
  };
}
