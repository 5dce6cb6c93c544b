import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const key = () => Buffer.alloc(32, 7).toString('base64');
const VENDORS = {
  PROVE_URL: 'https://prove.example',
  VERIFF_URL: 'https://veriff.example',
  STERLING_URL: 'https://sterling.example',
  IDME_URL: 'https://api.id.me',
};

describe('production start-up', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustwire-prod-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const production = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, ...env });
  const secrets = { DATA_KEY: key(), SESSION_SECRET: key(), API_KEYS: 'k1' };

  // Secrets (issue 17): production never generates a secrets.json beside the store.
  it('takes DATA_KEY and SESSION_SECRET only from the environment', async () => {
    await expect(production({ ...VENDORS })).rejects.toThrow(/DATA_KEY must be set.*SESSION_SECRET must be set/);
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
  });

  // Finding 8 of issue 17: the unauthenticated demo sign-in.
  it('refuses DEMO=1', async () => {
    await expect(production({ ...secrets, ...VENDORS, DEMO: '1' })).rejects.toThrow(/DEMO=1/);
  });

  it('refuses to run sandboxes in place of vendors unless SANDBOX=1 says so', async () => {
    await expect(production({ ...secrets, PROVE_URL: VENDORS.PROVE_URL })).rejects.toThrow(/VERIFF_URL, STERLING_URL, IDME_URL unset/);
    await expect(production({ ...secrets, SANDBOX: '1' })).resolves.toMatchObject({ production: true, demo: false });
    await expect(production({ ...secrets, ...VENDORS })).resolves.toMatchObject({
      production: true,
      sterling: { url: VENDORS.STERLING_URL },
      idme: { url: VENDORS.IDME_URL },
    });
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
  });
});

describe('development start-up', () => {
  let demo: TestServer;
  let vendors: TestServer;
  beforeAll(async () => {
    demo = await startTestServer({ DEMO: '1' });
    vendors = await startTestServer({ PROVE_URL: 'http://127.0.0.1:9/prove', STERLING_URL: 'http://127.0.0.1:9/sterling' });
  });
  afterAll(async () => {
    await demo.close();
    await vendors.close();
  });

  // Finding 8 of issue 17: `npm start` (DEMO=1) listened on every interface.
  it('binds the demo to loopback only', () => {
    expect((demo.server.http.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('mounts a sandbox only for a vendor whose URL is not configured', async () => {
    const token = (base: string) => fetch(`${base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect((await token(`${vendors.url}/sandbox/prove`)).status).toBe(404);
    expect((await fetch(`${vendors.url}/sandbox/sterling/oauth`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${vendors.url}/sandbox/idme/oidc/.well-known/jwks`)).status).toBe(200);
    // The sandbox takes only the credentials trustwire was configured with (generated for development).
    expect(
      (
        await fetch(`${demo.url}/sandbox/prove/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'trustwire', client_secret: 'sandbox' }),
        })
      ).status,
    ).toBe(401);
  });
});
