import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RETENTION_RULES, type RetentionRule } from '../machines/effects.ts';
import { type EscalationRuleFields, parseRules } from './checks/escalation.ts';
import { loadPackages, type Package } from './checks/packages.ts';
import { writeAtomic } from './durable-file.ts';
import type { OutboundPolicy } from './outbound.ts';
import { SUBJECTS_CACHED } from './runtime/held-keys.ts';

// ── The environment: one schema for every variable (README "Running") ─────────────────────────

const DAY = 24 * 60 * 60 * 1000;

const whole = (what: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `${what}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what}`);
/** Durations are whole milliseconds: `2m` or `1.5` are refused, not misread. */
const ms = (fallback: number) => whole(`a whole number of milliseconds, such as ${fallback}`).default(fallback);
const perMinute = (fallback: number) => whole('a whole number of requests per minute (0 turns the limit off)').default(fallback);
const flag = z.enum(['0', '1'], 'a flag: 0 or 1').transform((v) => v === '1');
const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const text = z.string();
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
const base64Key = z.base64('a base64 key').transform((s) => Buffer.from(s, 'base64'));
const keyList = 'a comma-separated list of base64 32-byte keys';
const dataKeys = list.pipe(
  z
    .array(
      z
        .base64(keyList)
        .transform((s) => Buffer.from(s, 'base64'))
        .refine((key) => key.length === 32, keyList),
      keyList,
    )
    .min(1, keyList),
);
const PERIOD_UNITS = { h: 60 * 60 * 1000, d: DAY, w: 7 * DAY, y: 365 * DAY };
const retentionForm = `comma-separated rule=period pairs, rules among ${RETENTION_RULES.join(', ')}, periods such as 30d, 2y (units h, d, w, y)`;
/** T4: `candidates=7y,closed_members=30d,failed_idv=2y`; a rule left out keeps that data. */
const retention = list.transform((pairs, ctx) => {
  const rules: Partial<Record<RetentionRule, number>> = {};
  for (const pair of pairs) {
    const [, rule, amount, unit] = /^([a-z_]+)=(\d+)([hdwy])$/.exec(pair) ?? [];
    if (!RETENTION_RULES.includes(rule as RetentionRule) || rules[rule as RetentionRule] !== undefined || Number(amount) === 0) {
      ctx.addIssue(`${retentionForm}; each rule once, periods above 0 (not ${JSON.stringify(pair)})`);
      return z.NEVER;
    }
    rules[rule as RetentionRule] = Number(amount) * PERIOD_UNITS[unit as keyof typeof PERIOD_UNITS];
  }
  return rules;
});

/**
 * Every environment variable trustwire reads, parsed once at start-up. An empty value counts as
 * unset. The README's "Running" table names exactly these (test/config.test.ts checks it).
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], 'development, production or test').default('development'),
  PORT: whole('a port number from 0 to 65535', 0, 65535).default(3000),
  HOST: text.optional(),
  DATA_DIR: text.default('./data'),
  STORE: z.enum(['lowdb', 'postgres'], 'lowdb or postgres').default('lowdb'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// URL' }).optional(),
  DATABASE_POOL_SIZE: whole('a pool size from 1 to 1000', 1, 1000).default(10),
  CLAIM_LEASE_MS: ms(60_000),
  AUDIT_CHECKPOINT_MS: ms(60 * 60 * 1000),
  API_KEYS: list.optional(),
  DEMO: flag.default(false),
  SANDBOX: flag.default(false),
  CBGC_ROLLOUT: whole('a percentage from 0 to 100', 0, 100).default(100),
  CBGC_ALLOWLIST: list.default([]),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: text.default('trustwire <no-reply@trustwire.local>'),
  DATA_KEY: base64Key.optional(),
  DATA_KEYS: dataKeys.optional(),
  SUBJECT_KEYS_CACHED: whole('a number of subjects, at least 16', 16).default(SUBJECTS_CACHED),
  SESSION_SECRET: base64Key.optional(),
  PROVIDER_REMINDER_MS: ms(3 * DAY),
  INVITATION_EXPIRY_MS: ms(7 * DAY),
  INVITATION_REMINDER_MS: ms(DAY),
  REPORT_SUSPENSION_MS: ms(30 * DAY),
  ADVERSE_ACTION_WAIT_MS: ms(7 * DAY),
  IDV_VENDOR_TIMEOUT_MS: ms(2 * 60 * 1000),
  RETENTION: retention.default({}),
  VENDOR_TIMEOUT_MS: ms(10_000),
  PROVE_URL: url.optional(),
  PROVE_CLIENT_ID: text.default('trustwire'),
  PROVE_CLIENT_SECRET: text.optional(),
  VERIFF_URL: url.optional(),
  VERIFF_API_KEY: text.optional(),
  VERIFF_SHARED_SECRETS: list.optional(),
  STERLING_URL: url.optional(),
  STERLING_CLIENT_ID: text.default('trustwire'),
  STERLING_CLIENT_SECRET: text.optional(),
  IDME_URL: url.optional(),
  IDME_CLIENT_ID: text.default('trustwire'),
  IDME_CLIENT_SECRET: text.optional(),
  PACKAGES_FILE: text.optional(),
  ESCALATION_RULES: text.optional(),
  CRM_WEBHOOK_URL: url.optional(),
  CRM_WEBHOOK_SECRET: text.default(''),
  BILLING_WEBHOOK_URL: url.optional(),
  BILLING_WEBHOOK_SECRET: text.default(''),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag.default(false),
  SELF_URL: url.optional(),
  SANDBOX_SCREENING_DELAY_MS: ms(2000),
  SANDBOX_VERIFF_DELAY_MS: ms(1000),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 100kb or 1mb')
    .default('1mb'),
  RATE_LIMIT_PER_MINUTE: perMinute(600),
  INTEGRATOR_RATE_LIMIT_PER_MINUTE: perMinute(1200),
  RATE_LIMIT_WINDOW_MS: ms(60_000),
  METRICS_TOKEN: text.optional(),
  SOCKETS_PER_CALLER: whole('a number of sockets per caller from 0 (no cap) to 10000', 0, 10_000).default(20),
  SHUTDOWN_TIMEOUT_MS: ms(10_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'a pino level: fatal, error, warn, info, debug, trace or silent')
    .default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** A setting that stops the start: one line naming the variable and what it takes. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variables trustwire reads, taken from the whole process environment (unknown names are not its business). */
