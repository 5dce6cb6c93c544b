/** How the staff console reads statuses, events and refusals: the console's one place for wording. */

export const tabLabels = { cases: 'Cases', members: 'Members', ops: 'Operations' } as const;

/** The queues of API.md "Staff", in the order the console shows them. */
export const queueLabels: Record<string, string> = {
  idv_failures: 'Identity verification',
  member_care_escalations: 'Member care escalations',
  refunds: 'Refunds',
  concerns: 'Concerns',
  escalations: 'Escalations',
  manual: 'Opened by hand',
};
export const QUEUES = Object.keys(queueLabels);

/** How the console reads an escalation rule (B7). */
export const escalationRuleWords = {
  title: 'Escalation rules',
  help: 'Set by the marketplace: a completed background check that matches a rule opens a case in its queue.',
  none: 'No escalation rule is set.',
  since: 'since',
  describe: (r: { package: string | null; result: string | null; source: string | null }) =>
    [
      'A report',
      r.package && `of package ${r.package}`,
      r.source &&
        `from ${({ api: 'the API', form: 'the hosted form', continuous_check: 'a continuous check' } as Record<string, string>)[r.source] ?? r.source}`,
      r.result ? `with result ${r.result}` : 'with any result',
    ]
      .filter(Boolean)
      .join(' '),
};

export const caseStatusLabels: Record<string, string> = { open: 'Open', resolved: 'Resolved' };

export const idvStatusLabels: Record<string, string> = {
  not_required: 'Not required (legacy plan)',
  required: 'Required, not started',
  in_progress: 'In progress',
  manual_review: 'Waiting for manual review',
  verified: 'Verified',
  failed: 'Failed (account closed, identity blocklisted)',
  cancelled: 'Cancelled by the seeker',
};

export const idvStepLabels: Record<string, string> = {
  legal_info: 'Entering legal information',
  prove_checking: 'Prove is checking the phone',
  sms_code: 'Entering the SMS code',
  veriff_starting: 'Starting the ID document check',
  veriff_capture: 'Taking photos of the ID and a selfie',
  veriff_decision: 'Waiting for Veriff’s decision',
  confirming_cancel: 'Asked to confirm cancelling',
};

export const verifiedByLabels: Record<string, string> = { prove: 'Prove (phone)', veriff: 'Veriff (ID document)', review: 'a reviewer' };

export const planLabels: Record<string, string> = { legacy: 'Legacy (BM 1.0)', starter: 'Starter', complete: 'Complete' };

export const accountLabels: Record<string, string> = { active: 'Active', closed: 'Closed' };

/** A link's status as staff read it: neutral, naming who ended it. */
export const linkStatusLabels: Record<string, string> = {
  draft: 'Draft: the seeker has steps left',
  request_pending: 'Request pending',
  active: 'Monitoring active',
  declined: 'Declined by the provider',
  request_cancelled: 'Request cancelled',
  access_denied: 'Access removed (provider side)',
  inactive: 'Monitoring stopped',
};

export const draftStepLabels: Record<string, string> = {
  confirm_hire: 'confirming the hire',
  disclosures: 'reading the disclosures',
  identity: 'verifying with ID.me',
  confirming_decline: 'the provider is confirming a decline',
  confirming_removal: 'the provider is confirming removing access',
};

export const vendorLabels: Record<string, string> = { prove: 'Prove', veriff: 'Veriff', idme: 'ID.me' };

export const methodLabels: Record<string, string> = {
  mobile_auth: 'Mobile authorization',
  sms: 'SMS one-time code',
  document_selfie: 'ID document and selfie',
  oauth: 'ID.me sign-in',
  imported: 'Imported by the marketplace',
};

