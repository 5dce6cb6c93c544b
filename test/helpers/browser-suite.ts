import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, signedInPage, VIEWPORTS } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface BrowserSuite {
  /** The real server of the suite (set before the first test). */
  readonly t: TestServer;
  readonly browser: Browser;
  /** A page of a fresh browser context (one person), closed after the test. */
  page(options?: { viewport?: { width: number; height: number }; timezoneId?: string }): Promise<Page>;
  /** The same at laptop width, signed in as the demo member or staff named `name`. */
  signedIn(name: string | RegExp): Promise<Page>;
}

/** A server with `env` and Chromium for one describe block, each test's browser contexts closed after it. */
export function browserSuite(env: Record<string, string>): BrowserSuite {
  let t: TestServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  beforeAll(async () => {
    t = await startTestServer(env);
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  const suite: BrowserSuite = {
    get t() {
      return t!;
    },
    get browser() {
      return browser!;
    },
    async page({ viewport = VIEWPORTS.laptop, timezoneId } = {}) {
      const context = await browser!.newContext({ viewport, timezoneId, locale: 'en-US' });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    },
    async signedIn(name) {
      const page = await signedInPage(browser!, t!.url, name);
      contexts.push(page.context());
      return page;
    },
  };
  return suite;
}
