import { randomBytes, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { clientCredentialsValid } from '../sandbox-clients.ts';

/**
 * Prove's phone-possession contract (VENDORS.md "Prove (phone possession)"), served in memory for
 * development and tests. Mount it at `/sandbox/prove`. State lives in memory only, so no personal
 * data reaches the disk, and a restart ends every flow.
 *
 * - `clients` maps client_id → client_secret: only registered credentials get a token.
 * - `now` is the sandbox's clock, so tests can outlive a flow or a code without waiting.
 * - The phone check that Prove's SDK runs on the device is a control hook instead:
 *   `POST /sdk/authenticate {authToken}` and `POST /sdk/otp {authToken, code}`. The authToken
 *   is its credential (no bearer). The legal phone's last two digits decide (API.md "Sandbox"):
 *   `00` mobile auth passes, `99` mobile auth fails with no SMS fallback, anything else gets the
 *   SMS code `123456`. Instant Link is not modelled: desktop flows take the same check.
 */
export interface ProveSandboxOptions {
  clients: Record<string, string>;
  now?: () => number;
}

const TOKEN_TTL_S = 3600;
const FLOW_TTL_MS = 15 * 60_000;
const OTP_TTL_MS = 2 * 60_000;
export const SANDBOX_OTP = '123456';
/** Prove refuses bodies of 4 KB or more; body-parser's limit admits its own size. */
const BODY_LIMIT = 4 * 1024 - 1;

const INTERNAL = 8000;
const MALFORMED = 8001;
const UNAUTHORIZED = 8002;
const OUT_OF_ORDER = 8003;
const BAD_CORRELATION = 8008;

type Step = 'started' | 'validated' | 'challenged' | 'completed';

interface Flow {
  correlationId: string;
  authToken: string;
  phoneNumber: string;
  allowOTPRetry: boolean;
  expiresAt: number;
  step: Step;
  /** Undecided until the device check ends. */
  possession?: boolean;
  otp?: { expiresAt: number; triesLeft: number };
}

class ProveFault extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const DOB = /^\d{4}-\d{2}-\d{2}$/;
const SSN = /^(\d{4}|\d{9})$/;

function bodyOf(req: Request): Body {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProveFault(400, MALFORMED, 'a JSON object body is required');
  }
  return body as Body;
}

function requireText(body: Body, field: string): string {
  const value = body[field];
  if (!isText(value)) throw new ProveFault(400, MALFORMED, `${field} is required`);
  return value;
}

/** An optional field: absent, or a string of the right shape. */
function optionalText(body: Body, field: string, shape?: RegExp, maxLength = 256): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength || (shape && !shape.test(value))) {
    throw new ProveFault(400, MALFORMED, `${field} is malformed`);
  }
  return value;
}

/** E.164 allows up to 15 digits; separators are ignored. */
function phoneDigits(phone: string): string | undefined {
  if (!/^\+?[\d\s().-]+$/.test(phone)) return undefined;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 ? digits : undefined;
}

function sendFault(res: Response, fault: ProveFault): void {
  res.status(fault.status).json({ code: fault.code, message: fault.message });
}

