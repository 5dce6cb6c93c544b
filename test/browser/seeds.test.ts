import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, markDocument, screenshots, signedInPage, stillSameDocument } from '../helpers/browser.ts';
import { completedReport, createCandidate, FULL_CANDIDATE } from '../helpers/checks.ts';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createProvider, createSeeker, eventually, getActor, notificationsOf, pendingLink } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * What the seeds still asked for, on the screens (issue 21): I6 on the provider's profile, statuses
 * that explain themselves, the background-check badge, escalation rules in the console, and the
 * candidate's lasting status page.
 */
describe.runIf(chromiumAvailable())('seed requirements on the dashboards, in Chromium', { timeout: 90_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1', SANDBOX_SCREENING_DELAY_MS: '1500' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const unique = (name: string) => `${name}${crypto.randomUUID().slice(0, 4).replace(/\d/g, 'x')}`;
  const pageFor = (name: string) => signedInPage(browser, t.url, new RegExp(`^${name}`));
  const openProfile = async (page: Page, providerName: string) => {
    await page.getByRole('link', { name: providerName }).first().click();
    await page.getByRole('heading', { name: providerName, level: 1 }).waitFor();
  };

  it('I6: an unverified Complete seeker is told why no request can be sent, and offered to verify', async () => {
    const first = unique('Ivo');
    const providerFirst = unique('Nell');
    await createSeeker(t, 'complete', first, false);
    await createProvider(t, providerFirst);
    const page = await pageFor(`${first} Seeker`);
    await openProfile(page, `${providerFirst} P.`);
    const prompt = page.getByTestId('verify-to-monitor');
    await prompt.getByText('Verify your identity to request a continuous background check').waitFor();
    expect(await page.getByRole('button', { name: 'Request continuous background check' }).isDisabled()).toBe(true);
    await screenshots(page, 'seeds-verify-to-monitor');
    await prompt.getByRole('button', { name: 'Verify my identity' }).click();
    await page.waitForURL(/tab=identity/);
    await page.getByRole('heading', { name: 'Your legal information' }).waitFor();
  });

  it('every link status opens its explanation, on the seeker’s and on the provider’s side, by the seed’s names', async () => {
    const first = unique('Tova');
    const seekerId = await createSeeker(t, 'complete', first);
    await completeIdme(t, seekerId);
    const [pendingTo, activeTo] = [unique('Wren'), unique('Yara')];
    const pendingProvider = await createProvider(t, pendingTo);
    const activeProvider = await createProvider(t, activeTo);
    await pendingLink(t, seekerId, pendingProvider);
    await activeLink(t, seekerId, activeProvider);

    const seeker = await pageFor(`${first} Seeker`);
    await seeker.getByRole('link', { name: 'Background Checks' }).click();
    const active = seeker.getByRole('list', { name: 'Active' });
    for (const [label, meaning] of [
      ['Pending', 'The request was sent; the provider has not answered yet.'],
      ['Active', 'The provider accepted; continuous monitoring runs.'],
    ]) {
      const status = active.locator('summary', { hasText: new RegExp(`^${label}$`) });
      await status.click();
      await active.getByRole('note').filter({ hasText: meaning }).waitFor();
    }
    await screenshots(seeker, 'seeds-statuses-explained');

    const provider = await pageFor(`${pendingTo} Provider`);
    const request = provider.locator('article.request');
    await request.locator('summary', { hasText: /^Pending$/ }).click();
    await request.getByRole('note').filter({ hasText: 'The request was sent; the provider has not answered yet.' }).waitFor();
    // The provider cancels nothing; the seeker cancels, and the provider's past list explains it.
    const cancelled = (await t.api('GET', `/v1/actors?kind=link&member=${pendingProvider}`)).body.data[0].id;
    await t.api('POST', '/v1/commands', { actor: cancelled, event: { type: 'CANCEL_REQUEST' } });
    await provider.getByRole('link', { name: 'Background Check' }).click();
    const past = provider.getByRole('list', { name: 'Past' });
    await past.locator('summary', { hasText: /^Request cancelled$/ }).click();
    await past.getByRole('note').filter({ hasText: 'The request was cancelled before the provider approved it.' }).waitFor();
  });

  it('seekers see the background-check badge on the profile; the provider sees their own check', async () => {
    const providerFirst = unique('Odile');
    const providerId = await createProvider(t, providerFirst);
    const first = unique('Pia');
    await createSeeker(t, 'starter', first);
    const seeker = await pageFor(`${first} Seeker`);
    await openProfile(seeker, `${providerFirst} P.`);
    await seeker.getByTestId('background-check').filter({ hasText: 'No background check on file' }).waitFor();

    const candidate = await createCandidate(t, { ...FULL_CANDIDATE, first_name: providerFirst });
    await t.api('POST', `/v1/providers/${providerId}/background_check`, { candidate_id: candidate.id });
    await completedReport(t, candidate.id);
    await seeker.reload();
    await seeker.getByTestId('background-check').filter({ hasText: 'Background check completed' }).waitFor();
    expect(await seeker.getByTestId('background-check').getAttribute('data-status')).toBe('complete');
    await screenshots(seeker, 'seeds-badge');

    const provider = await pageFor(`${providerFirst} Provider`);
    await provider.getByRole('link', { name: 'Background Check' }).click();
    await provider.getByRole('region', { name: 'Your background check' }).getByText('Background check completed').waitFor();
  });

  it('reviewers see the escalation rules, and rule queues in the queue list', async () => {
    const queue = `rule_${crypto.randomUUID().slice(0, 6).replace(/\d/g, 'q')}`;
    expect((await t.api('POST', '/v1/escalation_rules', { package: 'driver_pro', result: 'consider', queue })).status).toBe(201);
    const reviewer = await pageFor('Riley Reviewer');
    await reviewer.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    const rules = reviewer.getByRole('list', { name: 'Escalation rules' });
    await rules.getByText(/A report of package driver_pro with result consider/).waitFor();
    await reviewer.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: queue }).click();
    await reviewer.getByRole('heading', { name: new RegExp(queue) }).waitFor();
    await screenshots(reviewer, 'seeds-escalation-rules');
  });

  it('a candidate opens the emailed status link: the token leaves the URL, and the page follows the check live', async () => {
    const candidate = await createCandidate(t, { ...FULL_CANDIDATE, last_name: 'Consider' });
    await t.api('POST', '/v1/reports', { package: 'tasker_standard', candidate_id: candidate.id });
    const email = await eventually(
      async () => (await notificationsOf(t, candidate.id)).find((n) => n.template === 'status_link'),
      (n) => n !== undefined,
    );
    const link = email!.text.match(/https?:\/\/\S+\?t=[\w.-]+/)![0];

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const requests: { url: string; referer?: string }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), referer: r.headers().referer }));
    await page.goto(link);
    expect(page.url()).toBe(`${t.url}/status/${candidate.id}`);
    await page.getByRole('heading', { name: 'Your background checks' }).waitFor();
    await page.locator('[data-status="pending"]').waitFor();
    await markDocument(page);
    await page.locator('[data-status="complete"]').waitFor({ timeout: 20_000 });
    await page.getByText('Done: something was found').waitFor();
    expect(await stillSameDocument(page)).toBe(true);
    // No request after the first carried the token, in its URL or its Referer.
    const token = new URL(link).searchParams.get('t')!;
    expect(requests.slice(1).filter((r) => r.url.includes(token) || r.referer?.includes(token))).toEqual([]);
    await screenshots(page, 'seeds-candidate-status');
    await context.close();
    expect((await getActor(t, candidate.id)).id).toBe(candidate.id);
  });
});
