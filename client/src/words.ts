/** How members and staff read statuses and refusals: the one place for the dashboards' wording. */

export const MONITORING_LIMIT_HELP = 'To request another, remove a provider or cancel a pending request on your Background Checks page.';

/** A link's status by the seed's names (seed 003, "BGC Request Statuses"); seekers and providers read the same words. */
export const linkStatusWords: Record<string, string> = {
  draft: 'Request not finished',
  request_pending: 'Pending',
  active: 'Active',
  declined: 'Declined',
  request_cancelled: 'Request cancelled',
  access_denied: 'Access denied',
  inactive: 'Inactive',
};

/** What each status means, from SPEC.md's definitions ("Click on each status to learn more!"). */
export const linkStatusMeaning: Record<string, string> = {
  draft: 'The seeker started a request and has steps left: hire confirmation, disclosures or ID.me.',
  request_pending: 'The request was sent; the provider has not answered yet.',
  active: 'The provider accepted; continuous monitoring runs.',
  declined: 'The provider declined the request, after confirming.',
  request_cancelled: 'The request was cancelled before the provider approved it.',
  access_denied: 'The provider had granted access and removed it later.',
  inactive: 'Monitoring stopped: the seeker stopped it, downgraded from the Complete plan or closed their account, or the provider closed theirs.',
};

/** Statuses per actor kind, in the order of the lifecycle (SPEC.md), for the operations board. */
export const statusesOf: Record<string, string[]> = {
  link: Object.keys(linkStatusWords),
  seeker: ['active', 'closed'],
  provider: ['active', 'closed'],
  candidate: ['active'],
  invitation: ['pending', 'completed', 'expired', 'deleted'],
  report: ['pending', 'suspended', 'complete', 'dispute', 'canceled'],
};

const refusals: Record<string, string> = {
  monitoring_limit_reached: `You are already monitoring 3 providers, the most at one time. ${MONITORING_LIMIT_HELP}`,
  plan_not_eligible: 'Continuous background checks come with the Complete plan.',
  feature_not_enabled: 'Continuous background checks are not available on your account yet.',
  provider_unavailable: 'This provider is not taking requests at the moment.',
  link_exists: 'You already have a request open with this provider.',
  invalid_transition: 'This was already changed meanwhile; the page now shows where things stand.',
  version_conflict: 'This was already changed meanwhile; the page now shows where things stand.',
  identity_verification_required: 'Verify your identity first: until it is verified you cannot message, book or ask to monitor a provider.',
  legal_info_locked: 'Your legal information is locked once submitted: nobody can change it, our support team included.',
  blocklisted: 'We cannot verify this identity on this marketplace. If you think this is a mistake, contact support.',
  rate_limited: 'Too many tries in a short time. Please wait a minute and try again.',
  unauthorized: 'Your session has ended. Please sign in again.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'This is no longer available.',
  offline: 'We could not reach trustwire. Check your connection and try again.',
};

