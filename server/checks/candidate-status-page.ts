import type { ReportContext, Screening } from '../../machines/report.ts';
import { escapeHtml, page, timeHtml } from '../html.ts';

/** The candidate's status page (B6): each of their reports, its status and its screenings, in words. */

const REPORT_WORDS: Record<string, string> = {
  pending: 'In progress: the searches are running.',
  suspended: 'On hold: some information is missing. The company that asked for the check will contact you.',
  complete: 'Complete.',
  dispute: 'You disputed this report; the dispute is being reviewed.',
  canceled: 'Cancelled.',
};
const RESULT_WORDS: Record<string, string> = {
  clear: 'Nothing was found that needs a review.',
  consider: 'Something was found that the company will review with you before any decision.',
};
const SCREENING_NAMES: Record<string, string> = {
  ssn_trace: 'Social Security number trace',
  sex_offender_search: 'Sex offender registry search',
  national_criminal_search: 'National criminal search',
  county_criminal_search: 'County criminal search',
  motor_vehicle_report: 'Motor vehicle record',
};
const SCREENING_WORDS: Record<string, string> = {
  pending: 'In progress',
  complete: 'Done',
  suspended: 'On hold: waiting for information',
  canceled: 'Cancelled',
};

export interface ReportLine {
  id: string;
  package: string;
  created_at: string;
  status: string;
  result: string | null;
  context: ReportContext;
}

const screeningLine = (s: Screening) => {
  const outcome = s.status === 'complete' && s.result === 'consider' ? 'Done: something was found' : (SCREENING_WORDS[s.status] ?? s.status);
  return `<li data-screening="${escapeHtml(s.type)}"><span>${escapeHtml(SCREENING_NAMES[s.type] ?? s.type)}</span>: ${escapeHtml(outcome)}</li>`;
};

const reportSection = (r: ReportLine) => `
<section class="report" data-report="${escapeHtml(r.id)}" data-status="${escapeHtml(r.status)}">
  <h2>${escapeHtml(r.package)} <span class="hint">requested ${timeHtml(r.created_at, { day: true })}</span></h2>
  <p class="report-status">${escapeHtml(REPORT_WORDS[r.status] ?? r.status)}${r.result && r.status === 'complete' ? ` ${escapeHtml(RESULT_WORDS[r.result] ?? r.result)}` : ''}</p>
  <ul aria-label="Searches">${r.context.screenings.map(screeningLine).join('')}</ul>
</section>`;

export function candidateStatusPage(id: string, reports: ReportLine[]) {
  const body = `
<h1>Your background checks</h1>
${reports.length ? reports.map(reportSection).join('') : '<p>No background check has been started for you yet.</p>'}
<p class="hint">This page follows your checks as they change.</p>`;
  // At /status/<id>: both URLs are relative, so that a proxy's path prefix holds.
  return page('Your background checks', body, { follow: `${encodeURIComponent(id)}/events`, script: '../hosted.js' });
}

export function newLinkPage(opts: { action: string; sent: boolean }) {
  const body = opts.sent
    ? `<h1>Check your email</h1><p role="status">If this address belongs to a background check, we have sent a new link to it. The link works for 7 days.</p>`
    : `<h1>This link has expired</h1>
<p>Links to your background check work for 7 days. Enter the email address the company used to invite you and we will send a new link to it.</p>
<form method="post" action="${escapeHtml(opts.action)}">
<label for="email">Email address</label>
<input type="text" id="email" name="email" autocomplete="email" inputmode="email">
<button type="submit">Email me a new link</button>
</form>`;
  return page(opts.sent ? 'Check your email' : 'Link expired', body);
}
