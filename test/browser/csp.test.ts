import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, signIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Finding 6 of issue 17 (in the browser): with a CSP that allows no inline script, every page
 * still works in Chromium and the console reports no violation.
 */
describe.runIf(chromiumAvailable())('pages under the Content Security Policy in Chromium', { timeout: 90_000 }, () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page whose console CSP reports are collected. */
  async function watched(): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return { page, violations };
  }

  it('the seeker and provider dashboards run, live socket included', async () => {
    for (const [name, path] of [
      ['Casey Complete', '/seeker'],
      ['Paula Nanny', '/provider'],
    ] as const) {
      const { page, violations } = await watched();
      await signIn(page, t.url, name);
      expect(new URL(page.url()).pathname).toBe(path);
      await page.getByText(name.split(' ')[0]).first().waitFor();
      await page.waitForFunction(() => (document.getElementById('root')?.textContent ?? '').length > 20);
      expect(violations).toEqual([]);
      await page.context().close();
    }
  });

  it('the staff console and the operations board, statechart laid out', async () => {
    const { page, violations } = await watched();
    await signIn(page, t.url, 'Alex Agent');
    await page.goto(`${t.url}/ops`);
    await page.waitForFunction(() => document.querySelector('[data-count="provider.active"]')?.textContent === '4');
    const provider = await t.api('POST', '/v1/providers', {
      email: `csp-${crypto.randomUUID().slice(0, 8)}@example.com`,
      first_name: 'Cass',
      last_name: 'Provider',
    });
    await page.getByLabel('Actor id').fill(provider.body.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-state][data-active="true"]').first().waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('the hosted apply form and the ID.me sandbox page', async () => {
    const candidate = await t.api('POST', '/v1/candidates', { email: `csp-${crypto.randomUUID().slice(0, 8)}@example.com` });
    const invitation = await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.body.id });
    const { page, violations } = await watched();
    await page.goto(invitation.body.invitation_url);
    await page.locator('form').first().waitFor();
    await page.goto(`${t.url}/sandbox/idme/oauth/authorize?client_id=x&redirect_uri=/v1/idme/callback&response_type=code&scope=openid`);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
