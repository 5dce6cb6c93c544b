/** The disclosures members agree to (C3, C7); the version is recorded with their agreement. */
export const seekerDisclosure = {
  version: 'cbgc-seeker-2026-01',
  text: [
    'Continuous monitoring checks public criminal records about this provider for as long as they allow it.',
    'You will be told when a record that warrants review is found. Use what you learn only to decide about your own care arrangement, and keep it private.',
    'The provider must agree before monitoring starts, and either of you can stop it at any time.',
  ],
};

export const providerDisclosure = {
  version: 'cbgc-provider-2026-01',
  text: [
    'This family asks to be told if a public criminal record about you that warrants review is found while you work for them.',
    'A screening company will check public records about you continuously until you or they stop it. You will get a copy of any report and can dispute it.',
    'You can remove this access at any time from your Background Check page.',
  ],
};
