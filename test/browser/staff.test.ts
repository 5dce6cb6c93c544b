import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, markDocument, pngImage, screenshots, stillSameDocument } from '../helpers/browser.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { completeIdme } from '../helpers/idme.ts';
import { activeLink, createLink, createProvider, createSeeker, eventually, getActor, ok, pendingLink } from '../helpers/link-flow.ts';
import { seekerThroughVeriff } from '../helpers/veriff.ts';

/** The staff console (/staff) for agents and reviewers, driven in Chromium against a real server (SPEC.md I8, I11–I14, C14, R2). */
describe.runIf(chromiumAvailable())('staff console in Chromium', { timeout: 120_000 }, () => {
  const suite = browserSuite({ DEMO: '1', SANDBOX_VERIFF_DELAY_MS: '200' });

  let serial = 0;
  const unique = () => `${String(Date.now() % 1e5).padStart(5, '0')}${++serial}`;

  const pageFor = (name: string | RegExp) => suite.signedIn(name);

  /** Staff land on the console when they sign in. */
  async function consoleFor(name: 'Alex Agent' | 'Riley Reviewer'): Promise<Page> {
    const page = await pageFor(name);
    await page.waitForURL(/\/staff/);
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    return page;
  }

  const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

  /** Member search → the member's page. */
  async function openMember(page: Page, query: string, name: string | RegExp) {
    await tab(page, 'Members');
    await page.getByLabel('Name, email, phone or id').fill(query);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list', { name: 'Search results' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }

  const mainText = (page: Page) => page.evaluate(() => document.querySelector('main')?.textContent ?? '');

  it('a Veriff review decision opens a case; a reviewer finds the seeker, sees the screening history, approves, and the seeker’s screen unblocks live', async () => {
    const { id: seekerId, legal } = await seekerThroughVeriff(suite.t, 'Reva', { photo: pngImage() });

    // The seeker is told their documents are being reviewed.
    const seeker = await pageFor(/^Reva Seeker/);
    await seeker.waitForFunction(() => /review/i.test(document.querySelector('main')?.textContent ?? ''));
    await markDocument(seeker);

    // The case is waiting in the identity verification queue.
    const reviewer = await consoleFor('Riley Reviewer');
    await reviewer.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: 'Identity verification' }).click();
    const queued = reviewer.getByRole('list', { name: 'Cases: Identity verification' }).getByRole('listitem').filter({ hasText: seekerId });
    await queued.waitFor();
    expect(await queued.getAttribute('data-status')).toBe('open');
    await screenshots(reviewer, 'staff-cases-idv');

    // Found by the phone of their legal information; the reviewer sees it in full (I3), and the screening history (I11).
    await openMember(reviewer, legal.phone.slice(-7), /^Reva Seeker/);
    await reviewer.getByTestId('idv-status').and(reviewer.locator('[data-status="manual_review"]')).waitFor();
    await reviewer.getByText(`${legal.legal_first_name} Review`).waitFor();
    const screening = reviewer.getByRole('table', { name: 'Screening history' }).first();
    const reviewRow = screening.locator('tr[data-vendor="veriff"][data-outcome="review"]');
    await reviewRow.waitFor();
    expect(await reviewRow.locator('td[data-label="Outcome"]').innerText(), 'each outcome once, in words').toBe('Needs manual review');
    expect(await screening.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-vendor')))).toEqual(['prove', 'veriff']);
    await screenshots(reviewer, 'staff-member-review');

    // From the member's cases to the case, decided there.
    await reviewer
      .getByRole('list', { name: 'Cases about this member' })
      .getByRole('link', { name: /manual review/ })
      .click();
    await reviewer.getByTestId('case-idv-status').and(reviewer.locator('[data-status="manual_review"]')).waitFor();
    await reviewer.getByRole('table', { name: 'Screening history' }).locator('tr[data-outcome="review"]').waitFor();

    // The reviewer sees what they decide on: both photos, Veriff's decision in words, and the
    // legal information submitted beside what Veriff read from the document.
    for (const photo of ['ID document, front', 'Selfie']) {
      const image = reviewer.getByRole('img', { name: photo });
      await image.waitFor();
      expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), `${photo} shows`).toBe(true);
    }
    expect(await reviewer.getByTestId('veriff-decision').innerText()).toMatch(/^Sent to manual review: Veriff could not decide on its own/);
    const compared = reviewer.getByRole('table', { name: 'Submitted by the seeker, and read by Veriff from the document' });
    const nameRow = compared.getByRole('row', { name: /Legal name/ });
    expect(await nameRow.getByRole('cell').allInnerTexts()).toEqual([`${legal.legal_first_name} Review`, `${legal.legal_first_name} Review`]);
    await compared
      .getByRole('row', { name: /Document/ })
      .first()
      .getByText('Driving licence (US)')
      .waitFor();
    await screenshots(reviewer, 'staff-case-review');

    // One decision, confirmed: approve, or reject with a reason from the list.
    const decision = reviewer.getByRole('form', { name: 'Your decision' });
    await decision.getByLabel('Reject').check();
    expect(await decision.getByRole('button', { name: 'Continue' }).isDisabled(), 'a rejection needs its reason').toBe(true);
    expect(await decision.getByLabel('Reason for rejecting').locator('option').allInnerTexts()).toContain('The selfie does not match the document photo');
    await decision.getByLabel(/^Approve/).check();
    await decision.getByRole('button', { name: 'Continue' }).click();
    const confirm = reviewer.getByRole('group', { name: 'Confirm the decision' });
    await confirm.getByText(/Approve Reva Seeker’s identity\?/).waitFor();
    await screenshots(reviewer, 'staff-case-review-confirm');
    await confirm.getByRole('button', { name: 'Go back' }).click();
    expect((await getActor(suite.t, seekerId)).data.idv_status, 'going back decides nothing').toBe('manual_review');
    await decision.getByRole('button', { name: 'Continue' }).click();
    await confirm.getByRole('button', { name: 'Yes, approve' }).click();

    await reviewer.getByTestId('case-status').and(reviewer.locator('[data-status="resolved"]')).waitFor();
    await reviewer.getByTestId('case-idv-status').and(reviewer.locator('[data-status="verified"]')).waitFor();
    await reviewer.getByRole('list', { name: 'Comments' }).getByText('#ManualReviewApproved').waitFor();
    expect(await reviewer.getByRole('form', { name: 'Your decision' }).count()).toBe(0);
    await screenshots(reviewer, 'staff-case-resolved');

    // The seeker's screen follows without a reload.
    await seeker.waitForFunction(() => !/review/i.test(document.querySelector('main')?.textContent ?? ''));
    expect(await stillSameDocument(seeker)).toBe(true);
    expect((await getActor(suite.t, seekerId)).data).toMatchObject({ idv_status: 'verified', idv: { verified_by: 'review' } });
    const [resolved] = (await suite.t.api('GET', `/v1/cases?subject=${seekerId}&queue=idv_failures`)).body.data;
    expect(resolved).toMatchObject({ status: 'resolved', tags: ['ManualReviewApproved'] });
    expect(resolved.comments[0].by).toEqual({ role: 'reviewer', subject: 'reviewer_demo' });
    const approval = (await suite.t.api('GET', `/v1/actors/${seekerId}/history`)).body.data.find((h: any) => h.event.type === 'APPROVE_REVIEW');
    expect(approval).toMatchObject({ by: { role: 'reviewer', subject: 'reviewer_demo' }, from: 'active', to: 'active' });
  });

  it('a Veriff decline reads its reason in words on the case, and the reviewer sees no decision to take', async () => {
    const { id: seekerId } = await seekerThroughVeriff(suite.t, 'Dex', { lastName: 'Declined' });
    const reviewer = await consoleFor('Riley Reviewer');
    await reviewer.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: 'Identity verification' }).click();
    await reviewer
      .getByRole('list', { name: 'Cases: Identity verification' })
      .getByRole('listitem')
      .filter({ hasText: seekerId })
      .getByRole('link')
      .first()
      .click();
    const decided = reviewer.getByTestId('veriff-decision');
    await decided.waitFor();
    expect(await decided.innerText()).toMatch(/^Declined: .*Reason: Suspected document tampering \(Veriff code 9102, 102\)$/);
    expect(await reviewer.getByRole('form', { name: 'Your decision' }).count()).toBe(0);
    // Agents do not see the photos (they see legal information masked).
    const agent = await consoleFor('Alex Agent');
    await agent.goto(`${suite.t.url}/staff?member=${seekerId}`);
    await agent.getByRole('list', { name: 'Cases about this member' }).getByRole('link').first().click();
    await agent.getByText('The photos and what Veriff read from the document are shown to reviewers.').waitFor();
    expect(await agent.getByRole('img', { name: 'Selfie' }).count()).toBe(0);
  });

  it('an agent removes a provider’s access on their behalf; provider and seeker views show access_denied live; the audit history names the agent', async () => {
    const seekerId = await createSeeker(suite.t, 'complete', 'Blair');
    await completeIdme(suite.t, seekerId);
    const providerId = await createProvider(suite.t, 'Tamsin');
    const linkId = await activeLink(suite.t, seekerId, providerId);

    const provider = await pageFor(/^Tamsin Provider/);
    await provider.getByRole('link', { name: 'Background Check' }).click();
    await provider.getByRole('list', { name: 'Who monitors you' }).getByText('Blair S.').waitFor();
    await markDocument(provider);
    const seeker = await pageFor(/^Blair Seeker/);
    await seeker.getByRole('link', { name: 'Background Checks' }).click();
    await seeker.getByRole('list', { name: 'Active' }).getByText('Tamsin P.').waitFor();
    await markDocument(seeker);

    const agent = await consoleFor('Alex Agent');
    await openMember(agent, 'Tamsin', /^Tamsin Provider/);
    await screenshots(agent, 'staff-member-search-provider');
    const row = agent.locator(`li[data-link="${linkId}"]`);
    await row.getByTestId('staff-link-status').filter({ hasText: 'Monitoring active' }).waitFor();
    await row.getByRole('button', { name: /Remove on the member.s behalf/ }).click();
    // On the provider's page, the provider's side is chosen; the seeker's is offered too (C14).
    expect(await row.getByLabel('Remove access, as the provider').isChecked()).toBe(true);
    expect(await row.getByLabel('Stop monitoring, as the seeker').isChecked()).toBe(false);
    await row.getByLabel('Reason (kept in the audit history)').fill('The provider called member care to withdraw their consent.');
    await row.getByRole('button', { name: 'Continue' }).click();
    // Asked once more; going back changes nothing.
    await row.getByRole('button', { name: 'Go back' }).click();
    expect((await getActor(suite.t, linkId)).status).toBe('active');
    await row.getByRole('button', { name: 'Continue' }).click();
    await row.getByRole('group', { name: 'Confirm removal' }).waitFor();
    await screenshots(agent, 'staff-remove-confirm');
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await row.getByTestId('staff-link-status').filter({ hasText: 'Access removed' }).waitFor();
    expect(await row.getByRole('button', { name: /Remove on the member.s behalf/ }).count(), 'nothing left to remove').toBe(0);

    // Both members' screens follow live, in the words they already use.
    await provider.getByRole('list', { name: 'Past' }).getByText('Access denied', { exact: true }).waitFor();
    await seeker.getByRole('list', { name: 'Previous requests' }).getByText('Access denied', { exact: true }).waitFor();
    expect(await stillSameDocument(provider)).toBe(true);
    expect(await stillSameDocument(seeker)).toBe(true);

    // The audit timeline names the agent who did it, with the statuses before and after.
    const entry = agent.getByRole('list', { name: 'Safety and audit history' }).locator('li[data-event="STAFF_REMOVE"]');
    await entry.waitFor();
    expect(await entry.innerText()).toMatch(/agent agent_demo.*active → access_denied/s);
    await screenshots(agent, 'staff-member-provider');
    const history = (await suite.t.api('GET', `/v1/actors/${linkId}/history`)).body.data;
    expect(history.at(-1)).toMatchObject({
      event: { type: 'STAFF_REMOVE' },
      by: { role: 'agent', subject: 'agent_demo' },
      from: 'active',
      to: 'access_denied',
    });

    // An agent never sees a provider's phone.
    expect(await agent.getByText('hidden for agents').count()).toBe(1);
  });

  it('R2: the staff member page offers no button to request, confirm a hire or accept anything', async () => {
    const seekerId = await createSeeker(suite.t, 'complete', 'Corin');
    await completeIdme(suite.t, seekerId);
    const [draftTo, pendingTo, activeTo] = [
      await createProvider(suite.t, 'Dara'),
      await createProvider(suite.t, 'Ezra'),
      await createProvider(suite.t, 'Fynn'),
    ];
    const draft = (await createLink(suite.t, seekerId, draftTo)).id;
    const pending = await pendingLink(suite.t, seekerId, pendingTo);
    await activeLink(suite.t, seekerId, activeTo);

    const forbidden = /\b(accept|agree|hire|hired|consent|disclosures?)\b|request (continuous|monitoring)|send (the )?request|verify with/i;
    const staffEvents = new Set(['STAFF_REMOVE', 'REQUEST_REFUND', 'APPROVE_REVIEW', 'REJECT_REVIEW']);
    for (const name of ['Alex Agent', 'Riley Reviewer'] as const) {
      const page = await consoleFor(name);
      await openMember(page, seekerId, /^Corin Seeker/);
      await page.locator(`li[data-link="${draft}"]`).waitFor();
      await page.locator('li[data-link]').nth(2).waitFor();
      // Open every removal form too: what they reveal is checked as well.
      const removes = page.getByRole('button', { name: /Remove on the member.s behalf/ });
      for (let i = await removes.count(); i > 0; i--) await removes.first().click();
      const buttons = await page.getByRole('button').allInnerTexts();
      expect(buttons.length).toBeGreaterThan(0);
      expect(
        buttons.filter((b) => forbidden.test(b)),
        `${name}: ${buttons.join(' | ')}`,
      ).toEqual([]);
      const events = await page
        .locator('[data-event]')
        .evaluateAll((els) => els.filter((e) => e.tagName === 'BUTTON').map((e) => e.getAttribute('data-event')!));
      expect(events.filter((e) => !staffEvents.has(e))).toEqual([]);
      expect(await page.getByRole('checkbox').count(), 'no disclosure to agree to').toBe(0);
      // A draft can only be cancelled as the seeker: the provider has not seen it (C14, API.md).
      const draftRow = page.locator(`li[data-link="${draft}"]`);
      expect(await draftRow.getByRole('radio').count()).toBe(1);
      expect(await draftRow.getByLabel('Cancel the request, as the seeker').isChecked()).toBe(true);
      expect(await page.locator(`li[data-link="${pending}"]`).getByRole('radio').count()).toBe(2);
      if (name === 'Riley Reviewer') await screenshots(page, 'staff-member-links');
    }
  });

  it('I3, I13, I14: an agent sees legal information masked, the inbox mask they dismiss for themselves only, and refund refusals in words', async () => {
    const seekerId = await createSeeker(suite.t, 'starter', 'Greer');
    const n = unique();
    await ok(suite.t, seekerId, { type: 'START_VERIFICATION' });
    await ok(suite.t, seekerId, {
      type: 'SUBMIT_LEGAL_INFO',
      legal_first_name: `Greer${n}`,
      legal_last_name: 'Halloran',
      dob: '1979-09-03',
      address: '9 Mill Lane, Salem, MA 01970',
      phone: `+1 617 ${n.slice(0, 5)}01`,
    });
    await eventually(
      () => getActor(suite.t, seekerId),
      (v) => v.data.idv.step === 'sms_code',
    );
    await ok(suite.t, seekerId, { type: 'CANCEL_VERIFICATION' });
    await ok(suite.t, seekerId, { type: 'CONFIRM_CANCEL' });

    const agent = await consoleFor('Alex Agent');
    // By id: agents see the legal name masked, so it finds nothing for them (issue 17).
    await openMember(agent, seekerId, /^Greer Seeker/);
    await agent.getByTestId('idv-status').and(agent.locator('[data-status="cancelled"]')).waitFor();
    const legal = agent.getByRole('region', { name: 'Legal information' });
    await legal.getByText('Masked for agents').waitFor();
    expect(await legal.innerText()).not.toContain('Halloran');
    expect(await legal.innerText()).toContain('1979-••-••');

    // I14: the inbox is masked while the seeker is blocked.
    const inbox = agent.getByRole('region', { name: 'Inbox' });
    const mask = inbox.getByRole('alert');
    await mask.filter({ hasText: 'This member is blocked from providers (identity verification cancelled).' }).waitFor();
    expect(await inbox.getByTestId('inbox-messages').count(), 'nothing of the inbox shows under the mask').toBe(0);
    await screenshots(agent, 'staff-member-masked');

    // I13: a refund for a failed verification does not apply; the refusal is in words.
    await agent.getByLabel('Reason', { exact: true }).selectOption('failed_verification');
    await agent.getByRole('button', { name: 'Record refund request' }).click();
    await agent.getByRole('alert').filter({ hasText: 'No refund applies for this reason' }).waitFor();
    await agent.getByLabel('Reason', { exact: true }).selectOption('idv_refusal');
    await agent.getByRole('button', { name: 'Record refund request' }).click();
    await agent.getByRole('status').filter({ hasText: 'Refund issued' }).waitFor();
    // The refunds case appears among the member's cases, live.
    const cases = agent.getByRole('list', { name: 'Cases about this member' });
    await cases.getByRole('listitem').filter({ hasText: 'Refund issued' }).getByText('#IDVrefusal').waitFor();
    await agent.getByRole('list', { name: 'Refund requests recorded' }).getByText('chose not to verify').waitFor();

    await inbox.getByRole('button', { name: 'Show the inbox anyway' }).click();
    await inbox.getByTestId('inbox-messages').waitFor();
    expect(await inbox.getByRole('alert').count()).toBe(0);
    await screenshots(agent, 'staff-member-inbox');

    // Another staff member still sees the mask.
    const reviewer = await consoleFor('Riley Reviewer');
    await openMember(reviewer, seekerId, /^Greer Seeker/);
    await reviewer.getByRole('region', { name: 'Inbox' }).getByRole('alert').filter({ hasText: 'blocked from providers' }).waitFor();
    await reviewer.getByRole('region', { name: 'Legal information' }).getByText('Halloran').waitFor();
  });

  it('cases follow live: a reviewer opens one by hand, an agent sees it arrive, comments with hashtags and takes it, the reviewer resolves it', async () => {
    const seekerId = await createSeeker(suite.t, 'starter', 'Hollis');
    const agent = await consoleFor('Alex Agent');
    await agent.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: 'Opened by hand' }).click();
    const manualQueue = agent.getByRole('list', { name: 'Cases: Opened by hand' });
    await markDocument(agent);
    expect(await agent.getByRole('heading', { name: 'Open a case' }).count(), 'I12: agents do not open cases').toBe(0);

    const reviewer = await consoleFor('Riley Reviewer');
    await reviewer.getByRole('heading', { name: 'Open a case' }).waitFor();
    // The member is found by name, not by pasting an id.
    await reviewer.getByLabel('Who is it about?', { exact: true }).fill('Hollis');
    await reviewer.getByRole('radio', { name: /^Hollis Seeker/ }).check();
    await reviewer.getByLabel('Queue', { exact: true }).selectOption('manual');
    await reviewer.getByLabel('Summary', { exact: true }).fill('A provider reported rude messages from Hollis.');
    await screenshots(reviewer, 'staff-open-case');
    await reviewer.getByRole('button', { name: 'Open case' }).click();
    await reviewer.getByRole('heading', { name: 'A provider reported rude messages from Hollis.', level: 1 }).waitFor();
    await reviewer.getByTestId('case-status').and(reviewer.locator('[data-status="open"]')).waitFor();

    // The agent's queue shows it without a reload; they open it, comment and take it.
    await manualQueue.getByRole('link', { name: 'A provider reported rude messages from Hollis.' }).click();
    await agent.getByLabel('Add a comment (#hashtags become tags)').fill('Called the member, who apologised. #followup #Messaging');
    await agent.getByRole('button', { name: 'Add comment' }).click();
    await agent.getByRole('list', { name: 'Comments' }).getByText('#followup').waitFor();
    await agent.getByRole('button', { name: 'Assign to me' }).click();
    await agent.getByRole('button', { name: 'Unassign' }).waitFor();

    // The reviewer's case page follows: the comment, its tags, the assignee.
    await reviewer.getByRole('list', { name: 'Comments' }).getByText('Called the member, who apologised.', { exact: false }).waitFor();
    await reviewer.getByRole('list', { name: 'Tags' }).getByText('#Messaging').waitFor();
    await reviewer.getByText('agent_demo', { exact: true }).first().waitFor();
    await screenshots(reviewer, 'staff-case');

    // Back in the open queue, the agent sees it leave once the reviewer resolves it.
    await agent.getByRole('link', { name: '← Opened by hand' }).click();
    const row = manualQueue.getByRole('listitem').filter({ hasText: 'A provider reported rude messages from Hollis.' });
    await row.getByText('assigned to agent_demo').waitFor();
    await screenshots(agent, 'staff-cases-manual');
    await reviewer.getByRole('button', { name: 'Resolve' }).click();
    await reviewer.getByTestId('case-status').and(reviewer.locator('[data-status="resolved"]')).waitFor();
    await row.waitFor({ state: 'detached' });
    await reviewer.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await stillSameDocument(agent)).toBe(true);

    const [c] = (await suite.t.api('GET', `/v1/cases?subject=${seekerId}`)).body.data;
    expect(c).toMatchObject({ queue: 'manual', status: 'resolved', assignee: 'agent_demo', tags: ['followup', 'Messaging'] });
    expect(await mainText(agent)).not.toContain('Hollis.');
  });
});
