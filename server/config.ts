import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseRules, type EscalationRuleFields } from './checks/escalation.ts';
import { loadPackages, type Package } from './checks/packages.ts';
import { writeAtomic } from './durable-file.ts';

/** Everything configurable, read once from the environment (API.md, "Running"). */
export interface Config {
  port: number;
  dataDir: string;
  store: 'lowdb' | 'postgres';
  databaseUrl?: string;
  apiKeys: string[];
  /** True when no API_KEYS were given and a development key was generated. */
  devApiKey: boolean;
  demo: boolean;
  cbgcRollout: number;
  cbgcAllowlist: string[];
  smtpUrl?: string;
  sessionSecret: Buffer;
  dataKey: Buffer;
  bodyLimit: string;
  /** Requests per minute per session subject, and per integrator; 0 turns a limit off. */
  rateLimit: { session: number; integrator: number };
  /** Named delays of machine reminders (ms). */
  delays: Record<string, number>;
  /** Background-check packages (`PACKAGES_FILE`) and escalation rules (`ESCALATION_RULES`, B7). */
  packages: Package[];
  escalationRules: EscalationRuleFields[];
  /** How the server reaches itself (sandbox vendors, callbacks); by default its loopback port. */
  selfUrl?: string;
  /** Vendor endpoints and credentials; a vendor without a URL is the sandbox under /sandbox/<vendor>. */
  prove: { url?: string; clientId: string; clientSecret: string };
  veriff: { url?: string; apiKey: string; sharedSecrets: string[] };
  /** Outside systems cases and refunds are forwarded to; off without a URL. */
  crm: { url?: string; secret: string };
  billing: { url?: string; secret: string };
  /** How long one vendor HTTP call may take before it counts as failed (and is retried). */
  vendorTimeoutMs: number;
  /** Base delays of the sandboxes' simulated vendor work (ms). */
  sandbox: { screeningDelayMs: number; veriffDecisionDelayMs: number };
}

const DAY = 24 * 60 * 60 * 1000;

interface Secrets {
  api_key: string;
  session_secret: string;
  data_key: string;
}

/**
 * Development secrets (API key, session signing secret, data key) are generated once under
 * DATA_DIR so that restarts keep sessions and stored data readable; production sets them.
 */
async function devSecrets(dataDir: string): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing) as Secrets;
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

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const secrets = await devSecrets(dataDir);
  const port = Number(env.PORT ?? 3000);
  const apiKeys = list(env.API_KEYS);
  const sessionSecret = Buffer.from(env.SESSION_SECRET ?? secrets.session_secret, 'base64');
  return {
    port,
    dataDir,
    store: env.STORE === 'postgres' ? 'postgres' : 'lowdb',
    databaseUrl: env.DATABASE_URL,
    apiKeys: apiKeys.length ? apiKeys : [secrets.api_key],
    devApiKey: apiKeys.length === 0,
    demo: env.DEMO === '1',
    cbgcRollout: Math.min(100, Math.max(0, Number(env.CBGC_ROLLOUT ?? 100))),
    cbgcAllowlist: list(env.CBGC_ALLOWLIST),
    smtpUrl: env.SMTP_URL || undefined,
    sessionSecret,
    dataKey: Buffer.from(env.DATA_KEY ?? secrets.data_key, 'base64'),
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    rateLimit: { session: Number(env.RATE_LIMIT_PER_MINUTE ?? 600), integrator: Number(env.INTEGRATOR_RATE_LIMIT_PER_MINUTE ?? 0) },
    delays: {
      provider_reminder: Number(env.PROVIDER_REMINDER_MS ?? 3 * DAY),
      invitation_expiry: Number(env.INVITATION_EXPIRY_MS ?? 7 * DAY),
      invitation_reminder: Number(env.INVITATION_REMINDER_MS ?? DAY),
      report_suspension: Number(env.REPORT_SUSPENSION_MS ?? 30 * DAY),
      adverse_action_wait: Number(env.ADVERSE_ACTION_WAIT_MS ?? 7 * DAY),
      idv_vendor_timeout: Number(env.IDV_VENDOR_TIMEOUT_MS ?? 2 * 60 * 1000),
    },
    selfUrl: env.SELF_URL || undefined,
    packages: await loadPackages(env.PACKAGES_FILE),
    escalationRules: parseRules(env.ESCALATION_RULES),
    prove: { url: env.PROVE_URL || undefined, clientId: env.PROVE_CLIENT_ID ?? 'trustwire', clientSecret: env.PROVE_CLIENT_SECRET ?? 'sandbox' },
    veriff: {
      url: env.VERIFF_URL || undefined,
      apiKey: env.VERIFF_API_KEY ?? 'trustwire-sandbox',
      // The sandbox's secret derives from the session secret: stable across restarts, never a constant in the code.
      sharedSecrets: list(env.VERIFF_SHARED_SECRETS).length ? list(env.VERIFF_SHARED_SECRETS) : [createHmac('sha256', sessionSecret).update('veriff sandbox').digest('hex')],
    },
    vendorTimeoutMs: Number(env.VENDOR_TIMEOUT_MS ?? 10_000),
    crm: { url: env.CRM_WEBHOOK_URL || undefined, secret: env.CRM_WEBHOOK_SECRET ?? '' },
    billing: { url: env.BILLING_WEBHOOK_URL || undefined, secret: env.BILLING_WEBHOOK_SECRET ?? '' },
    sandbox: { screeningDelayMs: Number(env.SANDBOX_SCREENING_DELAY_MS ?? 2000), veriffDecisionDelayMs: Number(env.SANDBOX_VERIFF_DELAY_MS ?? 1000) },
  };
}