/** A refusal in words a member understands; the server's own sentence when we have none. */
export function sayError(code: string, serverMessage: string): string {
  return refusals[code] ?? serverMessage;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** A provider's background check as members read it (seed 000: "if a background check has been completed"). */
export const backgroundCheckWords = {
  none: 'No background check on file',
  status: {
    pending: 'Background check in progress',
    suspended: 'Background check on hold',
    complete: 'Background check completed',
    dispute: 'Background check under dispute',
    canceled: 'Background check cancelled',
  } as Record<string, string>,
  result: { clear: 'nothing to review', consider: 'the marketplace reviewed the findings' } as Record<string, string>,
  own: 'Your background check',
};

/* Seeker identity verification (SPEC.md I1–I14). */

/** I5: the ID document and selfie step needs a smartphone with a camera (seed 003). */
export const phoneWords = {
  neededTitle: 'Have a smartphone with a camera at hand.',
  needed:
    'If we cannot confirm your identity from your phone number alone, the next step is a photo of your ID document and a selfie, taken with a smartphone camera.',
  handoffTitle: 'On a computer? Continue on your phone.',
  handoff: 'Scan this code with your smartphone camera: it opens this same document check on your phone. You come back here when it is done.',
  qrAlt: 'QR code that opens this document check on your phone',
  orLink: 'Or open this link on your phone:',
};

/** I6: why a seeker cannot ask to monitor a provider yet, by IDV status. */
export const monitoringIdvWords = {
  title: 'Verify your identity to request a continuous background check',
  why: {
    required: 'Monitoring requests are sent only for seekers whose identity is verified. It takes a few minutes.',
    in_progress: 'Your identity verification is not finished yet. Finish it, then send your request.',
    cancelled: 'You cancelled your identity verification, so you cannot interact with providers until you verify and pass.',
    manual_review: 'Our team is reviewing your ID document and selfie. You can send your request as soon as they approve it.',
  } as Record<string, string>,
  verify: 'Verify my identity',
  continue: 'Continue verification',
};

export const SUPPORT_CONTACT = 'support@trustwire.example';

/** The verification status as the seeker reads it. */
export const idvStatusLabel: Record<string, string> = {
  not_required: 'Not needed on your plan',
  required: 'Not verified',
  in_progress: 'In progress',
  manual_review: 'Being reviewed by our team',
  verified: 'Verified',
  failed: 'Could not be verified',
  cancelled: 'Cancelled',
};

/** Why the seeker is back at the start (`data.idv.message`). */
export const idvMessage: Record<string, string> = {
  vendor_unavailable: 'Our verification partner did not answer in time, so nothing was checked. Please start again.',
  veriff_expired: 'Your document check expired before it was finished. Please start again.',
};

/** The gate's answer on a provider's profile (API.md "the gate"). */
export const gateWords = {
  title: 'Message or book',
  message: 'Message',
  book: 'Book',
  checking: 'Checking…',
  allowed: (action: 'message' | 'book', name: string) => `You can ${action} ${name} — this demo stops here.`,
  identity_verification_required: 'Verify your identity to message or book providers',
  identity_verification_help: 'It protects providers and takes a few minutes: we check your mobile phone and, if needed, a photo of your ID and a selfie.',
  in_progress_help: 'You have started verifying. Finish it to message or book providers.',
  verify: 'Verify my identity',
  manual_review: 'Our team is reviewing your documents',
  manual_review_help: 'You can message and book providers as soon as they approve. We will email you.',
  account_closed: 'Your account is closed, so you cannot message or book providers.',
} as const;

/** The banner on the seeker's other tabs while verification is pending. */
export const idvBanner = {
  required: 'Verify your identity before you message or book providers.',
  cancelled: 'You cancelled identity verification. Verify your identity to message or book providers.',
  in_progress: 'Identity verification in progress.',
  manual_review: 'Our team is reviewing your documents. You can message and book providers once they approve.',
  go: 'Go to identity verification',
  continue: 'Continue verification',
} as const;

/** The seeker's verification screen, step by step. */
export const idvWords = {
  tab: 'Identity',
  heading: 'Identity verification',
  status: 'Status',
  steps: { legal: 'Legal information', phone: 'Phone check', document: 'ID document and selfie' },
  intro:
    'Before you can message or book providers on your plan, we verify your identity: first that your mobile phone is yours, and if that is not enough, a photo of your ID document and a selfie. It takes a few minutes. (Asking to monitor a provider also takes ID.me once, a separate check.)',
  start: 'Start verification',
  startAgain: 'Start verification again',
  cancelledTitle: 'You cancelled identity verification',
  cancelledHelp: 'You cannot message or book providers until you verify. You can start again whenever you are ready.',
  notRequired: 'Your plan does not need identity verification. You can message and book providers.',
  voluntary: 'You may still verify your identity if you like.',
  startVoluntary: 'Verify my identity anyway',
  closed: 'Your account is closed.',

  legalTitle: 'Your legal information',
  legalHelp: 'Use the name and date of birth on your government ID, and the mobile phone you have with you: we send it a check.',
  legalLockWarning: 'Check carefully: once you submit it, your legal information is locked, and nobody can change it, our support team included.',
  firstName: 'Legal first name',
  lastName: 'Legal last name',
  dob: 'Date of birth',
  address: 'Home address',
  addressHint: 'Street, town, postcode and country, on one line.',
  phone: 'Mobile phone',
  phoneHint: 'With the country code, for example +1 555 010 0101.',
  submitLegal: 'Submit and continue',
  fixFields: 'Please correct the fields marked below.',

  proveChecking: 'Checking your phone…',
  proveCheckingHelp: 'This takes a few seconds. Keep this page open.',
  smsTitle: 'Enter the code we sent you',
  smsHelp: (phone: string) => `We sent a one-time code by SMS to ${phone}.`,
  smsFallback: 'If the code does not match, we will ask for a photo of your ID and a selfie instead.',
  code: 'Code from the SMS',
  submitCode: 'Confirm code',

  veriffStarting: 'Preparing your document check…',
  veriffTitle: 'Photo of your ID and a selfie',
  veriffHelp:
    'We could not confirm your identity from your phone alone. Next, our partner Veriff checks a photo of your passport, driving licence or ID card, and a selfie. A smartphone camera works best; you come back here when you are done.',
  veriffResubmission: 'Veriff could not verify your last photos. Please take both again, in good light and with the whole document in the picture.',
  veriffGo: 'Take the ID photo and selfie',
  veriffJustSent: 'If you have just submitted your photos, this page updates in a moment.',
  veriffDecision: 'We are checking your document…',
  veriffDecisionHelp: 'This usually takes a moment. The page updates by itself.',

  manualReviewTitle: 'Our team is reviewing your documents',
  manualReviewHelp: 'We will email you when they have decided. Until then you cannot message or book providers.',
  verifiedTitle: 'Your identity is verified',
  verifiedHelp: 'You can message and book providers.',
  verifiedOn: (at: string) => `Verified ${at}.`,
  failedTitle: 'We could not verify your identity',
  failedHelp: `Your account is closed. If you think this is a mistake, contact support at ${SUPPORT_CONTACT}.`,

  cancel: 'Cancel verification',
  cancelQuestion: 'Cancel identity verification? You will not be able to message or book providers until you verify.',
  confirmCancel: 'Yes, cancel',
  resume: 'Continue verifying',
  cancelMeanwhile: 'Your verification keeps going while you decide.',
} as const;

/** Client-side checks of the legal information form, and the server's field errors, in words. */
export const legalFieldError: Record<string, { missing: string; invalid: string }> = {
  legal_first_name: { missing: 'Enter your legal first name.', invalid: 'Enter your legal first name, up to 100 characters.' },
  legal_last_name: { missing: 'Enter your legal last name.', invalid: 'Enter your legal last name, up to 100 characters.' },
  dob: { missing: 'Enter your date of birth.', invalid: 'Enter a real date of birth: you must be at least 18.' },
  address: { missing: 'Enter your home address.', invalid: 'Enter your full home address (at least 5 characters).' },
  phone: { missing: 'Enter your mobile phone number.', invalid: 'Enter a phone number of 7 to 20 digits, for example +1 555 010 0101.' },
  code: { missing: 'Enter the code from the SMS.', invalid: 'The code is 4 to 8 digits.' },
};

/** The read-only Legal information section (I3). */
export const legalInfoWords = {
  title: 'Legal information',
  locked: 'Locked',
  lockedHelp: 'Your legal information is locked once submitted: nobody can change it, our support team included (they cannot edit it either).',
  name: 'Legal name',
  dob: 'Date of birth',
  address: 'Address',
  phone: 'Mobile phone',
  submitted: 'Submitted',
} as const;

/** A date of birth (YYYY-MM-DD) as a date, without any time-zone shift. */
export const day = (iso: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'long', timeZone: 'UTC' }) : iso;

