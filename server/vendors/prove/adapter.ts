import { BearerToken, isRecord, isRetryable, isText, type Json, VendorError } from '../shared.ts';
/**
 * Client of Prove's phone-possession contract (VENDORS.md "Prove (phone possession)"). The flow
 * is Start, the phone check on the seeker's device, then the server-side steps that `next`
 * names; `verify` follows them.
 */

export interface ProveConfig {
  /** Absolute; `/token`, `/v3/…` and the device hook are resolved under it. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  /**
   * The sandbox's device hook (`<devicePath>/authenticate`, `<devicePath>/otp`). Production runs
   * Prove's client SDK on the seeker's device with the authToken instead, so it has no such path.
   */
  devicePath?: string;
}

/** The step to call → its path, ending with `{"done": "done"}`. */
export type ProveNext = Record<string, string>;

export interface ProveAddress {
  address: string;
  extendedAddress?: string;
  city: string;
  region: string;
  postalCode: string;
}

export interface ProveIndividual {
  firstName?: string;
  lastName?: string;
  dob?: string;
  ssn?: string;
  addresses?: ProveAddress[];
  emailAddresses?: string[];
}

export interface StartInput {
  phoneNumber: string;
  flowType: 'mobile' | 'desktop';
  dob?: string;
  emailAddress?: string;
  ipAddress?: string;
  smsMessage?: string;
  allowOTPRetry?: boolean;
  finalTargetUrl?: string;
}

export interface StartResult {
  correlationId: string;
  authToken: string;
  next: ProveNext;
}

export interface ValidateResult {
  success: boolean;
  challengeMissing: boolean;
  phoneNumber?: string;
  next: ProveNext;
}

export interface ChallengeResult {
  success: boolean;
  individual?: ProveIndividual;
  next: ProveNext;
}

export interface CompleteResult {
  success: boolean;
  idv?: Record<string, unknown>;
  next: ProveNext;
}

export type AuthenticateResult = { method: 'mobile_auth'; success: boolean } | { method: 'otp' };

export interface ProvePerson {
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  dob: string;
  address?: ProveAddress;
}

export type VerifyReason = 'possession_failed' | 'challenge_failed' | 'complete_failed';

export interface VerifyResult {
  verified: boolean;
  reason?: VerifyReason;
}

/**
 * A failed Prove call. `code` is Prove's numeric code, `invalid_response` (a 2xx we cannot read,
 * as 502), the HTTP status when the body carries no code, or `timeout` / `network`.
 */
export class ProveError extends VendorError {
  override readonly name = 'ProveError';

  constructor(status: number, code: string, operation: string) {
    super('Prove', status, code, operation);
  }
}

export { isRetryable };

const TIMEOUT_MS = 10_000;

export class ProveClient {
  private readonly baseUrl: string;
  private readonly devicePath: string;
  private readonly timeoutMs: number;
  private readonly token = new BearerToken(() => this.requestToken());

  constructor(private readonly config: ProveConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.devicePath = (config.devicePath ?? '/sdk').replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? TIMEOUT_MS;
  }

  async start(input: StartInput): Promise<StartResult> {
    const body = await this.call('start', '/v3/start', input);
    if (!isText(body.correlationId) || !isText(body.authToken)) throw invalid('start');
    return { correlationId: body.correlationId, authToken: body.authToken, next: nextOf(body, 'start') };
  }

  async validate(correlationId: string): Promise<ValidateResult> {
    const body = await this.call('validate', '/v3/validate', { correlationId });
    return {
      success: successOf(body, 'validate'),
      challengeMissing: body.challengeMissing === true,
      ...(isText(body.phoneNumber) && { phoneNumber: body.phoneNumber }),
      next: nextOf(body, 'validate'),
    };
  }

  async challenge(correlationId: string, facts: { dob?: string; ssn?: string }): Promise<ChallengeResult> {
    const body = await this.call('challenge', '/v3/challenge', { correlationId, ...facts });
    return {
      success: successOf(body, 'challenge'),
      ...(isRecord(body.individual) && { individual: individualOf(body.individual) }),
      next: nextOf(body, 'challenge'),
    };
  }

  async complete(correlationId: string, individual: ProveIndividual): Promise<CompleteResult> {
    const body = await this.call('complete', '/v3/complete', { correlationId, individual });
    return {
      success: successOf(body, 'complete'),
      ...(isRecord(body.idv) && { idv: body.idv }),
      next: nextOf(body, 'complete'),
    };
  }

  /**
   * Runs the server-side steps after the phone check, in the order Prove's `next` names them.
   * Challenge sends the person's dob; Complete sends what Challenge prefilled, overridden by
   * the person's own data.
   */
  async verify(correlationId: string, next: ProveNext, person: ProvePerson): Promise<VerifyResult> {
    const ran = new Set<string>();
    let pending = next;
    let prefill: ProveIndividual = {};
    for (let step = stepOf(pending); step !== 'done'; step = stepOf(pending)) {
      // Each of Prove's steps runs once: a step named again means a broken answer, not a loop.
      if (ran.has(step)) throw invalid('verify');
      ran.add(step);
      switch (step) {
        case 'v3-validate': {
          const validated = await this.validate(correlationId);
          if (!validated.success) return { verified: false, reason: 'possession_failed' };
          pending = validated.next;
          break;
        }
        case 'v3-challenge': {
          const challenged = await this.challenge(correlationId, { dob: person.dob });
          if (!challenged.success) return { verified: false, reason: 'challenge_failed' };
          prefill = challenged.individual ?? {};
          pending = challenged.next;
          break;
        }
        case 'v3-complete': {
          const completed = await this.complete(correlationId, individualFor(prefill, person));
          if (!completed.success) return { verified: false, reason: 'complete_failed' };
          pending = completed.next;
          break;
        }
        default:
          throw invalid('verify');
      }
    }
    // Possession is the point of Prove: a flow that never validated it verifies nothing.
    if (!ran.has('v3-validate')) throw invalid('verify');
    return { verified: true };
  }

