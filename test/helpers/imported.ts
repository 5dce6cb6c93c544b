/**
 * `legal` and `identity` of `POST /v1/seekers` for a seeker who verified with Prove before
 * trustwire: such a seeker starts `verified` (I10), as every Complete-plan seeker who asks to
 * monitor a provider must be (I6).
 */
export function importedVerification(first = 'Sally', last = 'Seeker') {
  const n = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return {
    legal: {
      legal_first_name: first,
      legal_last_name: last,
      dob: '1985-06-15',
      address: { street: '1 Test Street', unit: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
      phone: `+1 555 ${n.slice(0, 3)} ${n.slice(3, 7)}`,
    },
    identity: { vendor: 'prove' as const, reference: `prior-${n}`, verified_at: '2026-01-02T03:04:05Z' },
  };
}