/** Outcomes as they come from the vendors, each said once in words (the code is in `data-outcome`). */
export const outcomeLabels: Record<string, string> = {
  verified: 'Verified',
  imported: 'Verified before trustwire',
  approved: 'Approved',
  declined: 'Declined',
  review: 'Needs manual review',
  resubmission_requested: 'Asked to resubmit',
  expired: 'Expired',
  abandoned: 'Abandoned',
  possession_failed: 'Phone possession not proven',
  not_verified: 'Not verified',
  challenge_failed: 'Phone details did not match',
  complete_failed: 'Identity details did not match',
  code_incorrect: 'Wrong SMS code',
  vendor_error: 'The vendor could not be reached',
  denied: 'Denied',
};

export const refundReasons: Record<string, string> = {
  failed_verification: 'Failed verification',
  idv_refusal: 'Chose not to verify',
};
export const REFUND_HELP =
  'A seeker who chose not to verify is refunded at once (recorded in the refunds queue, #IDVrefusal). A seeker whose verification failed is not refunded automatically: the request goes to member care.';
export const refundReasonShort: Record<string, string> = { failed_verification: 'failed verification', idv_refusal: 'chose not to verify' };

/** The inbox mask of I14, by the seeker's IDV status. */
export const maskReasons: Record<string, string> = {
  required: 'identity verification required',
  cancelled: 'identity verification cancelled',
  manual_review: 'identity verification in manual review',
};
export const maskText = (reason: string) => `This member is blocked from providers (${maskReasons[reason] ?? reason}).`;
export const SHOW_INBOX_ANYWAY = 'Show the inbox anyway';

/** Events of the audit history in words; the event type is shown beside them. */
export const eventLabels: Record<string, string> = {
  CREATED: 'Created',
  CHANGE_PLAN: 'Plan changed',
  CLOSE_ACCOUNT: 'Account closed',
  START_VERIFICATION: 'Started identity verification',
  SUBMIT_LEGAL_INFO: 'Submitted legal information',
  SUBMIT_OTP: 'Entered the SMS code',
  CANCEL_VERIFICATION: 'Asked to cancel verification',
  CONFIRM_CANCEL: 'Cancelled verification',
  RESUME_VERIFICATION: 'Went back to verification',
  APPROVE_REVIEW: 'Manual review approved',
  REJECT_REVIEW: 'Manual review rejected',
  REQUEST_REFUND: 'Refund request recorded',
  VERIFF_DECISION: 'Veriff decision',
  CONFIRM_HIRE: 'Confirmed the hire',
  ACCEPT_DISCLOSURES: 'Agreed to the disclosures',
  CANCEL_REQUEST: 'Cancelled the request',
  ACCEPT: 'Provider accepted',
  DECLINE: 'Provider started declining',
  CONFIRM_DECLINE: 'Provider declined',
  REMOVE_ACCESS: 'Provider started removing access',
  CONFIRM_REMOVE_ACCESS: 'Provider removed access',
  KEEP: 'Kept as it was',
  STOP_MONITORING: 'Seeker stopped monitoring',
  REPORT_CONCERN: 'Concern reported',
  STAFF_REMOVE: 'Removed by staff on the member’s behalf',
  IDME_VERIFIED: 'ID.me verified',
  MEMBER_LEFT: 'A member left',
  RECORD_FOUND: 'Record found',
};
export const eventLabel = (type: string) =>
  eventLabels[type] ??
  type
    .toLowerCase()
    .replaceAll('_', ' ')
    .replace(/^./, (c) => c.toUpperCase());

/** Who made a change, as the audit history records it (P3). */
export function whoLabel(by: { role: string; subject?: string; on_behalf_of?: string }): string {
  if (by.role === 'system') return 'trustwire (automatic)';
  const base = by.role === 'integrator' ? 'the marketplace' : `${by.role}${by.subject ? ` ${by.subject}` : ''}`;
  return by.on_behalf_of ? `${base} for ${by.on_behalf_of}` : base;
}

