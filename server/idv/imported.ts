import { z } from 'zod';
import { type AddressInput, toAddress } from '../../machines/address.ts';
import type { LegalInfo, SeekerInput } from '../../machines/seeker.ts';
import type { StoredRecord } from '../store/store.ts';
import { attemptRecord } from './screening-history.ts';

/** A verification done before trustwire (I10): which vendor, its reference, when. */
export const importedIdentity = z
  .object({ vendor: z.enum(['prove', 'veriff']), reference: z.string().trim().min(1).max(200), verified_at: z.iso.datetime({ offset: true }) })
  .strict();
export type ImportedIdentity = z.infer<typeof importedIdentity>;

/**
 * A seeker who completed Prove or Veriff before trustwire starts `verified` with their legal
 * information locked, and the attempt goes into their screening history (`outcome: "imported"`).
 */
export function importedSeeker(
  id: string,
  account: SeekerInput,
  legal: Omit<LegalInfo, 'address'> & { address: AddressInput },
  identity: ImportedIdentity,
  at: string,
): { input: SeekerInput; records: StoredRecord[] } {
  const verifiedAt = new Date(identity.verified_at).toISOString();
  const input: SeekerInput = {
    ...account,
    legal_info: { ...legal, address: toAddress(legal.address), submitted_at: at },
    verified: { by: identity.vendor, at: verifiedAt, imported: { reference: identity.reference } },
  };
  const attempt = attemptRecord({
    seeker: id,
    vendor: identity.vendor,
    method: 'imported',
    outcome: 'imported',
    reference: identity.reference,
    at: verifiedAt,
  });
  return { input, records: [attempt] };
}
