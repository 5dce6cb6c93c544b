import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, pngImage, screenshots } from '../helpers/browser.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

/**
 * The README's "Try it" walk, clicked as a newcomer reads it, with the demo members and the
 * sandbox cheat-sheet only: if a step stops matching the screens, this fails.
 */
describe.runIf(chromiumAvailable())('the README’s five-minute walk, in Chromium', { timeout: 120_000 }, () => {
  const suite = browserSuite({ DEMO: '1', SANDBOX_VERIFF_DELAY_MS: '200' });
  const tab = (name: string | RegExp) => suite.signedIn(name);
  const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

  async function legalInfo(page: Page, last: string, phone: string) {
    await page.getByLabel('Legal first name').fill('Demo');
    await page.getByLabel('Legal last name').fill(last);
    await page.getByLabel('Date of birth').fill('1990-05-17');
    await page.getByLabel('Home address').fill('1 Main Street, Springfield, IL 62701');
    await page.getByLabel('Mobile phone').fill(phone);
    await page.getByRole('button', { name: 'Submit and continue' }).click();
  }

  it('1: Casey asks Paula, who answers in another tab; both follow live', async () => {
    const casey = await tab(/^Casey Complete/);
    await casey.getByRole('link', { name: 'Paula N.' }).click();
    await casey.getByRole('button', { name: 'Request continuous background check' }).click();
    await casey.getByRole('button', { name: 'Yes, I hired Paula N.' }).click();
    await casey.getByLabel('I have read and agree to these disclosures').check();
    await casey.getByRole('button', { name: 'Agree and continue' }).click();
    // ID.me, once, on its sandbox page.
    await casey.getByRole('button', { name: 'Verify with ID.me' }).click();
    await casey.getByRole('link', { name: 'Verify my identity' }).click();
    await casey.getByText('Request sent.').waitFor();

    const paula = await tab(/^Paula Nanny/);
    await paula.getByRole('heading', { name: 'Casey C. asks to monitor your background check' }).waitFor();
    await paula.getByLabel('I have read and agree to these disclosures').check();
    await paula.getByRole('button', { name: 'Accept' }).click();
    await casey
      .getByTestId('link-status')
      .filter({ hasText: /^Active$/ })
      .waitFor();
  });

  it('2: Sam verifies by SMS with the sandbox’s code', async () => {
    const sam = await tab(/^Sam Starter/);
    await section(sam, 'Identity');
    await sam.getByRole('button', { name: 'Start verification' }).click();
    await legalInfo(sam, 'Starter', '+1 555 010 2201');
    await sam.getByRole('note').filter({ hasText: 'Sandbox: the code is 123456.' }).waitFor();
    await sam.getByLabel('Code from the SMS').fill('123456');
    await sam.getByRole('button', { name: 'Confirm code' }).click();
    await sam.getByRole('status').filter({ hasText: 'Your identity is verified' }).waitFor();
  });

  it('3: Lena verifies voluntarily into a manual review, which Riley decides with the photos', async () => {
    const lena = await tab(/^Lena Legacy/);
    await section(lena, 'Identity');
    await lena.getByRole('button', { name: 'Verify my identity anyway' }).click();
    await legalInfo(lena, 'Review', '+1 555 010 2299');
    await lena.getByRole('link', { name: 'Take the ID photo and selfie' }).click();
    await lena.getByLabel('Or choose a photo of your document').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: pngImage(120, 80) });
    await lena.getByLabel('Or choose a selfie photo').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: pngImage(80, 100) });
    await lena.getByRole('button', { name: 'Submit', exact: true }).click();
    await lena.getByRole('link', { name: 'Continue' }).click();
    await lena.getByText('Our team is reviewing your documents').first().waitFor();

    const riley = await tab('Riley Reviewer');
    await riley.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: 'Identity verification' }).click();
    await riley
      .getByRole('list', { name: 'Cases: Identity verification' })
      .getByRole('listitem')
      .filter({ hasText: 'Lena Legacy' })
      .getByRole('link')
      .first()
      .click();
    await riley.getByRole('img', { name: 'Selfie' }).waitFor();
    await riley
      .getByRole('form', { name: 'Your decision' })
      .getByLabel(/^Approve/)
      .check();
    await riley.getByRole('button', { name: 'Continue' }).click();
    await riley.getByRole('button', { name: 'Yes, approve' }).click();
    await riley.getByTestId('case-idv-status').and(riley.locator('[data-status="verified"]')).waitFor();
    await screenshots(riley, 'try-it-review-decided');
  });

  it('4 and 5: Alex finds members and the live board; the API answers with the key and documents itself', async () => {
    const alex = await tab('Alex Agent');
    await section(alex, 'Members');
    await alex.getByLabel('Name, email, phone or id').fill('Paula');
    await alex.getByRole('button', { name: 'Search' }).click();
    await alex
      .getByRole('list', { name: 'Search results' })
      .getByRole('link', { name: /^Paula Nanny/ })
      .waitFor();
    await section(alex, 'Operations');
    await alex.getByRole('region', { name: 'Live feed' }).waitFor();

    expect((await suite.t.api('GET', '/v1/actors')).status).toBe(200);
    expect((await fetch(`${suite.t.url}/docs`)).status).toBe(200);
    expect((await fetch(`${suite.t.url}/v1/openapi.json`)).status).toBe(200);
  });
});
