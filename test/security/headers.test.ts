import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Finding 6 of issue 17: no CSP, `X-Content-Type-Options`, `frame-ancestors` / `X-Frame-Options`
 * or `Referrer-Policy` on any page; the hosted apply form's link leaked through `Referer`.
 * (That the dashboards work under the policy is test/browser/csp.test.ts.)
 */
describe('security headers', () => {
  let t: TestServer;
  let applyUrl: string;
  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1' });
    const candidate = await t.api('POST', '/v1/candidates', { email: 'headers@example.com' });
    applyUrl = (await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.body.id })).body.invitation_url;
  });
  afterAll(() => t.close());

  it.each(['/', '/login', '/seeker', '/ops', '/healthz', '/v1/actors', '/sandbox/idme/oidc/.well-known/jwks', 'apply'])('%s', async (path) => {
    const res = await fetch(path === 'apply' ? applyUrl : t.url + path);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
