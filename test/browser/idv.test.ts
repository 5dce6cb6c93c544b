import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, markDocument, pngImage, screenshots, signedInPage, stillSameDocument } from '../helpers/browser.ts';
import { createProvider, createSeeker, getActor } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The seeker's identity verification (SPEC.md I2–I8) in Chromium against a real server and the
 * vendors' sandboxes (API.md "Sandbox"): the gate's prompt, legal information, Prove's SMS code,
 * Veriff's hosted page, cancelling with its confirmation, and manual review, all followed live.
 */
describe.runIf(chromiumAvailable())('seeker identity verification in Chromium', { timeout: 90_000 }, () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1', SANDBOX_VERIFF_DELAY_MS: '300' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const pageFor = (name: string) => signedInPage(browser, t.url, new RegExp(`^${name}`));

  // A failed verification blocklists the identity (I7): every test uses its own names and phone.
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  const unique = (prefix: string) => `${prefix}${letters(5)}`;
  const phoneEnding = (last2: '01' | '99') => `+1555${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}${last2}`;

  /** A new seeker and a provider; returns the seeker's page, signed in. */
  async function newSeeker(plan: 'starter' | 'complete') {
    const first = unique('Tess');
    const provider = unique('Rowan');
    const id = await createSeeker(t, plan, first, false);
    await createProvider(t, provider);
    const page = await pageFor(`${first} Seeker`);
    return { id, page, providerName: `${provider} P.` };
  }

  const identity = (page: Page) => page.getByRole('region', { name: 'Identity verification' });
  const banner = (page: Page) => page.getByRole('complementary', { name: 'Identity verification' });
  const gate = (page: Page) => page.getByRole('region', { name: 'Message or book' });
  const idvStatus = (page: Page, text: string) => page.getByTestId('idv-status').filter({ hasText: text }).waitFor();

  async function openIdentityTab(page: Page) {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Identity' }).click();
    await identity(page).waitFor();
  }

  async function openProvider(page: Page, name: string) {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('link', { name }).click();
    await gate(page).waitFor();
  }

  async function fillLegalInfo(page: Page, info: { first: string; last: string; phone: string }) {
    await page.getByLabel('Legal first name').fill(info.first);
    await page.getByLabel('Legal last name').fill(info.last);
    await page.getByLabel('Date of birth').fill('1988-06-15');
    await page.getByLabel('Home address').fill('12 Harbour Street, Bristol BS1 4QA, United Kingdom');
    await page.getByLabel('Mobile phone').fill(info.phone);
  }

  /** On Veriff's hosted page: both photos from files, submit, and back to the dashboard. */
  async function submitOnVeriff(page: Page, screenshotName?: string) {
    await page.getByRole('link', { name: 'Take the ID photo and selfie' }).click();
    await page.waitForURL(/\/sandbox\/veriff\/session\//);
    await page.getByLabel('Or choose a photo of your document').setInputFiles({ name: 'id-front.png', mimeType: 'image/png', buffer: pngImage(120, 80) });
    await page.getByLabel('Or choose a selfie photo').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: pngImage(80, 100) });
    await page.getByRole('img', { name: 'Your selfie' }).waitFor();
    if (screenshotName) await screenshots(page, screenshotName);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('heading', { name: 'Thank you — we are checking your document' }).waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(/\/seeker\?veriff=submitted/);
    await identity(page).waitFor();
  }

  it('from a refused message to verified by SMS code', async () => {
    const { id, page, providerName } = await newSeeker('starter');
    const legal = { first: unique('Ada'), last: unique('Marlow'), phone: phoneEnding('01') };
    await markDocument(page);
    await banner(page).getByText('Verify your identity before you message or book providers.').waitFor();

    // The gate refuses and prompts (I2).
    await page.getByRole('link', { name: providerName }).click();
    await gate(page).getByRole('button', { name: 'Message' }).click();
    await gate(page).getByRole('status').filter({ hasText: 'Verify your identity to message or book providers' }).waitFor();
    await screenshots(page, 'idv-gate-refused');
    await gate(page).getByRole('button', { name: 'Verify my identity' }).click();

    // Legal information: the form says what is missing before anything is sent.
    await identity(page).getByRole('heading', { name: 'Your legal information' }).waitFor();
    await idvStatus(page, 'In progress');
    await page.getByRole('button', { name: 'Submit and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();
    await page.getByText('Enter your legal first name.').waitFor();
    await page.getByText('Enter your mobile phone number.').waitFor();
    await screenshots(page, 'idv-legal-info-errors');
    // While the sandboxes run, the form says which test data walks which path.
    const sandbox = page.getByRole('complementary', { name: 'Sandbox test data' });
    expect(await sandbox.innerText()).toMatch(
      /ending in 00: passes at once.*ending in 99: .*ID document and selfie.*any other ending: an SMS code; 123456 passes/s,
    );
    expect(await sandbox.innerText()).toMatch(/Declined, Review, Resubmit, Expired: that Veriff decision/);
    await fillLegalInfo(page, legal);
    expect(await page.getByLabel('Date of birth').getAttribute('type')).toBe('date');
    expect(await page.getByLabel('Mobile phone').getAttribute('type')).toBe('tel');
    await screenshots(page, 'idv-legal-info');
    await page.getByRole('button', { name: 'Submit and continue' }).click();

    // Prove: no mobile auth for this phone, so an SMS code (I4).
    const code = page.getByLabel('Code from the SMS');
    await code.waitFor();
    await page.getByText(`We sent a one-time code by SMS to ${legal.phone}.`).waitFor();
    await page.getByRole('note').filter({ hasText: 'Sandbox: the code is 123456.' }).waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await screenshots(page, 'idv-sms-code');
    await code.fill('123456');
    await page.getByRole('button', { name: 'Confirm code' }).click();

    // Verified, live; the legal information is shown read-only (I3).
    await identity(page).getByRole('status').filter({ hasText: 'Your identity is verified' }).waitFor();
    await idvStatus(page, 'Verified');
    const info = page.getByRole('region', { name: /^Legal information/ });
    await info.getByText(`${legal.first} ${legal.last}`).waitFor();
    await info.getByText('12 Harbour Street, Bristol BS1 4QA, United Kingdom').waitFor();
    await info.getByText(legal.phone).waitFor();
    await info.getByText(/1988/).waitFor();
    await info.getByText(/locked once submitted: nobody can change it, our support team included/).waitFor();
    expect(await info.getByRole('textbox').count()).toBe(0);
    expect(await info.getByRole('button').count()).toBe(0);
    await screenshots(page, 'idv-verified');
    expect((await getActor(t, id)).data.idv_status).toBe('verified');

    // Messaging and booking are allowed now; the banner is gone.
    await openProvider(page, providerName);
    expect(await banner(page).count()).toBe(0);
    await gate(page).getByRole('button', { name: 'Message' }).click();
    await gate(page).getByText(`You can message ${providerName} — this demo stops here.`).waitFor();
    await gate(page).getByRole('button', { name: 'Book' }).click();
    await gate(page).getByText(`You can book ${providerName} — this demo stops here.`).waitFor();
    await screenshots(page, 'idv-gate-allowed');
    expect(await stillSameDocument(page)).toBe(true);
  });

  it('Veriff path: Prove cannot verify, the document and selfie are taken on the hosted page, and the approval arrives live', async () => {
    const { id, page } = await newSeeker('complete');
    await openIdentityTab(page);
    await idvStatus(page, 'Not verified');
    // I5: told before the Veriff step that it needs a smartphone camera.
    await identity(page).getByTestId('phone-needed').filter({ hasText: 'smartphone with a camera' }).waitFor();
    await screenshots(page, 'idv-prompt');
    await identity(page).getByRole('button', { name: 'Start verification' }).click();
    await fillLegalInfo(page, { first: unique('Bea'), last: unique('Okafor'), phone: phoneEnding('99') });
    await page.getByRole('button', { name: 'Submit and continue' }).click();

    // Prove cannot verify this phone: on to Veriff, live (I5).
    await identity(page).getByRole('heading', { name: 'Photo of your ID and a selfie' }).waitFor();
    await identity(page)
      .getByText(/ID card, and a selfie/)
      .waitFor();
    // On a computer, a QR code and a link continue the same Veriff session on a phone.
    const handoff = identity(page).getByTestId('phone-handoff');
    const qr = handoff.getByRole('img', { name: 'QR code that opens this document check on your phone' });
    await qr.waitFor();
    const sessionUrl = (await getActor(t, id)).data.idv.session_url as string;
    const continued = new URL(sessionUrl, t.url).href;
    expect(await qr.getAttribute('data-url')).toBe(continued);
    expect(await handoff.getByRole('link').getAttribute('href')).toBe(continued);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth >= 100)).toBe(true);
    await screenshots(page, 'idv-veriff-step');
    await submitOnVeriff(page, 'veriff-hosted-page');

    // Back on the dashboard, the decision arrives through the socket, with no reload.
    await markDocument(page);
    await identity(page).getByRole('status').filter({ hasText: 'Your identity is verified' }).waitFor();
    await idvStatus(page, 'Verified');
    expect(await stillSameDocument(page)).toBe(true);
    await page.getByRole('region', { name: /^Legal information/ }).waitFor();
    expect((await getActor(t, id)).data.idv).toMatchObject({ verified_by: 'veriff' });
  });

  it('cancelling asks first and has a way back; a cancelled seeker is prompted again and can still verify', async () => {
    const { page, providerName } = await newSeeker('starter');
    await markDocument(page);
    await openIdentityTab(page);
    await identity(page).getByRole('button', { name: 'Start verification' }).click();
    await fillLegalInfo(page, { first: unique('Cleo'), last: unique('Dunmore'), phone: phoneEnding('01') });
    await page.getByRole('button', { name: 'Submit and continue' }).click();
    await page.getByLabel('Code from the SMS').waitFor();

    // The confirmation, and the way back (I6).
    await identity(page).getByRole('button', { name: 'Cancel verification' }).click();
    const confirm = page.getByRole('group', { name: /^Cancel identity verification\?/ });
    await confirm.getByText('Cancel identity verification? You will not be able to message or book providers until you verify.').waitFor();
    await screenshots(page, 'idv-confirm-cancel');
    await confirm.getByRole('button', { name: 'Continue verifying' }).click();
    await page.getByLabel('Code from the SMS').waitFor();
    expect(await confirm.count()).toBe(0);

    // Cancelling for real ends at the prompt again.
    await identity(page).getByRole('button', { name: 'Cancel verification' }).click();
    await confirm.getByRole('button', { name: 'Yes, cancel' }).click();
    await identity(page).getByRole('heading', { name: 'You cancelled identity verification' }).waitFor();
    await idvStatus(page, 'Cancelled');
    await identity(page).getByRole('button', { name: 'Start verification again' }).waitFor();
    expect(await page.getByLabel('Code from the SMS').count()).toBe(0);
    await screenshots(page, 'idv-cancelled');

    // Still blocked: the gate refuses and the prompt comes back (I2, I6).
    await openProvider(page, providerName);
    await banner(page)
      .getByText(/You cancelled identity verification/)
      .waitFor();
    await gate(page).getByRole('button', { name: 'Book' }).click();
    await gate(page).getByRole('status').filter({ hasText: 'Verify your identity to message or book providers' }).waitFor();
    await banner(page).getByText('Verify your identity before you message or book providers.').waitFor();

    // Starting again goes straight to the phone check: the legal information is kept (I3).
    await gate(page).getByRole('button', { name: 'Verify my identity' }).click();
    await page.getByLabel('Code from the SMS').fill('123456');
    await page.getByRole('button', { name: 'Confirm code' }).click();
    await identity(page).getByRole('status').filter({ hasText: 'Your identity is verified' }).waitFor();
    expect(await stillSameDocument(page)).toBe(true);
  });

  it('a Review decision ends in the manual-review notice live, and the reviewer’s approval arrives live too', async () => {
    const { id, page, providerName } = await newSeeker('starter');
    await openIdentityTab(page);
    await identity(page).getByRole('button', { name: 'Start verification' }).click();
    await fillLegalInfo(page, { first: unique('Dara'), last: 'Review', phone: phoneEnding('99') });
    await page.getByRole('button', { name: 'Submit and continue' }).click();
    await identity(page).getByRole('heading', { name: 'Photo of your ID and a selfie' }).waitFor();
    await submitOnVeriff(page);

    await markDocument(page);
    await identity(page).getByRole('status').filter({ hasText: 'Our team is reviewing your documents' }).waitFor();
    await idvStatus(page, 'Being reviewed by our team');
    await screenshots(page, 'idv-manual-review');

    // Blocked meanwhile (I8): the gate says why.
    await openProvider(page, providerName);
    await banner(page)
      .getByText(/Our team is reviewing your documents/)
      .waitFor();
    await gate(page).getByRole('button', { name: 'Message' }).click();
    await gate(page).getByRole('status').filter({ hasText: 'Our team is reviewing your documents' }).waitFor();
    await screenshots(page, 'idv-gate-manual-review');

    // A reviewer approves: the seeker's page follows without a reload.
    const approved = await t.api('POST', '/v1/commands', { actor: id, event: { type: 'APPROVE_REVIEW' } });
    expect(approved.status).toBe(200);
    await banner(page).waitFor({ state: 'detached' });
    await gate(page).getByRole('button', { name: 'Message' }).click();
    await gate(page).getByText(`You can message ${providerName} — this demo stops here.`).waitFor();
    expect(await stillSameDocument(page)).toBe(true);
  });

  it('an expired document check returns the seeker to the prompt with the reason, and a declined one closes the account', async () => {
    const { page } = await newSeeker('starter');
    await openIdentityTab(page);
    await identity(page).getByRole('button', { name: 'Start verification' }).click();
    await fillLegalInfo(page, { first: unique('Edda'), last: 'Expired', phone: phoneEnding('99') });
    await page.getByRole('button', { name: 'Submit and continue' }).click();
    await submitOnVeriff(page);
    await identity(page).getByRole('status').filter({ hasText: 'Your document check expired before it was finished. Please start again.' }).waitFor();
    await idvStatus(page, 'Not verified');
    await identity(page).getByRole('button', { name: 'Start verification' }).waitFor();
    await screenshots(page, 'idv-expired');

    const declined = await newSeeker('starter');
    await openIdentityTab(declined.page);
    await identity(declined.page).getByRole('button', { name: 'Start verification' }).click();
    await fillLegalInfo(declined.page, { first: unique('Fern'), last: 'Declined', phone: phoneEnding('99') });
    await declined.page.getByRole('button', { name: 'Submit and continue' }).click();
    await submitOnVeriff(declined.page);
    await identity(declined.page).getByRole('alert').filter({ hasText: 'We could not verify your identity' }).waitFor();
    await identity(declined.page)
      .getByText(/Your account is closed/)
      .waitFor();
    await idvStatus(declined.page, 'Could not be verified');
    expect(await identity(declined.page).getByRole('button').count()).toBe(0);
    await screenshots(declined.page, 'idv-failed');
    await openProvider(declined.page, declined.providerName);
    await gate(declined.page).getByRole('button', { name: 'Message' }).click();
    await gate(declined.page).getByText('Your account is closed, so you cannot message or book providers.').waitFor();
  });
});
