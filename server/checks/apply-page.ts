import { escapeHtml, page, timeHtml } from '../html.ts';

/** The hosted form's pages (B2, B6): plain server-rendered HTML that works without JavaScript. */

export const DISCLOSURE_VERSION = 'fcra-disclosure-2026-01';

const DISCLOSURE = [
  'The company that invited you may obtain a consumer report about you from a consumer reporting agency for employment or engagement purposes. The report may include your Social Security number trace, criminal records, sex offender registry records and, where the role involves driving, your motor vehicle record.',
  'You have the right, upon written request made within a reasonable time, to request whether a consumer report has been run about you and to request a copy of it. You may dispute the accuracy or completeness of any information in it.',
];

export interface Field {
  name: string;
  label: string;
  type?: string;
  hint?: string;
}

export const FIELDS: Record<string, Field> = {
  first_name: { name: 'first_name', label: 'First name' },
  middle_name: { name: 'middle_name', label: 'Middle name', hint: 'Leave empty and tick "I have no middle name" if you have none.' },
  last_name: { name: 'last_name', label: 'Last name' },
  dob: { name: 'dob', label: 'Date of birth', type: 'date' },
  ssn: { name: 'ssn', label: 'Social Security number', hint: '9 digits, dashes optional' },
  zipcode: { name: 'zipcode', label: 'ZIP code' },
  driver_license_number: { name: 'driver_license_number', label: 'Driver license number' },
  driver_license_state: { name: 'driver_license_state', label: 'Driver license state', hint: 'Two letters, e.g. CA' },
  mother_maiden_name: { name: 'mother_maiden_name', label: "Mother's maiden name", hint: 'Some courts need it to search their records' },
};

/** What the candidate typed and what is wrong with it: `errors` by field name, `general` for the rest. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  general: string[];
}

/** An input with its label, its hint, and its error beside it (`aria-invalid`, `aria-describedby`). */
function input(f: Field, state: FormState) {
  const error = state.errors[f.name];
  return `
  <label for="${f.name}">${escapeHtml(f.label)}${f.hint ? ` <span class="hint">${escapeHtml(f.hint)}</span>` : ''}</label>
  <input type="${f.type ?? 'text'}" id="${f.name}" name="${f.name}" value="${escapeHtml(state.values[f.name] ?? '')}" autocomplete="off"${invalid(f.name, error)}>${fieldError(f.name, error)}`;
}

const invalid = (name: string, error: string | undefined) => (error ? ` aria-invalid="true" aria-describedby="${name}-error"` : '');
const fieldError = (name: string, error: string | undefined) => (error ? `\n  <p class="field-error" id="${name}-error">${escapeHtml(error)}</p>` : '');

/** The errors once more at the top, each a link to its field, so that none is missed. */
function errorSummary(state: FormState, labels: Record<string, string>) {
  const items = [
    ...Object.entries(state.errors).map(([name, error]) => `<li><a href="#${name}">${escapeHtml(labels[name] ?? name)}: ${escapeHtml(error)}</a></li>`),
    ...state.general.map((e) => `<li>${escapeHtml(e)}</li>`),
  ];
  return items.length ? `<div class="error" role="alert"><strong>Please fix:</strong><ul>${items.join('')}</ul></div>` : '';
}

const check = (name: string, value: string, label: string, state: FormState) =>
  `<label class="check"><input type="checkbox" id="${name}" name="${name}" value="${value}"${state.values[name] === value ? ' checked' : ''}${invalid(name, state.errors[name])}> ${escapeHtml(label)}</label>${fieldError(name, state.errors[name])}`;

/** While the screening sandbox runs: the last names that walk each result. */
const SANDBOX_NOTE =
  '<aside class="sandbox-note" aria-label="Sandbox test data"><strong>Sandbox test data</strong>: last name <code>Consider</code> finds a county record with charges; <code>Suspended</code> puts the county search on hold until the mother’s maiden name is given on the status page; any other name is clear.</aside>';