export function proveSandbox(options: ProveSandboxOptions): express.Router {
  const now = options.now ?? Date.now;
  const tokens = new Map<string, number>();
  const flows = new Map<string, Flow>();
  const byAuthToken = new Map<string, Flow>();

  const forget = (flow: Flow) => {
    flows.delete(flow.correlationId);
    byAuthToken.delete(flow.authToken);
  };

  const pruneExpired = () => {
    const at = now();
    for (const [token, expiresAt] of tokens) if (expiresAt <= at) tokens.delete(token);
    for (const flow of flows.values()) if (flow.expiresAt <= at) forget(flow);
  };

  /** The live flow; an expired one is forgotten on sight. */
  const live = (flow: Flow | undefined): Flow | undefined => {
    if (!flow || flow.expiresAt > now()) return flow;
    forget(flow);
    return undefined;
  };

  const flowOf = (body: Body): Flow => {
    const flow = live(flows.get(requireText(body, 'correlationId')));
    if (!flow) throw new ProveFault(404, BAD_CORRELATION, 'unknown or expired correlationId');
    return flow;
  };

  const deviceFlowOf = (body: Body): Flow => {
    const flow = live(byAuthToken.get(requireText(body, 'authToken')));
    if (!flow) throw new ProveFault(401, UNAUTHORIZED, 'unknown or expired authToken');
    return flow;
  };

  const requireStep = (flow: Flow, step: Step) => {
    if (flow.step !== step) throw new ProveFault(400, OUT_OF_ORDER, 'step out of order');
  };

  /** A code left to expire unanswered fails the check, as a seeker who never typed it. */
  const settleExpiredOtp = (flow: Flow) => {
    if (flow.possession === undefined && flow.otp && flow.otp.expiresAt <= now()) flow.possession = false;
  };

  const router = express.Router();
  router.use('/v3', (req, res, next) => {
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    const expiresAt = match ? tokens.get(match[1]) : undefined;
    if (expiresAt === undefined || expiresAt <= now()) {
      sendFault(res, new ProveFault(401, UNAUTHORIZED, 'invalid or expired access token'));
      return;
    }
    next();
  });
  router.use(express.json({ limit: BODY_LIMIT }));

  router.post('/token', express.urlencoded({ extended: false, limit: BODY_LIMIT }), (req, res) => {
    const form = bodyOf(req);
    if (form.grant_type !== 'client_credentials') throw new ProveFault(400, MALFORMED, 'grant_type must be client_credentials');
    if (!clientCredentialsValid(options.clients, form.client_id, form.client_secret)) throw new ProveFault(401, UNAUTHORIZED, 'invalid client');
    pruneExpired();
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now() + TOKEN_TTL_S * 1000);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_S });
  });

  router.post('/v3/start', (req, res) => {
    const body = bodyOf(req);
    if (body.flowType !== 'mobile' && body.flowType !== 'desktop') {
      throw new ProveFault(400, MALFORMED, 'flowType must be mobile or desktop');
    }
    const phoneNumber = requireText(body, 'phoneNumber');
    if (!phoneDigits(phoneNumber)) throw new ProveFault(400, MALFORMED, 'phoneNumber is malformed');
    optionalText(body, 'finalTargetUrl', undefined, 128);
    optionalText(body, 'dob', DOB);
    optionalText(body, 'ssn', SSN);
    for (const field of ['ipAddress', 'emailAddress', 'smsMessage']) optionalText(body, field);
    if (body.allowOTPRetry !== undefined && typeof body.allowOTPRetry !== 'boolean') {
      throw new ProveFault(400, MALFORMED, 'allowOTPRetry must be a boolean');
    }
    pruneExpired();
    const flow: Flow = {
      correlationId: randomUUID(),
      authToken: randomBytes(32).toString('base64url'),
      phoneNumber,
      allowOTPRetry: body.allowOTPRetry === true,
      expiresAt: now() + FLOW_TTL_MS,
      step: 'started',
    };
    flows.set(flow.correlationId, flow);
    byAuthToken.set(flow.authToken, flow);
    res.json({ authToken: flow.authToken, correlationId: flow.correlationId, next: { 'v3-validate': '/v3/validate' } });
  });

  router.post('/sdk/authenticate', (req, res) => {
    const flow = deviceFlowOf(bodyOf(req));
    // One phone check per flow: a seeker who wants another go starts a new flow.
    if (flow.possession !== undefined || flow.otp) throw new ProveFault(400, OUT_OF_ORDER, 'phone check already ran');
    const digits = phoneDigits(flow.phoneNumber) ?? '';
    if (digits.endsWith('00') || digits.endsWith('99')) {
      flow.possession = digits.endsWith('00');
      res.json({ method: 'mobile_auth', success: flow.possession });
      return;
    }
    // "Sends" SANDBOX_OTP: no SMS leaves the sandbox.
    flow.otp = { expiresAt: now() + OTP_TTL_MS, triesLeft: flow.allowOTPRetry ? 3 : 1 };
    res.json({ method: 'otp' });
  });

  router.post('/sdk/otp', (req, res) => {
    const body = bodyOf(req);
    const code = requireText(body, 'code');
    const flow = deviceFlowOf(body);
    const { otp } = flow;
    if (!otp) throw new ProveFault(400, OUT_OF_ORDER, 'no code was sent');
    settleExpiredOtp(flow);
    // A decided check stays decided: later codes (the right one included) change nothing.
    if (flow.possession !== undefined) {
      res.json({ success: false });
      return;
    }
    otp.triesLeft--;
    const success = code === SANDBOX_OTP;
    if (success || otp.triesLeft === 0) flow.possession = success;
    res.json({ success });
  });

  router.post('/v3/validate', (req, res) => {
    const flow = flowOf(bodyOf(req));
    settleExpiredOtp(flow);
    if (flow.possession === undefined) throw new ProveFault(400, OUT_OF_ORDER, 'the phone check has not run');
    requireStep(flow, 'started');
    flow.step = 'validated';
    const success = flow.possession;
    res.json({
      success,
      challengeMissing: true,
      ...(success && { phoneNumber: flow.phoneNumber }),
      next: success ? { 'v3-challenge': '/v3/challenge' } : { done: 'done' },
    });
  });

  router.post('/v3/challenge', (req, res) => {
    const body = bodyOf(req);
    const dob = optionalText(body, 'dob', DOB);
    const ssn = optionalText(body, 'ssn', SSN);
    if (!dob && !ssn) throw new ProveFault(400, MALFORMED, 'dob or ssn is required');
    const flow = flowOf(body);
    requireStep(flow, 'validated');
    if (!flow.possession) throw new ProveFault(400, OUT_OF_ORDER, 'possession was not validated');
    flow.step = 'challenged';
    // The sandbox knows nobody: its prefill is what the caller told it.
    res.json({
      success: true,
      individual: { ...(dob && { dob }), ...(ssn && { ssn }) },
      next: { 'v3-complete': '/v3/complete' },
    });
  });

  router.post('/v3/complete', (req, res) => {
    const body = bodyOf(req);
    const individual = body.individual;
    if (typeof individual !== 'object' || individual === null || Array.isArray(individual)) {
      throw new ProveFault(400, MALFORMED, 'individual is required');
    }
    const { firstName, lastName, ssn } = individual as Body;
    const named = isText(firstName) && isText(lastName);
    if (!named && !(typeof ssn === 'string' && SSN.test(ssn))) {
      throw new ProveFault(400, MALFORMED, 'individual needs firstName and lastName, or ssn');
    }
    const flow = flowOf(body);
    requireStep(flow, 'challenged');
    flow.step = 'completed';
    res.json({ success: true, next: { done: 'done' }, idv: { status: 'verified' } });
  });

  // Four parameters mark an error handler for express.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ProveFault) return sendFault(res, err);
    // body-parser's errors carry a 4xx status: bad JSON, too large, bad charset.
    const status = (err as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendFault(res, new ProveFault(400, MALFORMED, 'malformed request body'));
    }
    sendFault(res, new ProveFault(500, INTERNAL, 'internal error'));
  });

  return router;
}