export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const known = Object.fromEntries(Object.keys(envSchema.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const result = envSchema.safeParse(known);
  if (result.success) return result.data;
  const problem = result.error.issues[0];
  const name = String(problem.path[0]);
  throw new ConfigError(`${name} must be ${problem.message} (got ${JSON.stringify(known[name])})`);
}

// ── The configuration the server is composed from ────────────────────────────────────────────

/** Everything configurable, read once from the environment (API.md, "Running"). */
export interface Config {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  /** The interface to listen on (HOST); by default 127.0.0.1 with DEMO=1, else every interface. */
  host?: string;
  /** NODE_ENV=production: secrets from the environment, no demo, no sandboxes unless SANDBOX=1. */
  production: boolean;
  dataDir: string;
  store: 'lowdb' | 'postgres';
  /** STORE=postgres: the database every node shares, and this node's pool size. */
  databaseUrl?: string;
  databasePoolSize: number;
  /** How long a node's claim on due reminders and outbox entries lasts: a dead node's work moves on after it. */
  claimLeaseMs: number;
  /** How often the heads of every audit chain are checkpointed (0: never). */
  auditCheckpointMs: number;
  apiKeys: string[];
  /** True when no API_KEYS were given and a development key was generated. */
  devApiKey: boolean;
  demo: boolean;
  /** `SANDBOX=1`: the vendor sandboxes are wanted even in production. */
  allowSandbox: boolean;
  cbgcRollout: number;
  cbgcAllowlist: string[];
  smtpUrl?: string;
  mailFrom: string;
  sessionSecret: Buffer;
  /** DATA_KEYS (or DATA_KEY as a list of one): the first seals and wraps, every one opens (rotation). */
  dataKeys: Buffer[];
  /** Subjects whose data keys a node keeps in memory, the least recently used leaving first (issue 14). */
  subjectKeysCached: number;
  bodyLimit: string;
  /** Requests per window (a minute) per session subject, and per integrator; 0 turns a limit off. */
  rateLimit: { session: number; integrator: number; windowMs: number };
  /** Open sockets per caller, Socket.IO and the WebSocket stream together; 0 turns the cap off. */
  socketsPerCaller: number;
  /** Named delays of machine reminders (ms). */
  delays: Record<string, number>;
  /** T4: each retention rule's period (ms), for the rules configured (`RETENTION`). */
  retention: Partial<Record<RetentionRule, number>>;
  /** Background-check packages (`PACKAGES_FILE`) and escalation rules (`ESCALATION_RULES`, B7). */
  packages: Package[];
  escalationRules: EscalationRuleFields[];
  /** How the server reaches itself (sandbox vendors, callbacks); by default its loopback port. */
  selfUrl?: string;
  /** Vendor endpoints and credentials; a vendor without a URL is the sandbox under /sandbox/<vendor>. */
  prove: { url?: string; clientId: string; clientSecret: string };
  veriff: { url?: string; apiKey: string; sharedSecrets: string[] };
  sterling: { url?: string; clientId: string; clientSecret: string };
  idme: { url?: string; clientId: string; clientSecret: string };
  /** Outgoing calls to URLs others chose (webhooks, CRM, billing): WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 allows loopback and private ranges. */
  outbound: OutboundPolicy;
  /** Outside systems cases and refunds are forwarded to; off without a URL. */
  crm: { url?: string; secret: string };
  billing: { url?: string; secret: string };
  /** How long one vendor HTTP call may take before it counts as failed (and is retried). */
  vendorTimeoutMs: number;
  /** Base delays of the sandboxes' simulated vendor work (ms). */
  sandbox: { screeningDelayMs: number; veriffDecisionDelayMs: number };
  /** A bearer token `GET /metrics` requires; open without one. */
  metricsToken?: string;
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: Env['LOG_LEVEL'];
}

interface Secrets {
  api_key: string;
  session_secret: string;
  data_key: string;
}

/**
 * Development secrets (API key, session signing secret, data key) are generated once under
 * DATA_DIR so that restarts keep sessions and stored data readable; production sets them. A file
 * that exists but cannot be read or parsed stops the start: generating new keys would leave the
 * store unreadable.
 */
async function devSecrets(dataDir: string): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ConfigError(
      `DATA_DIR holds ${file}, which cannot be read (${error.code ?? error.message}); fix its permissions or set DATA_KEY, SESSION_SECRET and API_KEYS`,
    );
  });
  if (existing !== undefined) {
    try {
      return JSON.parse(existing) as Secrets;
    } catch {
      throw new ConfigError(`DATA_DIR holds ${file}, which is not valid JSON; restore it or set DATA_KEY, SESSION_SECRET and API_KEYS`);
    }
  }
  const secrets = {
    api_key: `tw_dev_${randomBytes(18).toString('base64url')}`,
    session_secret: randomBytes(32).toString('base64'),
    data_key: randomBytes(32).toString('base64'),
  };
  await mkdir(dataDir, { recursive: true });
  // Atomic and durable: losing the data key would leave the whole store unreadable.
  await writeAtomic(file, JSON.stringify(secrets, null, 2));
  return secrets;
}

