import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshots, signIn } from '../helpers/browser.ts';
import { completeIdme } from '../helpers/idme.ts';
import { createLink, createProvider, createSeeker, DISCLOSURE, ok } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The operations board follows commands sent over REST: counts, feed, statechart, history. */
describe.runIf(chromiumAvailable())('operations board in Chromium', { timeout: 90_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  let board: Page;

  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1', RETENTION: 'closed_members=30d' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    board = await context.newPage();
    await board.goto(`${t.url}/login`);
    await board.getByRole('button', { name: 'Alex Agent' }).waitFor();
    await screenshots(board, 'login');
    await signIn(board, t.url, 'Alex Agent');
    await board.goto(`${t.url}/ops`); // staff land on the console; the board is beside it
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const count = (key: string) => board.locator(`[data-count="${key}"]`);
  const countIs = (key: string, n: number) =>
    board.waitForFunction(([k, v]) => document.querySelector(`[data-count="${k}"]`)?.textContent === String(v), [key, n] as const);
  const activeState = (id: string) => board.locator(`[data-state="${id}"][data-active="true"]`).waitFor();

  it('counts and the statechart move with each command, beside the audit history', async () => {
    await countIs('provider.active', 4); // the demo data
    const seekerId = await createSeeker(t, 'complete', 'Olive');
    await completeIdme(t, seekerId);
    const providerId = await createProvider(t, 'Otto');
    await countIs('provider.active', 5);
    const drafts = Number(await count('link.draft').textContent());

    const link = await createLink(t, seekerId, providerId);
    await countIs('link.draft', drafts + 1);

    // The new link shows in the live feed; choosing it draws its statechart.
    await board.getByRole('region', { name: 'Live feed' }).getByRole('button', { name: link.id }).first().click();
    await activeState('link.draft.confirm_hire');
    expect(await board.locator('[data-active="true"]').count()).toBe(2); // draft and confirm_hire
    await screenshots(board, 'ops-board');

    await ok(t, link.id, { type: 'CONFIRM_HIRE' });
    await activeState('link.draft.disclosures');
    await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE });
    await activeState('link.sent.request_pending.waiting');
    await countIs('link.draft', drafts);
    await countIs('link.request_pending', 1);
    expect(await board.locator('[data-state="link.draft"]').getAttribute('data-active')).toBe('false');

    await ok(t, link.id, { type: 'ACCEPT', ...DISCLOSURE });
    await activeState('link.sent.active.monitoring');
    await countIs('link.active', 1);
    await countIs('link.request_pending', 0);
    await board.getByTestId('inspected-status').filter({ hasText: 'active' }).waitFor();

    // The audit history lists every change with who made it.
    const rows = board.locator('table.history tbody tr');
    await board.waitForFunction(() => document.querySelectorAll('table.history tbody tr').length === 4);
    expect(await rows.nth(3).innerText()).toMatch(/ACCEPT\s+integrator.*request_pending → active/s);
    await screenshots(board, 'ops-board-active');

    // A parallel machine: the seeker is in one state of each region.
    await board.getByLabel('Actor id').fill(seekerId);
    await board.getByRole('button', { name: 'Show' }).click();
    await activeState('seeker.account.active');
    await activeState('seeker.idv.verified.imported'); // verified before trustwire (createSeeker imports it)
    const retained = Number(await count('retention.closed_members.scheduled').textContent());
    await ok(t, seekerId, { type: 'CLOSE_ACCOUNT' });
    await activeState('seeker.account.closed');
    await countIs('seeker.closed', 1);
    // T4: the closed account's erasure is scheduled, 30 days out, and shows on the Retention card.
    await countIs('retention.closed_members.scheduled', retained + 1);
    await countIs('retention.closed_members.due', retained + 1);
    expect(
      await board
        .getByRole('region', { name: 'Retention' })
        .getByRole('row', { name: /Closed members/ })
        .innerText(),
    ).toMatch(/kept 30 days · next /);
  });
});
