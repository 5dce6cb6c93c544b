import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, markDocument, screenshots, signedInPage, stillSameDocument } from '../helpers/browser.ts';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createProvider, createSeeker, getActor, pendingLink } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The seeker's and the provider's dashboards, driven in Chromium against a real server. */
describe.runIf(chromiumAvailable())('CBGC dashboards in Chromium', { timeout: 90_000 }, () => {
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

  const pageFor = (name: string) => signedInPage(browser, t.url, new RegExp(`^${name}`));

  const linkStatus = (page: Page, text: string) =>
    page
      .getByTestId('link-status')
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor();

  it('a seeker requests monitoring through hire, disclosures and ID.me; the provider accepts and later removes access, both screens follow live', async () => {
    const seekerId = await createSeeker(t, 'complete', 'Quinn');
    const providerId = await createProvider(t, 'Rowan');
    const provider = await pageFor('Rowan Provider');
    await provider.getByText('No request is waiting for you.').waitFor();
    await markDocument(provider);

    const seeker = await pageFor('Quinn Seeker');
    await seeker.getByRole('link', { name: 'Rowan P.' }).click();
    await linkStatus(seeker, 'Not requested');
    await screenshots(seeker, 'seeker-provider-profile');
    await seeker.getByRole('button', { name: 'Request continuous background check' }).click();

    await seeker.getByRole('button', { name: 'Yes, I hired Rowan P.' }).click();
    const agree = seeker.getByRole('button', { name: 'Agree and continue' });
    expect(await agree.isDisabled()).toBe(true); // not before the disclosures are agreed to
    await seeker.getByLabel('I have read and agree to these disclosures').check();
    await screenshots(seeker, 'seeker-disclosures');
    await agree.click();

    // ID.me is needed once: through the sandbox's authorize page and back.
    await seeker.getByRole('button', { name: 'Verify with ID.me' }).click();
    await seeker.waitForURL(/\/sandbox\/idme\/oauth\/authorize/);
    await seeker.getByRole('link', { name: 'Verify my identity' }).click();
    await seeker.waitForURL(/\/seeker\?provider=.*idme=verified/);
    await linkStatus(seeker, 'Pending');
    await seeker.getByText('Request sent.').waitFor();
    await screenshots(seeker, 'seeker-request-sent');
    await markDocument(seeker);

    // The provider sees it arrive without reloading, and accepts with the disclosures.
    const request = provider.getByRole('heading', { name: 'Quinn S. asks to monitor your background check' });
    await request.waitFor();
    await provider.getByLabel('I have read and agree to these disclosures').check();
    await screenshots(provider, 'provider-request');
    await provider.getByRole('button', { name: 'Accept' }).click();
    await linkStatus(seeker, 'Active');

    const [link] = (await t.api('GET', `/v1/actors?kind=link`)).body.data.filter((l: any) => l.data.seeker_id === seekerId);
    expect(link).toMatchObject({ status: 'active', data: { provider_id: providerId, seeker_disclosure: { version: 'cbgc-seeker-2026-01' } } });

    // The provider removes access, confirming first; both screens show it.
    await provider.getByRole('link', { name: 'Background Check' }).click();
    await provider.getByRole('list', { name: 'Who monitors you' }).getByText('Quinn S.').waitFor();
    await screenshots(provider, 'provider-background-check');
    await provider.getByRole('button', { name: 'Remove access' }).click();
    await provider.getByRole('button', { name: 'Yes, remove access' }).click();
    await provider.getByRole('list', { name: 'Past' }).getByText('Access denied', { exact: true }).waitFor();
    await linkStatus(seeker, 'Access denied');
    expect((await getActor(t, link.id)).status).toBe('access_denied');

    await seeker.getByRole('link', { name: 'Background Checks' }).click();
    await seeker.getByRole('list', { name: 'Previous requests' }).getByText('Access denied', { exact: true }).waitFor();
    await screenshots(seeker, 'seeker-background-checks');
    expect(await stillSameDocument(seeker)).toBe(true);
    expect(await stillSameDocument(provider)).toBe(true);

    // The in-app notifications arrived too.
    await seeker.getByRole('button', { name: /Notifications/ }).click();
    await seeker
      .getByRole('region', { name: 'Notifications' })
      .getByText(/accepted/i)
      .first()
      .waitFor();
    await screenshots(seeker, 'seeker-notifications');
  });

  it('a seeker with three pending or active links sees the limit and cannot start a fourth', async () => {
    const seekerId = await createSeeker(t, 'complete', 'Morgan');
    await completeIdme(t, seekerId);
    const providers = [await createProvider(t, 'Avery'), await createProvider(t, 'Blake'), await createProvider(t, 'Casey'), await createProvider(t, 'Drew')];
    await pendingLink(t, seekerId, providers[0]);
    await pendingLink(t, seekerId, providers[1]);
    await activeLink(t, seekerId, providers[2]);

    const seeker = await pageFor('Morgan Seeker');
    await seeker.getByRole('link', { name: 'Drew P.' }).click();
    await seeker.getByTestId('limit-message').filter({ hasText: '3 of 3 providers monitored or requested' }).waitFor();
    expect(await seeker.getByRole('button', { name: 'Request continuous background check' }).isDisabled()).toBe(true);
    await screenshots(seeker, 'seeker-limit');

    await seeker.getByRole('link', { name: 'Go to Background Checks' }).click();
    await seeker.getByTestId('monitoring-usage').filter({ hasText: '3 of 3' }).waitFor();
    expect(await seeker.getByRole('list', { name: 'Active' }).getByRole('listitem').count()).toBe(3);

    // Cancelling one frees a slot, live: the fourth provider can be asked again.
    await seeker.getByRole('button', { name: 'Cancel request' }).first().click();
    await seeker.getByRole('button', { name: 'Yes, cancel it' }).click();
    await seeker.getByTestId('monitoring-usage').filter({ hasText: '2 of 3' }).waitFor();
    await seeker.getByRole('link', { name: 'Providers' }).click();
    await seeker.getByRole('link', { name: 'Drew P.' }).click();
    const start = seeker.getByRole('button', { name: 'Request continuous background check' });
    await start.waitFor();
    expect(await start.isDisabled()).toBe(false);
    expect(await seeker.getByTestId('limit-message').count()).toBe(0);
  });

  it('a provider declines after confirming, and the seeker sees it live', async () => {
    const seekerId = await createSeeker(t, 'complete', 'Harper');
    await completeIdme(t, seekerId);
    await pendingLink(t, seekerId, await createProvider(t, 'Indigo'));
    const seeker = await pageFor('Harper Seeker');
    await seeker.getByRole('link', { name: 'Indigo P.' }).click();
    await linkStatus(seeker, 'Pending');

    const provider = await pageFor('Indigo Provider');
    await provider.getByRole('button', { name: 'Decline' }).click();
    // The machine waits in its confirmation; going back keeps the request.
    await provider.getByRole('button', { name: 'Go back' }).click();
    await provider.getByRole('button', { name: 'Decline' }).click();
    await screenshots(provider, 'provider-confirm-decline');
    await provider.getByRole('button', { name: 'Yes, decline' }).click();
    await provider.getByText('No request is waiting for you.').waitFor();
    await linkStatus(seeker, 'Declined');
  });

  it('a refusal from the server is shown in words a member understands', async () => {
    const seekerId = await createSeeker(t, 'complete', 'Jordan');
    await completeIdme(t, seekerId);
    const providerId = await createProvider(t, 'Emery');
    const seeker = await pageFor('Jordan Seeker');
    await seeker.getByRole('link', { name: 'Emery P.' }).click();
    await seeker.getByRole('button', { name: 'Request continuous background check' }).click();
    await seeker.getByRole('button', { name: 'Yes, I hired Emery P.' }).click();
    await seeker.getByLabel('I have read and agree to these disclosures').check();
    // Meanwhile the provider leaves the marketplace: sending is refused (422 provider_unavailable).
    await t.api('POST', '/v1/commands', { actor: providerId, event: { type: 'CLOSE_ACCOUNT' } });
    await seeker.getByRole('button', { name: 'Agree and continue' }).click();
    await seeker.getByRole('alert').filter({ hasText: 'This provider is not taking requests at the moment.' }).waitFor();
    await linkStatus(seeker, 'Request not finished');
  });
});
