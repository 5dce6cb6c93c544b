import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDecision, parseEvent, VeriffClient, verifySignature } from '../../server/vendors/veriff/adapter.ts';
import { veriffSandbox } from '../../server/vendors/veriff/sandbox.ts';
import { chromiumAvailable, launchChromium, screenshots, VIEWPORTS } from '../helpers/browser.ts';

const API_KEY = 'test-veriff-key';
const SECRET = 'test-veriff-secret';

/** The Veriff sandbox's hosted page, driven in Chromium through the file-input path. */
describe.runIf(chromiumAvailable())('Veriff hosted page in Chromium', { timeout: 60_000 }, () => {
  let server: Server;
  let url: string;
  let browser: Browser;
  let client: VeriffClient;
  const hooks: { kind: string; raw: Buffer; signature?: string }[] = [];

  beforeAll(async () => {
    // One server, as in the app: the sandbox, its webhook receiver and the callback page.
    const app = express();
    app.use(
      '/sandbox/veriff',
      veriffSandbox({
        apiKey: API_KEY,
        sharedSecret: SECRET,
        decisionWebhookUrl: () => `${url}/hooks/decisions`,
        eventWebhookUrl: () => `${url}/hooks/events`,
        callbacks: ['/back?veriff=submitted'],
        decisionDelayMs: 50,
      }),
    );
    app.post('/hooks/:kind', express.raw({ type: () => true }), (req, res) => {
      hooks.push({ kind: req.params.kind, raw: req.body, signature: req.get('x-hmac-signature') });
      res.json({ received: true });
    });
    app.get('/back', (_req, res) => {
      res.type('html').send('<!doctype html><title>Back</title><h1>Back at trustwire</h1>');
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new VeriffClient({ baseUrl: `${url}/sandbox/veriff`, apiKey: API_KEY, sharedSecrets: [SECRET] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function pageAt(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  const session = (vendorData: string) =>
    client.createSession({ person: { firstName: 'Sam', lastName: 'Tester' }, vendorData, callback: '/back?veriff=submitted' });

  /** A small PNG drawn by the browser itself. */
  async function photo(page: Page, colour: string): Promise<Buffer> {
    const dataUrl = await page.evaluate((fill) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 400;
      const g = canvas.getContext('2d')!;
      g.fillStyle = fill;
      g.fillRect(0, 0, canvas.width, canvas.height);
      return canvas.toDataURL('image/png');
    }, colour);
    return Buffer.from(dataUrl.split(',')[1], 'base64');
  }

  const widerThanScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('takes both photos from files, submits, thanks, redirects back; the signed decision follows', async () => {
    const { id, url: pageUrl } = await session('skr_page_flow');
    const page = await pageAt(VIEWPORTS.laptop);
    await page.goto(`${url}${pageUrl}`);
    await page.getByRole('heading', { name: 'Verify your identity' }).waitFor();
    const submit = page.getByRole('button', { name: 'Submit' });
    expect(await submit.isDisabled()).toBe(true);

    await page
      .getByLabel('Or choose a photo of your document')
      .setInputFiles({ name: 'document.png', mimeType: 'image/png', buffer: await photo(page, '#3366cc') });
    await page.getByRole('img', { name: 'Your ID document photo' }).waitFor();
    expect(await submit.isDisabled()).toBe(true); // the selfie is still missing
    await page.getByLabel('Or choose a selfie photo').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: await photo(page, '#cc6633') });
    await page.getByRole('img', { name: 'Your selfie' }).waitFor();
    // Both were re-encoded as JPEG for the upload.
    expect(await page.getByRole('img', { name: 'Your selfie' }).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);

    await submit.click();
    await page.getByRole('heading', { name: 'Thank you — we are checking your document' }).waitFor();
    expect(await page.getByRole('link', { name: 'Continue' }).getAttribute('href')).toBe('/back?veriff=submitted');

    await vi.waitFor(() => expect(hooks.some((h) => h.kind === 'decisions' && parseDecision(JSON.parse(h.raw.toString()))?.sessionId === id)).toBe(true), {
      timeout: 5_000,
    });
    const decision = hooks.find((h) => h.kind === 'decisions' && parseDecision(JSON.parse(h.raw.toString()))?.sessionId === id)!;
    expect(verifySignature(decision.raw, decision.signature, [SECRET])).toBe(true);
    expect(parseDecision(JSON.parse(decision.raw.toString()))).toMatchObject({ status: 'approved', vendorData: 'skr_page_flow' });
    const actions = hooks
      .filter((h) => h.kind === 'events')
      .map((h) => parseEvent(JSON.parse(h.raw.toString())))
      .filter((e) => e?.sessionId === id)
      .map((e) => e!.action);
    expect(actions).toEqual(['started', 'submitted']);

    await page.waitForURL(`${url}/back?veriff=submitted`);
    await page.getByRole('heading', { name: 'Back at trustwire' }).waitFor();

    // Reopened after submitting, the page has nothing left to take.
    await page.goto(`${url}${pageUrl}`);
    await page.getByRole('heading', { name: 'Thank you — we are checking your document' }).waitFor();
    expect(await page.getByRole('button', { name: 'Submit' }).isVisible()).toBe(false);
    await page.context().close();
  });

  it('fits a 390 px phone, before and after the photos', async () => {
    const { url: pageUrl } = await session('skr_page_phone');
    const page = await pageAt({ width: 390, height: 844 });
    await page.goto(`${url}${pageUrl}`);
    await page.getByRole('heading', { name: 'Verify your identity' }).waitFor();
    expect(await widerThanScreen(page)).toBeLessThanOrEqual(0);

    await page
      .getByLabel('Or choose a photo of your document')
      .setInputFiles({ name: 'document.png', mimeType: 'image/png', buffer: await photo(page, '#3366cc') });
    await page.getByLabel('Or choose a selfie photo').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: await photo(page, '#cc6633') });
    await page.getByRole('img', { name: 'Your selfie' }).waitFor();
    expect(await widerThanScreen(page)).toBeLessThanOrEqual(0);
    expect(await page.getByRole('button', { name: 'Submit' }).isEnabled()).toBe(true);
    await screenshots(page, 'veriff-hosted-page'); // also checks the laptop width
    await page.context().close();
  });

  it('falls back to the file input when there is no camera, and shows why', async () => {
    const { url: pageUrl } = await session('skr_page_camera');
    const page = await pageAt(VIEWPORTS.phone);
    await page.goto(`${url}${pageUrl}`);
    const camera = page.getByRole('button', { name: 'Photograph document with camera' });
    await camera.click();
    await page.getByRole('alert').filter({ hasText: 'The camera is not available' }).waitFor();
    expect(await camera.isVisible()).toBe(false);
    expect(await page.getByLabel('Or choose a photo of your document').isVisible()).toBe(true);
    await page.context().close();
  });

  it('shows an error for a file that is not a photo, and a 404 page for an unknown session', async () => {
    const { url: pageUrl } = await session('skr_page_errors');
    const page = await pageAt(VIEWPORTS.phone);
    await page.goto(`${url}${pageUrl}`);
    await page.getByLabel('Or choose a selfie photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByRole('alert').filter({ hasText: 'could not be read as a photo' }).waitFor();
    expect(await page.getByRole('button', { name: 'Submit' }).isDisabled()).toBe(true);

    const missing = await page.goto(`${url}/sandbox/veriff/session/no-such-session`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This verification link is not valid' }).waitFor();
    await page.context().close();
  });
});