/** What the sandboxes decide by, shown on the screens that take that data while a sandbox runs. */
export const sandboxWords = {
  title: 'Sandbox test data',
  phones: (endings: Record<string, string>) =>
    `Legal phone ending in 00: ${endings['00']}; ending in 99: ${endings['99']}; any other ending: ${endings.other}.`,
  lastNames: (names: string[]) => `Legal last name ${names.join(', ')}: that Veriff decision; any other name is approved.`,
  smsCode: (code: string) => `Sandbox: the code is ${code}. Any other code fails.`,
};

/** The seeker's provider directory. */
export const directoryWords = {
  search: 'Find a provider',
  searchHint: 'Name',
  list: 'Providers',
  found: (n: number) => (n === 0 ? 'No provider has that name.' : `${n} ${n === 1 ? 'provider matches' : 'providers match'}.`),
  monitoring: 'Monitoring',
  notRequested: 'Not requested',
};

/**
 * ID.me, which a monitoring request needs once (C4), is a check of its own, apart from the identity
 * verification that messaging and booking need (Prove, then Veriff): each screen says which it is.
 */
export const idmeWords = {
  why: 'Continuous monitoring requests need one more check, once: ID.me. It is separate from the identity verification you did for messaging and booking, and you do it only the first time.',
  verified: 'ID.me confirmed your identity, so your request is going out now…',
  denied:
    'ID.me could not confirm your identity, so the request was not sent. You can try ID.me again, or cancel the request. Your identity verification for messaging and booking is not affected.',
};