/** A setting read from a file or JSON text, its complaints named after the variable. */
async function setting<T>(name: string, read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s*\n\s*/g, '; ') : (error as Error).message;
    throw new ConfigError(`${name} is not usable: ${reason}`);
  }
}

/** The data keys given: DATA_KEYS, or DATA_KEY as a list of one; never both (which would win is a guess). */
function givenDataKeys(env: Env): Buffer[] | undefined {
  if (env.DATA_KEY && env.DATA_KEYS) throw new ConfigError('DATA_KEY and DATA_KEYS are both set: set DATA_KEYS only (the first key wraps, every key unwraps)');
  return env.DATA_KEYS ?? (env.DATA_KEY ? [env.DATA_KEY] : undefined);
}

/** Several nodes on one database must agree on their keys, so none may generate its own. */
function checkPostgres(env: Env) {
  if (env.STORE !== 'postgres') return;
  const missing = [
    ...(env.DATABASE_URL ? [] : ['DATABASE_URL']),
    ...(givenDataKeys(env) ? [] : ['DATA_KEY']),
    ...(env.SESSION_SECRET ? [] : ['SESSION_SECRET']),
  ];
  if (missing.length)
    throw new ConfigError(
      `STORE=postgres needs ${missing.join(', ')}: every node on the database must be given the same DATA_KEY (or DATA_KEYS, in the same order) and SESSION_SECRET`,
    );
}

const VENDOR_URLS = ['PROVE_URL', 'VERIFF_URL', 'STERLING_URL', 'IDME_URL'] as const;

/** What NODE_ENV=production refuses to start with: generated secrets, the demo sign-in, sandboxes standing in for vendors unasked. */
function productionProblems(env: Env): string[] {
  const problems = (['SESSION_SECRET', 'API_KEYS'] as const).filter((name) => !env[name]).map((name) => `${name} must be set`);
  if (!givenDataKeys(env)) problems.unshift('DATA_KEY must be set (or DATA_KEYS)');
  if (env.DEMO) problems.push('DEMO=1 (the unauthenticated demo sign-in) is for development only');
  const sandboxed = VENDOR_URLS.filter((name) => !env[name]);
  if (sandboxed.length > 0 && !env.SANDBOX)
    problems.push(`${sandboxed.join(', ')} unset would run the sandboxes: set them, or SANDBOX=1 to run sandboxes on purpose`);
  return problems;
}

