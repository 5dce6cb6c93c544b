import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig, parseEnv } from '../../server/config.ts';
import { createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { close, listen, urlOf } from '../helpers/http.ts';
import { eventually } from '../helpers/process.ts';
import { createMembers, startTestServer } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'trustwire-config-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const refusal = (env: Record<string, string>) => {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
};

/** `node server/main.ts` with `env`: its exit code and what it wrote to stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const DAY = 24 * 60 * 60 * 1000;

describe('configuration', () => {
  it('refuses a wrong value with one message naming the variable and what it takes', () => {
    expect(refusal({ IDV_VENDOR_TIMEOUT_MS: '2m' })).toBe('IDV_VENDOR_TIMEOUT_MS must be a whole number of milliseconds, such as 120000 (got "2m")');
    expect(refusal({ PORT: 'abc' })).toBe('PORT must be a port number from 0 to 65535 (got "abc")');
    expect(refusal({ PORT: '70000' })).toMatch(/^PORT must be a port number/);
    expect(refusal({ STORE: 'mongo' })).toBe('STORE must be lowdb or postgres (got "mongo")');
    expect(refusal({ CBGC_ROLLOUT: '101' })).toMatch(/^CBGC_ROLLOUT must be a percentage/);
    expect(refusal({ DEMO: 'yes' })).toMatch(/^DEMO must be a flag: 0 or 1/);
    expect(refusal({ PROVE_URL: 'prove.example' })).toMatch(/^PROVE_URL must be an http\(s\) URL/);
    expect(refusal({ LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL must be a pino level/);
  });

  it('takes RETENTION as rule=period pairs and refuses unknown rules, repeated ones and bad periods', async () => {
    const dataDir = await tempDir();
    expect((await loadConfig({ DATA_DIR: dataDir, RETENTION: 'candidates=7y, closed_members=30d,failed_idv=104w' })).retention).toEqual({
      candidates: 7 * 365 * DAY,
      closed_members: 30 * DAY,
      failed_idv: 104 * 7 * DAY,
    });
    expect((await loadConfig({ DATA_DIR: dataDir })).retention, 'no rule: everything is kept').toEqual({});
    for (const wrong of ['members=30d', 'candidates=7', 'candidates=0d', 'candidates=7y,candidates=1y', 'candidates=1.5y'])
      expect(refusal({ RETENTION: wrong }), wrong).toMatch(
        /^RETENTION must be comma-separated rule=period pairs, rules among closed_members, failed_idv, candidates/,
      );
  });

  it('takes DATA_KEYS as a list of base64 32-byte keys, DATA_KEY as a list of one, and refuses both at once', async () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const dataDir = await tempDir();
    expect(refusal({ DATA_KEYS: `${a.toString('base64')},${randomBytes(16).toString('base64')}` })).toMatch(
      /^DATA_KEYS must be a comma-separated list of base64 32-byte keys/,
    );
    expect(refusal({ DATA_KEYS: 'not base64!' })).toMatch(/^DATA_KEYS must be a comma-separated list of base64 32-byte keys/);
    expect((await loadConfig({ DATA_DIR: dataDir, DATA_KEYS: `${b.toString('base64')}, ${a.toString('base64')}` })).dataKeys).toEqual([b, a]);
    expect((await loadConfig({ DATA_DIR: dataDir, DATA_KEY: a.toString('base64') })).dataKeys).toEqual([a]);
    await expect(loadConfig({ DATA_DIR: dataDir, DATA_KEY: a.toString('base64'), DATA_KEYS: b.toString('base64') })).rejects.toThrow(
      /^DATA_KEY and DATA_KEYS are both set/,
    );
    // Neither: the development secrets file under DATA_DIR keeps the data readable across restarts.
    const generated = (await loadConfig({ DATA_DIR: dataDir })).dataKeys;
    expect(generated).toHaveLength(1);
    expect((await loadConfig({ DATA_DIR: dataDir })).dataKeys).toEqual(generated);
  });

  it('takes defaults for unset and empty variables and leaves other variables alone', () => {
    const env = parseEnv({ SMTP_URL: '', HOME: '/root', IDV_VENDOR_TIMEOUT_MS: '5000' });
    expect(env).toMatchObject({ PORT: 3000, STORE: 'lowdb', IDV_VENDOR_TIMEOUT_MS: 5000, SHUTDOWN_TIMEOUT_MS: 10_000, DEMO: false });
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('stops the start with exit code 1 and one line on stderr', async () => {
    const dataDir = await tempDir();
    const refused = { IDV_VENDOR_TIMEOUT_MS: '2m', PORT: 'abc', STORE: 'mongo' };
    const exits = await Promise.all(Object.entries(refused).map(([name, value]) => start({ DATA_DIR: dataDir, [name]: value })));
    for (const [i, [name, value]] of Object.entries(refused).entries()) {
      expect(exits[i].code).toBe(1);
      const lines = exits[i].stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^trustwire: ${name} must be .+ \\(got "${value}"\\)$`));
    }
  });

  it('treats a secrets file it cannot read as an error, not as no file', async () => {
    const unreadable = await tempDir();
    await mkdir(join(unreadable, 'secrets.json')); // a directory: EISDIR, whoever runs the test (root reads mode 000 files)
    await expect(loadConfig({ DATA_DIR: unreadable })).rejects.toThrow(/secrets\.json, which cannot be read \(EISDIR\)/);
    const garbled = await tempDir();
    await writeFile(join(garbled, 'secrets.json'), '{"api_key": "tw_dev_');
    await expect(loadConfig({ DATA_DIR: garbled })).rejects.toThrow(/secrets\.json, which is not valid JSON/);
    // And the file is left as it was: new keys would make the store unreadable.
    expect(await readFile(join(garbled, 'secrets.json'), 'utf8')).toBe('{"api_key": "tw_dev_');
  });

  it('names the variable when a settings file or JSON value is unusable', async () => {
    const dataDir = await tempDir();
    await expect(loadConfig({ DATA_DIR: dataDir, ESCALATION_RULES: '[{"queue": 1}]' })).rejects.toThrow(/^ESCALATION_RULES is not usable: /);
    await expect(loadConfig({ DATA_DIR: dataDir, PACKAGES_FILE: join(dataDir, 'missing.json') })).rejects.toThrow(/^PACKAGES_FILE is not usable: .*ENOENT/);
  });

  it('is documented: the README "Running" table names exactly the variables of the schema', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Running'), readme.indexOf('\n## ', readme.indexOf('## Running') + 1));
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    const documented = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented.toSorted()).toEqual(Object.keys(envSchema.shape).toSorted());
  });
});

describe('vendors by URL and credentials', () => {
  it('sends the seeker to the ID.me configured, with its client id and an absolute callback', async () => {
    const t = await startTestServer({ IDME_URL: 'https://api.idme.example', IDME_CLIENT_ID: 'marketplace-client', SELF_URL: 'https://trust.example' });
    try {
      const { seekerId } = await createMembers(t);
      const res = await t.api('POST', `/v1/seekers/${seekerId}/idme`, {});
      expect(res.status).toBe(200);
      const url = new URL(res.body.authorize_url);
      expect(url.origin + url.pathname).toBe('https://api.idme.example/oauth/authorize');
      expect(url.searchParams.get('client_id')).toBe('marketplace-client');
      expect(url.searchParams.get('redirect_uri')).toBe('https://trust.example/v1/idme/callback');
    } finally {
      await t.close();
    }
  });

  it('orders screenings from the Sterling configured, with its credentials', async () => {
    const seen: { path: string; authorization?: string }[] = [];
    const fake = express().use((req, res) => {
      seen.push({ path: req.path, authorization: req.get('authorization') });
      res.status(503).json({ error: 'down for the test' });
    });
    const sterling = await listen(fake);
    const t = await startTestServer({ STERLING_URL: urlOf(sterling), STERLING_CLIENT_ID: 'acme', STERLING_CLIENT_SECRET: 's3cret' });
    try {
      const candidate = await createCandidate(t, FULL_CANDIDATE);
      expect((await t.api('POST', '/v1/reports', { candidate_id: candidate.id, package: 'basic_criminal' })).status).toBeLessThan(300);
      const call = await eventually(async () => seen[0], 10_000, 'a call to the configured Sterling');
      expect(call).toEqual({ path: '/oauth', authorization: `Basic ${Buffer.from('acme:s3cret').toString('base64')}` });
    } finally {
      await t.close();
      await close(sterling);
    }
  });
});