/** STAFF_REMOVE (C14): what each side's removal does, by the link's status. */
export const removalOutcome: Record<string, Partial<Record<'seeker' | 'provider', { label: string; to: string }>>> = {
  draft: { seeker: { label: 'Cancel the request, as the seeker', to: 'request_cancelled' } },
  request_pending: {
    seeker: { label: 'Cancel the request, as the seeker', to: 'request_cancelled' },
    provider: { label: 'Decline the request, as the provider', to: 'declined' },
  },
  active: {
    seeker: { label: 'Stop monitoring, as the seeker', to: 'inactive' },
    provider: { label: 'Remove access, as the provider', to: 'access_denied' },
  },
};
export const REMOVE_ON_BEHALF = 'Remove on the member’s behalf';

/** Refusals staff may meet, in words; anything else keeps the sentence the client already made. */
export const staffRefusals: Record<string, string> = {
  refund_not_applicable:
    'No refund applies for this reason: a refund for a failed verification is for seekers whose verification failed, one for choosing not to verify is for seekers who never passed; each is recorded once.',
  invalid_transition: 'The member’s situation changed meanwhile, so this no longer applies; the page now shows where things stand.',
  forbidden: 'Your role may not do this.',
  not_found: 'This member or case no longer exists, or the id is wrong.',
};

/** Veriff's decision codes (its "verification session decision codes"), as a reviewer reads them. */
export const veriffDecisionLabels: Record<number, string> = {
  9001: 'Approved: Veriff found the person and the document genuine',
  9102: 'Declined: Veriff found the document or the person not genuine',
  9103: 'Resubmission asked: the photos could not be read',
  9104: 'Expired or abandoned: the photos were never submitted',
  9121: 'Sent to manual review: Veriff could not decide on its own',
};

/** Veriff's reason codes of a decline (1xx) or a resubmission (2xx). */
export const veriffReasonLabels: Record<number, string> = {
  101: 'Physical document not used',
  102: 'Suspected document tampering',
  103: 'The person does not appear to match the document photo',
  105: 'Suspicious behaviour',
  106: 'Known fraud',
  108: 'The same person was seen before under another account',
  109: 'The same device was seen before under another account',
  110: 'The same document was seen before under another account',
  112: 'Restricted location',
  201: 'Photos missing',
  204: 'Poor image quality',
  205: 'Document damaged',
  206: 'Document type not supported',
  207: 'Document expired',
};

export const documentTypeLabels: Record<string, string> = {
  PASSPORT: 'Passport',
  ID_CARD: 'Identity card',
  DRIVERS_LICENSE: 'Driving licence',
  RESIDENCE_PERMIT: 'Residence permit',
};

/** What each photo of a document check shows. */
export const photoLabels: Record<string, string> = { 'document-front': 'ID document, front', 'document-back': 'ID document, back', face: 'Selfie' };

/** Why a reviewer rejects an identity (I8): one of these is recorded as the reason. */
export const REJECT_REASONS = [
  'The document looks altered or forged',
  'The selfie does not match the document photo',
  'The document is expired or cannot be read',
  'The details on the document do not match the legal information submitted',
  'Suspected fraud or a duplicate account',
];

export const reviewWords = {
  title: 'Identity review',
  photos: 'Photos taken for Veriff',
  noPhotos: 'Veriff holds no photos for this check.',
  compare: 'Submitted by the seeker, and read by Veriff from the document',
  submitted: 'Submitted by the seeker',
  read: 'Read by Veriff',
  differs: 'differs',
  decision: 'Veriff’s decision',
  noDecision: 'Veriff has not decided yet.',
  yours: 'Your decision',
  approve: 'Approve: the documents and the selfie show this seeker',
  reject: 'Reject',
  reason: 'Reason for rejecting',
  choose: 'Choose a reason',
  next: 'Continue',
  confirmApprove: (name: string) => `Approve ${name}’s identity? They can message and book providers at once, and are told by email.`,
  confirmReject: (name: string, reason: string) =>
    `Reject ${name}’s identity (“${reason}”)? Their verification fails, their account closes and their identity is blocklisted (I7).`,
  yesApprove: 'Yes, approve',
  yesReject: 'Yes, reject',
  back: 'Go back',
  reviewerDecides: 'A reviewer decides this manual review.',
};
