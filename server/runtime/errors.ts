/**
 * A refusal by the domain: a code from API.md's list, words for people, and details. Only the
 * edges (REST and the socket, server/error-status.ts) turn the code into an HTTP status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'actor') => new DomainError('not_found', `No such ${what}.`);
export const forbidden = (message = 'Your role may not do this.') => new DomainError('forbidden', message);

/** An event the actor's state no longer accepts (a repeated vendor callback, a race lost): nothing to do. */
export const notAccepted = (error: unknown): boolean => error instanceof DomainError && error.code === 'invalid_transition';

const refusals: Record<string, string> = {
  monitoring_limit_reached: 'You already monitor or asked to monitor 3 providers; stop one before asking another.',
  plan_not_eligible: 'Continuous monitoring needs the Complete plan.',
  feature_not_enabled: 'Continuous monitoring is not available for this account yet.',
  provider_unavailable: "The provider's account is closed; the request cannot be sent.",
  report_not_consider: 'Adverse action can only be taken on a complete report with result consider',
  adverse_action_exists: 'The report already has an adverse action',
  age_below_minimum: 'You must be at least 18 to verify your identity.',
  legal_info_locked: 'Your legal information is locked once submitted; nobody can change it, support included (I3).',
  blocklisted: 'This identity cannot be verified on this marketplace.',
  identity_verification_required: 'Verify your identity first: until it is verified you cannot message, book or ask to monitor a provider (I6).',
  refund_not_applicable:
    'No refund applies: a failed verification is escalated once, and a refund for declining verification is issued once, to a seeker who has not verified.',
};

/** A business rule's refusal (422) in words a member understands. */
export const refused = (code: string, details: Record<string, unknown> = {}) => new DomainError(code, refusals[code] ?? code.replaceAll('_', ' '), details);
