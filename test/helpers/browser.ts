import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Phone and laptop: every view must read well at both widths. */
export const VIEWPORTS = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

/**
 * Whether browser tests can run here: Debian's Chromium (`apt-get install -y chromium`). Under
 * CI=true they must, so a missing browser fails loudly instead of skipping.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it with apt-get install -y chromium`);
  console.warn(`\n!!! SKIPPING BROWSER TESTS: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH) !!!\n`);
  return false;
}

/** Headless Debian Chromium, with its calls home turned off (this machine has no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the development sign-in page by clicking the member's or role's name. */
export async function signIn(page: Page, baseUrl: string, name: string | RegExp) {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name }).first().click();
  await page.waitForURL(/\/(seeker|provider|staff|ops)/);
}

/** A fresh browser context at laptop width, signed in as the demo member or staff named `name`. */
export async function signedInPage(browser: Browser, baseUrl: string, name: string | RegExp): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, name);
  return page;
}

/** Marks the document; `stillSameDocument` is true only if nothing reloaded the page since. */
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __marked: boolean }).__marked = true));
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __marked?: boolean }).__marked === true);
}

/**
 * What lies outside the screen: every visible element checked against every edge (left, right and
 * top of the page; a fixed element against the viewport), and every scroll box that hides content
 * sideways unless it is a declared pan area (`data-pan`, the statechart). One line per problem.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.id ?? '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}${label ? ` "${label}"` : ''}> ${text}`;
    };
    const clipsX = (style: CSSStyleDeclaration) => style.overflowX !== 'visible' || style.clipPath !== 'none';
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue; // the drawing is checked as a whole
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || rect.width === 0 || rect.height === 0) continue;
      // Inside a box that clips sideways: that box is checked instead (below).
      let clipped = false;
      for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (clipsX(getComputedStyle(parent))) clipped = true;
      }
      if (clipped) continue;
      const fixed = (() => {
        for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).position === 'fixed') return true;
        return false;
      })();
      const top = fixed ? rect.top : rect.top + scrollY;
      const edges = [
        rect.left < -1 && `starts ${Math.round(-rect.left)}px left of the screen`,
        rect.right > width + 1 && `ends ${Math.round(rect.right - width)}px right of the screen`,
        top < -1 && `starts ${Math.round(-top)}px above the page`,
        fixed && rect.bottom > innerHeight + 1 && `ends ${Math.round(rect.bottom - innerHeight)}px below the screen`,
      ];
      for (const edge of edges) if (edge) problems.push(`${name(el)}: ${edge}`);
      const scrolls = clipsX(style) && style.clipPath === 'none' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && !el.hasAttribute('data-pan');
      if (scrolls && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)}: hides ${el.scrollWidth - el.clientWidth}px of its content sideways`);
    }
    return problems;
  });
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}; at ${v.nodes
          .slice(0, 4)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/**
 * Saves a full-page screenshot at each width (test artifacts under test-results/screenshots) and
 * checks the view there: the layout fits (nothing outside the screen at any edge,
 * `layoutProblems`) and axe-core finds nothing serious or critical (`accessibilityProblems`).
 */
export async function screenshots(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150); // let the layout settle after the resize
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`${name} at ${label} width is ${overflow}px wider than the screen`);
    const problems = await layoutProblems(page);
    if (problems.length) throw new Error(`${name} at ${label} width does not fit the screen:\n  ${problems.slice(0, 12).join('\n  ')}`);
    const inaccessible = await accessibilityProblems(page);
    if (inaccessible.length) throw new Error(`${name} at ${label} width has accessibility problems:\n  ${inaccessible.join('\n  ')}`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/**
 * A small valid PNG (a colour gradient), made here so that file inputs can be given a real image
 * without a fixture on disk.
 */
export function pngImage(width = 64, height = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // filter byte 0, then RGB
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 160], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
