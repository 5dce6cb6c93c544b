import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, chromiumAvailable, layoutProblems, screenshots, signIn, VIEWPORTS } from '../helpers/browser.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { createCandidate } from '../helpers/checks.ts';
import { completeIdme } from '../helpers/idme.ts';
import { createProvider, createSeeker, pendingLink } from '../helpers/link-flow.ts';

/**
 * Screens that must not send wrong signals (issue 18): the live badge, the notifications panel on a
 * phone, the hosted apply form after a mistake, the operations board's inspector, unknown pages and
 * the browser tab's title.
 */
describe.runIf(chromiumAvailable())('what the screens signal, in Chromium', { timeout: 90_000 }, () => {
  const suite = browserSuite({ DEMO: '1' });
  const newPage = (viewport?: { width: number; height: number }, timezoneId?: string) => suite.page({ viewport, timezoneId });

  const liveBadge = (page: Page) => page.getByRole('banner').getByText(/^(Live|Reconnecting…)$/);

  it('the live badge reads "Live" on the staff console and the operations board when each is opened directly', async () => {
    const page = await newPage();
    await signIn(page, suite.t.url, 'Alex Agent');
    for (const path of ['/staff', '/ops', '/staff?tab=members']) {
      await page.goto(suite.t.url + path); // a fresh document: the console and the board load lazily
      await page.getByRole('banner').getByText('Live', { exact: true }).waitFor({ timeout: 5000 });
      expect(await liveBadge(page).innerText(), path).toBe('Live');
    }
  });

  it('the layout check finds an element past any edge', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await page.goto(`${suite.t.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to trustwire' }).waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    for (const [edge, style] of [
      ['left', 'position:absolute;left:-70px;top:10px;width:100px'],
      ['above', 'position:absolute;left:0;top:-30px;width:100px'],
      ['below the screen', 'position:fixed;left:0;bottom:-40px;width:100px;height:50px'],
    ]) {
      await page.evaluate((css) => {
        document.querySelector('#probe')?.remove();
        const probe = document.body.appendChild(document.createElement('div'));
        probe.id = 'probe';
        probe.style.cssText = css;
        probe.textContent = 'probe';
      }, style);
      expect((await layoutProblems(page)).join('\n'), edge).toContain(edge);
    }
  });

  it('the accessibility check finds a serious problem', async () => {
    const page = await newPage();
    await page.goto(`${suite.t.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to trustwire' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.evaluate(() => {
      const faint = document.body.appendChild(document.createElement('p'));
      faint.textContent = 'Barely readable';
      faint.style.color = '#ccc';
      document.body.appendChild(document.createElement('button')).append(document.createElement('span')); // a button without a name
    });
    const problems = (await accessibilityProblems(page)).join('\n');
    expect(problems).toMatch(/^color-contrast \(serious\)/m);
    expect(problems).toMatch(/^button-name \(critical\)/m);
  });

  it('the notifications panel at phone width: on screen, closed by Escape and by a click outside, its button says whether it is open', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await signIn(page, suite.t.url, /^Casey Complete/);
    const button = page.getByRole('button', { name: /^Notifications/ });
    const panel = page.getByRole('region', { name: 'Notifications' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    await button.click();
    await panel.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await screenshots(page, 'notifications-open'); // every element against every edge, at both widths

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await button.evaluate((b) => b === document.activeElement), 'focus back on the button').toBe(true);

    await button.click();
    await panel.waitFor();
    await page.mouse.click(5, VIEWPORTS.phone.height - 5); // outside the panel
    await panel.waitFor({ state: 'hidden' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
  });

  it('the hosted apply form keeps what was typed and the consent after one wrong field, and says so at that field', async () => {
    const candidate = await createCandidate(suite.t);
    const invitation = (await suite.t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.id })).body;
    const page = await newPage(VIEWPORTS.laptop, 'America/New_York');
    await page.goto(invitation.invitation_url);
    expect(await page.getByRole('complementary', { name: 'Sandbox test data' }).innerText()).toMatch(/Consider.*Suspended/s);
    const typed = {
      first_name: 'Jamie',
      middle_name: 'Lee',
      last_name: 'Clear',
      dob: '1988-04-12',
      ssn: '666-00-0000',
      zipcode: '94105',
      signature: 'Jamie Clear',
    };
    for (const [name, value] of Object.entries(typed)) await page.locator(`[name="${name}"]`).fill(value);
    await page.getByLabel('I have read the disclosure and authorize the background check').check();
    await page.getByRole('button', { name: 'Sign and submit' }).click();

    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/Social Security number: SSN is invalid/);
    expect(await page.getByRole('alert').innerText()).not.toMatch(/required/);
    for (const [name, value] of Object.entries(typed)) expect(await page.locator(`[name="${name}"]`).inputValue(), name).toBe(value);
    expect(await page.getByLabel('I have read the disclosure and authorize the background check').isChecked()).toBe(true);

    // The error is at its field, and the field says it is the wrong one.
    const ssn = page.getByLabel(/^Social Security number/);
    expect(await ssn.getAttribute('aria-invalid')).toBe('true');
    const described = await ssn.getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).innerText()).toBe('SSN is invalid');
    expect(await page.locator('[aria-invalid="true"]').count(), 'only the wrong field').toBe(1);
    await screenshots(page, 'apply-form-error');

    await ssn.fill('123-45-6780');
    await page.getByRole('button', { name: 'Sign and submit' }).click();
    await page.waitForURL(/\/status$/);
    expect((await suite.t.api('GET', `/v1/candidates/${candidate.id}`)).body).toMatchObject({ middle_name: 'Lee', dob: '1988-04-12' });

    // The status page reads in words, its time in the reader's time zone.
    const signedAt = (await suite.t.api('GET', `/v1/invitations/${invitation.id}`)).body.completed_at ?? new Date().toISOString();
    const signed = page.locator('dt:text-is("Signed") + dd time');
    const local = new Date((await signed.getAttribute('datetime')) ?? signedAt).toLocaleString('en-US', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'America/New_York',
    });
    await page.waitForFunction((text) => document.querySelector('dt + dd time')?.textContent === text, local);
    expect(await page.locator('main').innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(await page.locator('dt:text-is("Status") + dd').innerText()).toMatch(/^(Starting|In progress|Complete)$/);
    await screenshots(page, 'apply-status');
  });

  it('the operations board: an unknown id says so and the message goes when a real actor is opened; the statechart reads and pans to the current state', async () => {
    const seekerId = await createSeeker(suite.t, 'starter', 'Orla');
    const page = await newPage();
    await signIn(page, suite.t.url, 'Alex Agent');
    await page.goto(`${suite.t.url}/ops?actor=skr_nobody`);
    const notice = page.getByText('No actor has the id “skr_nobody”.', { exact: false });
    await notice.waitFor();

    await page.getByLabel('Actor id').fill(seekerId);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-state="seeker.idv.required"][data-active="true"]').waitFor();
    expect(await notice.count(), 'the previous message is gone').toBe(0);

    // State names are drawn at least 11 px tall at laptop width, not shrunk to fit.
    const label = page.locator('[data-state="seeker.idv.required"] > text');
    expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(11);
    // "Fit the whole chart" shows all of it at once; "Actual size" goes back.
    const frame = page.getByRole('region', { name: /Statechart drawing/ });
    await page.getByRole('button', { name: 'Fit the whole chart' }).click();
    await page.waitForFunction(() => {
      const f = document.querySelector('.statechart-frame')!;
      return f.querySelector('svg')!.getBoundingClientRect().width <= f.clientWidth + 1;
    });
    await page.getByRole('button', { name: 'Actual size' }).click();
    expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(11);
    await screenshots(page, 'ops-inspector');

    // On a phone the chart opens on the current state, and the history table fits (screenshots checks it).
    await page.setViewportSize(VIEWPORTS.phone);
    await page.reload();
    await page.locator('[data-state="seeker.idv.required"][data-active="true"]').waitFor();
    const f = (await frame.boundingBox())!;
    const inView = [];
    for (const state of await page.locator('.state.leaf.active > rect').all()) {
      const c = (await state.boundingBox())!;
      inView.push(c.x >= f.x && c.x + c.width <= f.x + f.width && c.y >= f.y && c.y + c.height <= f.y + f.height);
    }
    expect(inView, 'a current state is in view, not blank space').toContain(true);
    await page.getByRole('table').filter({ hasText: 'CREATED' }).waitFor();
    await screenshots(page, 'ops-inspector-phone');
  });

  it('an unknown page is a page that says so and offers a way on; API clients get the error shape', async () => {
    const page = await newPage();
    const response = await page.goto(`${suite.t.url}/nope`);
    expect(response!.status()).toBe(404);
    expect(await page.title()).toBe('Page not found – trustwire');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await page.waitForURL(/\/login$/);

    const json = await fetch(`${suite.t.url}/nope`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toMatchObject({ code: 'not_found' });
  });

  it('the sign-in page says who each demo person is and what to try with them', async () => {
    const page = await newPage();
    await page.goto(`${suite.t.url}/login`);
    const about = async (name: RegExp) => {
      const button = page.getByRole('button', { name }).first();
      const described = await button.getAttribute('aria-describedby');
      expect(described, `${name} is described`).toBeTruthy();
      return page.locator(`[id="${described}"]`).innerText();
    };
    await page.getByRole('button', { name: /^Casey Complete/ }).waitFor();
    expect(await about(/^Casey Complete/)).toMatch(/request a continuous background check.*Paula in another tab/);
    expect(await about(/^Sam Starter/)).toMatch(/ending in 01 \(SMS code 123456\)/);
    expect(await about(/^Lena Legacy/)).toMatch(/without identity verification/);
    expect(await about(/^Paula Nanny/)).toMatch(/answers monitoring requests/);
    expect(await about(/^Alex Agent/)).toMatch(/Member care agent/);
    expect(await about(/^Riley Reviewer/)).toMatch(/decides manual identity reviews/);
    await page.getByText('Each browser tab keeps its own sign-in').waitFor();
    await screenshots(page, 'login-described');
  });

  it('the keyboard: a skip link first, a visible focus ring on every control (the date of birth too), disabled buttons readable', async () => {
    await createSeeker(suite.t, 'starter', 'Kiri');
    const page = await newPage();
    await signIn(page, suite.t.url, /^Kiri Seeker/);
    await page.getByRole('heading', { name: 'Providers' }).first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((a) => a === document.activeElement), 'the skip link comes first').toBe(true);
    expect((await skip.boundingBox())!.width, 'the skip link shows when focused').toBeGreaterThan(40);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // The legal information form: its step heading takes the focus, the controls follow.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Identity', exact: true }).click();
    await page.getByRole('button', { name: 'Start verification' }).click();
    await page.getByLabel('Legal first name').waitFor();

    // Every control of the form, in tab order, shows a ring of at least 2 px when focused.
    const seen: string[] = [];
    for (let i = 0; i < 30 && !seen.includes('Submit and continue'); i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? el.tagName;
        return {
          label: label.trim().split('\n')[0],
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          style: `${el.tagName} ${style.outlineStyle} ${style.outlineWidth} ${el.matches(':focus')} ${el.matches(':focus-visible')}`,
        };
      });
      seen.push(focused.label);
      expect(focused.ring, `focus ring on ${focused.label}: ${focused.style}`).toBe(true);
    }
    expect(seen).toEqual(expect.arrayContaining(['Date of birth', 'Mobile phone', 'Submit and continue']));

    // A disabled button: its text still reads at 4.5:1 or more against its background.
    await signIn(page, suite.t.url, 'Riley Reviewer');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members', exact: true }).click();
    const search = page.getByRole('button', { name: 'Search' });
    expect(await search.isDisabled()).toBe(true);
    const contrast = await search.evaluate((button) => {
      const style = getComputedStyle(button);
      const rgb = (c: string) =>
        c
          .match(/[\d.]+/g)!
          .slice(0, 3)
          .map(Number);
      const lum = (c: number[]) => {
        const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
      return { ratio: (a + 0.05) / (b + 0.05), opacity: Number(style.opacity) };
    });
    expect(contrast.opacity, 'not faded: faded text loses contrast').toBe(1);
    expect(contrast.ratio).toBeGreaterThanOrEqual(4.5);
  });

  it('a member sent away from the staff pages is told why; signed out, the sign-in says where it leads and goes there', async () => {
    const page = await newPage();
    await page.goto(`${suite.t.url}/ops`);
    await page.waitForURL(/\/login\?from=%2Fops$/);
    await page.getByText('Sign in to open the operations board.').waitFor();
    await page.getByRole('button', { name: 'Riley Reviewer' }).click();
    await page.waitForURL(/\/ops$/);

    await signIn(page, suite.t.url, /^Sam Starter/);
    await page.goto(`${suite.t.url}/staff`);
    await page.waitForURL(/\/seeker\?denied=%2Fstaff$/);
    await page
      .getByText('The staff console is for staff (agents and reviewers). You are signed in as Sam Starter (seeker), so here is your own page instead.')
      .waitFor();
  });

  it('the provider directory shows where monitoring stands with each provider and finds one by name; the provider’s notification leads to the buttons', async () => {
    const seekerId = await createSeeker(suite.t, 'complete', 'Dira');
    await completeIdme(suite.t, seekerId);
    const asked = await createProvider(suite.t, 'Quillon');
    await createProvider(suite.t, 'Zephyrine');
    await pendingLink(suite.t, seekerId, asked);
    const page = await newPage();
    await signIn(page, suite.t.url, /^Dira Seeker/);
    const list = page.getByRole('list', { name: 'Providers' });
    const row = (name: string) => list.getByRole('listitem').filter({ hasText: name });
    await row('Quillon P.').getByTestId('directory-monitoring').filter({ hasText: 'Monitoring: Pending' }).waitFor();
    expect(await row('Zephyrine P.').getByTestId('directory-monitoring').innerText()).toBe('Monitoring: Not requested');

    // The provider's notification of the request leads to the tab where its buttons are.
    const provider = await newPage();
    await signIn(provider, suite.t.url, /^Quillon Provider/);
    await provider.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Background Check' }).click();
    await provider.getByRole('button', { name: /^Notifications/ }).click();
    await provider.getByRole('region', { name: 'Notifications' }).getByRole('link').first().click();
    await provider.waitForURL(/\/provider$/);
    await provider.getByRole('button', { name: 'Accept' }).waitFor();

    await page.getByLabel('Find a provider').fill('zephy');
    await page.getByRole('status').filter({ hasText: '1 provider matches.' }).waitFor();
    expect(await list.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('Zephyrine P.')]);
    await screenshots(page, 'seeker-directory-search');
  });

  it('the operations board’s feed opens with the latest changes', async () => {
    const seekerId = await createSeeker(suite.t, 'starter', 'Fenna');
    const page = await newPage();
    await signIn(page, suite.t.url, 'Alex Agent');
    await page.goto(`${suite.t.url}/ops`);
    const feed = page.getByRole('region', { name: 'Live feed' });
    await feed.getByRole('button', { name: seekerId }).waitFor();
    expect(await feed.innerText()).not.toMatch(/Waiting for changes/);
  });

  it('each view names itself in the browser tab', async () => {
    const page = await newPage();
    await page.goto(`${suite.t.url}/login`);
    await page.waitForFunction(() => document.title === 'Sign in – trustwire');
    await signIn(page, suite.t.url, /^Sam Starter/);
    await page.waitForFunction(() => document.title === 'Providers – trustwire');
    await page.getByRole('link', { name: 'Identity', exact: true }).click();
    await page.waitForFunction(() => document.title === 'Identity verification – trustwire');

    await signIn(page, suite.t.url, 'Riley Reviewer');
    await page.waitForFunction(() => document.title === 'Cases – trustwire');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members', exact: true }).click();
    await page.waitForFunction(() => document.title === 'Find a member – trustwire');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Operations', exact: true }).click();
    await page.waitForFunction(() => document.title === 'Operations board – trustwire');
  });
});
