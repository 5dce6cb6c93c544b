/** How members and staff read statuses and refusals: the one place for the dashboards' wording. */

export const MONITORING_LIMIT_HELP =
  'To request another, remove a provider or cancel a pending request on your Background Checks page.';

/** A link's status as the seeker reads it. */
export const seekerLinkStatus: Record<string, string> = {
  draft: 'Request not finished',
  request_pending: 'Request pending',
  active: 'Monitoring active',
  declined: 'Declined by the provider',
  request_cancelled: 'Request cancelled',
  access_denied: 'Access removed by the provider',
  inactive: 'Monitoring stopped',
};

/** A link's status as the provider reads it. */
export const providerLinkStatus: Record<string, string> = {
  request_pending: 'Waiting for your answer',
  active: 'Monitoring you',
  declined: 'You declined',
  request_cancelled: 'Request withdrawn',
  access_denied: 'You removed access',
  inactive: 'Monitoring stopped',
};

/** Statuses per actor kind, in the order of the lifecycle (SPEC.md), for the operations board. */
export const statusesOf: Record<string, string[]> = {
  link: Object.keys(seekerLinkStatus),
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
  identity_verification_required: 'Please verify your identity first.',
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

export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