export function applyForm(opts: { action: string; missing: Field[]; known: [string, string][]; sandbox: boolean } & FormState) {
  const labels = { ...Object.fromEntries(opts.missing.map((f) => [f.name, f.label])), consent: 'Authorization', signature: 'Electronic signature' };
  const body = `
<h1>Background check</h1>
${errorSummary(opts, labels)}
<form method="post" action="${escapeHtml(opts.action)}" novalidate>
${opts.known.length ? `<h2>What we have</h2><dl>${opts.known.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : ''}
${opts.missing.length ? `<h2>What we need</h2>${opts.sandbox ? SANDBOX_NOTE : ''}${opts.missing.map((f) => input(f, opts)).join('')}` : ''}
${opts.missing.some((f) => f.name === 'middle_name') ? check('no_middle_name', 'true', 'I have no middle name', opts) : ''}
<h2>Disclosure and authorization</h2>
<div class="disclosure">${DISCLOSURE.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>
${check('consent', 'yes', 'I have read the disclosure and authorize the background check', opts)}
${input({ name: 'signature', label: 'Electronic signature', hint: 'Type your full name (first and last)' }, opts)}
<input type="hidden" name="disclosure_version" value="${DISCLOSURE_VERSION}">
<button type="submit">Sign and submit</button>
</form>`;
  return page('Background check', body);
}

/** A screening's suspension reason (vendor code) → what the candidate can supply to resume it. */
export const SUPPLIABLE: Record<string, Field> = { mother_maiden_name_required: FIELDS.mother_maiden_name };

export function statusPage(opts: {
  status: string;
  result: string | null;
  signedAt: string | null;
  running: boolean;
  needs?: { action: string; fields: Field[]; errors: string[] };
}) {
  const words: Record<string, string> = {
    waiting: 'We received your consent and are starting your check.',
    pending: 'Your background check is in progress.',
    suspended: 'Your background check is on hold: some information is missing. The company that invited you will contact you.',
    complete: 'Your background check is complete.',
    canceled: 'Your background check was cancelled.',
    dispute: 'Your dispute is being reviewed.',
  };
  const statusWords: Record<string, string> = {
    waiting: 'Starting',
    pending: 'In progress',
    suspended: 'On hold',
    complete: 'Complete',
    canceled: 'Cancelled',
    dispute: 'Under dispute',
  };
  const resultWords: Record<string, string> = {
    clear: 'Nothing found that needs a review',
    consider: 'Something was found; the company will review it with you before any decision',
  };
  const body = `
<h1>Your background check</h1>
<p id="status" data-status="${escapeHtml(opts.status)}">${escapeHtml(words[opts.status] ?? opts.status)}</p>
<dl>
  <dt>Status</dt><dd>${escapeHtml(statusWords[opts.status] ?? opts.status)}</dd>
  ${opts.result ? `<dt>Result</dt><dd data-result="${escapeHtml(opts.result)}">${escapeHtml(resultWords[opts.result] ?? opts.result)}</dd>` : ''}
  ${opts.signedAt ? `<dt>Signed</dt><dd>${timeHtml(opts.signedAt)}</dd>` : ''}
</dl>
${opts.needs?.fields.length ? needsForm(opts.needs) : ''}
${opts.running ? '<p class="hint">This page follows your check as it changes.</p>' : ''}`;
  // At /apply/<id>/status: both URLs are relative, so that a proxy's path prefix holds.
  return page('Your background check', body, { follow: opts.running ? 'events' : undefined, script: '../../hosted.js' });
}

function needsForm(needs: { action: string; fields: Field[]; errors: string[] }) {
  return `
<h2>We need a little more from you</h2>
${needs.errors.length ? `<div class="error" role="alert"><ul>${needs.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>` : ''}
<form method="post" action="${escapeHtml(needs.action)}">
${needs.fields
  .map(
    (f) => `<label for="${f.name}">${escapeHtml(f.label)}${f.hint ? ` <span class="hint">${escapeHtml(f.hint)}</span>` : ''}</label>
<input type="text" id="${f.name}" name="${f.name}" autocomplete="off">`,
  )
  .join('')}
<button type="submit">Send</button>
</form>`;
}

export function messagePage(title: string, text: string) {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