  /** Sandbox only: what Prove's SDK does on the device right after Start. */
  async authenticate(authToken: string): Promise<AuthenticateResult> {
    const body = await this.device('authenticate', { authToken });
    if (body.method === 'otp') return { method: 'otp' };
    if (body.method === 'mobile_auth') return { method: 'mobile_auth', success: successOf(body, 'authenticate') };
    throw invalid('authenticate');
  }

  /** Sandbox only: the seeker typing the SMS code into Prove's SDK. */
  async submitOtp(authToken: string, code: string): Promise<{ success: boolean }> {
    const body = await this.device('otp', { authToken, code });
    return { success: successOf(body, 'otp') };
  }

  private async call(operation: string, path: string, body: object): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token.get();
      const res = await this.send(operation, path, 'application/json', JSON.stringify(compact(body)), token);
      // A token can be revoked before it expires (or the sandbox restarted): renew it once.
      if (res.status === 401 && attempt === 0) {
        this.token.drop(token);
        continue;
      }
      return answerOf(res, operation);
    }
  }

  /** The device hook carries no bearer: the authToken is the device's only credential. */
  private async device(step: 'authenticate' | 'otp', body: object): Promise<Json> {
    const res = await this.send(step, `${this.devicePath}/${step}`, 'application/json', JSON.stringify(body));
    return answerOf(res, step);
  }

  private async requestToken(): Promise<{ value: string; expiresInS: number }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
    const res = await this.send('token', '/token', 'application/x-www-form-urlencoded', form.toString());
    const body = answerOf(res, 'token');
    const ttl = Number(body.expires_in);
    if (!isText(body.access_token) || !/^bearer$/i.test(String(body.token_type)) || !(ttl > 0)) {
      throw invalid('token');
    }
    return { value: body.access_token, expiresInS: ttl };
  }

  /** POSTs and reads the whole answer under one timeout, so a stalled body cannot hang us. */
  private async send(operation: string, path: string, type: string, body: string, bearer?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': type, accept: 'application/json' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: res.status, ok: res.ok, body: parseJson(await res.text()) };
    } catch (err) {
      const code = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network';
      throw new ProveError(0, code, operation);
    }
  }
}

interface Answer {
  status: number;
  ok: boolean;
  /** undefined when the body is empty or not JSON (error pages, proxies). */
  body: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The JSON object of a 2xx answer; Prove's `{code}` (or the status) for anything else. */
function answerOf(res: Answer, operation: string): Json {
  if (!res.ok) {
    const code = isRecord(res.body) && typeof res.body.code === 'number' ? res.body.code : res.status;
    throw new ProveError(res.status, String(code), operation);
  }
  if (!isRecord(res.body)) throw invalid(operation);
  return res.body;
}

const invalid = (operation: string) => new ProveError(502, 'invalid_response', operation);

function successOf(body: Json, operation: string): boolean {
  if (typeof body.success !== 'boolean') throw invalid(operation);
  return body.success;
}

function nextOf(body: Json, operation: string): ProveNext {
  const { next } = body;
  if (!isRecord(next) || !Object.values(next).every((path) => typeof path === 'string')) throw invalid(operation);
  return next as ProveNext;
}

/** The step to call: any key but `done` first, since `done` alone ends the flow. */
function stepOf(next: ProveNext): string {
  const keys = Object.keys(next);
  const step = keys.find((key) => key !== 'done');
  if (step) return step;
  if (keys.includes('done')) return 'done';
  throw invalid('verify');
}

/** Known individual fields of the right type; anything else Prove sends is dropped. */
function individualOf(raw: Json): ProveIndividual {
  const text = (key: string) => (isText(raw[key]) ? { [key]: raw[key] } : {});
  const addresses = Array.isArray(raw.addresses) ? raw.addresses.filter(isAddress) : [];
  const emails = Array.isArray(raw.emailAddresses) ? raw.emailAddresses.filter(isText) : [];
  return {
    ...text('firstName'),
    ...text('lastName'),
    ...text('dob'),
    ...text('ssn'),
    ...(addresses.length > 0 && { addresses }),
    ...(emails.length > 0 && { emailAddresses: emails }),
  };
}

function isAddress(v: unknown): v is ProveAddress {
  return isRecord(v) && ['address', 'city', 'region', 'postalCode'].every((key) => isText(v[key]));
}

function individualFor(prefill: ProveIndividual, person: ProvePerson): ProveIndividual {
  return {
    ...prefill,
    firstName: person.firstName,
    lastName: person.lastName,
    dob: person.dob,
    ...(person.address && { addresses: [person.address] }),
  };
}

/** Prove wants empty fields omitted, never null: drops undefined, null, '' and empty lists. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact).filter((v) => v !== undefined);
  if (!isRecord(value)) return value === null || value === '' ? undefined : value;
  const entries = Object.entries(value)
    .map(([key, v]) => [key, compact(v)] as const)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return Object.fromEntries(entries);
}
