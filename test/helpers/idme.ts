/** Any running trustwire the test can call: in-process (server.ts) or a child process (process.ts). */
interface Api {
  url: string;
  api(method: string, path: string, body?: unknown, options?: { token?: string }): Promise<{ status: number; body: any }>;
}

/**
 * Walks the ID.me sandbox flow for a seeker as their browser would: ask for the authorize URL,
 * choose on the sandbox page, follow the OAuth redirect back to our callback. Resolves once the
 * callback answered (the seeker actor has learnt the outcome by then).
 */
export async function completeIdme(t: Api, seekerId: string, decision: 'verify' | 'deny' = 'verify', token?: string): Promise<void> {
  const start = await t.api('POST', `/v1/seekers/${seekerId}/idme`, {}, { token });
  if (start.status !== 200) throw new Error(`ID.me start for ${seekerId}: ${start.status} ${JSON.stringify(start.body)}`);
  const authorize = new URL(`${start.body.authorize_url}&sandbox_decision=${decision}`, t.url);
  const page = await fetch(authorize, { redirect: 'manual' });
  const location = page.headers.get('location');
  if (page.status !== 302 || !location) throw new Error(`ID.me sandbox answered ${page.status}, not a redirect`);
  const callback = await fetch(new URL(location, authorize), { redirect: 'manual' });
  if (callback.status !== 302) throw new Error(`ID.me callback answered ${callback.status}: ${await callback.text()}`);
  const back = new URL(callback.headers.get('location')!, t.url);
  const expected = decision === 'verify' ? 'verified' : 'denied';
  if (back.searchParams.get('idme') !== expected) throw new Error(`ID.me ended ${back.searchParams.get('idme')}, expected ${expected}`);
}