export async function loadConfig(environment: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const env = parseEnv(environment);
  const keys = givenDataKeys(env);
  checkPostgres(env);
  const dataDir = resolve(env.DATA_DIR);
  const production = env.NODE_ENV === 'production';
  const problems = production ? productionProblems(env) : [];
  if (problems.length > 0) throw new ConfigError(`NODE_ENV=production: ${problems.join('; ')}.`);
  // Production takes every secret from the environment: nothing is generated beside the store.
  const secrets = production ? undefined : await devSecrets(dataDir);
  const apiKeys = env.API_KEYS?.length ? env.API_KEYS : undefined;
  const sessionSecret = env.SESSION_SECRET ?? Buffer.from(secrets!.session_secret, 'base64');
  // Sandbox credentials derive from the session secret: stable across restarts, never a constant in the code.
  const generated = (purpose: string) => createHmac('sha256', sessionSecret).update(`${purpose} sandbox`).digest('hex');
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST ?? (env.DEMO ? '127.0.0.1' : undefined),
    production,
    dataDir,
    store: env.STORE,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    claimLeaseMs: env.CLAIM_LEASE_MS,
    auditCheckpointMs: env.AUDIT_CHECKPOINT_MS,
    apiKeys: apiKeys ?? [secrets!.api_key],
    devApiKey: !apiKeys,
    demo: env.DEMO,
    allowSandbox: env.SANDBOX,
    cbgcRollout: env.CBGC_ROLLOUT,
    cbgcAllowlist: env.CBGC_ALLOWLIST,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    sessionSecret,
    dataKeys: keys ?? [Buffer.from(secrets!.data_key, 'base64')],
    subjectKeysCached: env.SUBJECT_KEYS_CACHED,
    bodyLimit: env.BODY_LIMIT,
    rateLimit: { session: env.RATE_LIMIT_PER_MINUTE, integrator: env.INTEGRATOR_RATE_LIMIT_PER_MINUTE, windowMs: env.RATE_LIMIT_WINDOW_MS },
    socketsPerCaller: env.SOCKETS_PER_CALLER,
    delays: {
      provider_reminder: env.PROVIDER_REMINDER_MS,
      invitation_expiry: env.INVITATION_EXPIRY_MS,
      invitation_reminder: env.INVITATION_REMINDER_MS,
      report_suspension: env.REPORT_SUSPENSION_MS,
      adverse_action_wait: env.ADVERSE_ACTION_WAIT_MS,
      idv_vendor_timeout: env.IDV_VENDOR_TIMEOUT_MS,
    },
    retention: env.RETENTION,
    selfUrl: env.SELF_URL,
    packages: await setting('PACKAGES_FILE', () => loadPackages(env.PACKAGES_FILE)),
    escalationRules: await setting('ESCALATION_RULES', () => parseRules(env.ESCALATION_RULES)),
    prove: { url: env.PROVE_URL, clientId: env.PROVE_CLIENT_ID, clientSecret: env.PROVE_CLIENT_SECRET ?? generated('prove') },
    veriff: {
      url: env.VERIFF_URL,
      apiKey: env.VERIFF_API_KEY ?? generated('veriff api key'),
      sharedSecrets: env.VERIFF_SHARED_SECRETS?.length ? env.VERIFF_SHARED_SECRETS : [generated('veriff')],
    },
    sterling: { url: env.STERLING_URL, clientId: env.STERLING_CLIENT_ID, clientSecret: env.STERLING_CLIENT_SECRET ?? generated('sterling') },
    idme: { url: env.IDME_URL, clientId: env.IDME_CLIENT_ID, clientSecret: env.IDME_CLIENT_SECRET ?? generated('idme') },
    outbound: { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS },
    vendorTimeoutMs: env.VENDOR_TIMEOUT_MS,
    crm: { url: env.CRM_WEBHOOK_URL, secret: env.CRM_WEBHOOK_SECRET },
    billing: { url: env.BILLING_WEBHOOK_URL, secret: env.BILLING_WEBHOOK_SECRET },
    sandbox: { screeningDelayMs: env.SANDBOX_SCREENING_DELAY_MS, veriffDecisionDelayMs: env.SANDBOX_VERIFF_DELAY_MS },
    metricsToken: env.METRICS_TOKEN,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
  };
}
