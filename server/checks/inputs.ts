import { z } from 'zod';

/**
 * Checkr's input rules (CHECKR.md "Input rules"), with Checkr's own error strings so that a
 * Checkr client's error handling keeps working. Form-encoded bodies send booleans as strings.
 */

const BAD_SSNS = new Set(['123456789']);

export const ssn = z
  .string()
  .regex(/^\d{3}-?\d{2}-?\d{4}$/, 'SSN is invalid')
  .transform((value) => value.replaceAll('-', ''))
  .refine((d) => !d.startsWith('666') && !d.startsWith('9') && !/^(\d)\1{8}$/.test(d) && !BAD_SSNS.has(d), 'SSN is invalid');

export const email = z.email('Email is not a valid email address').max(255, 'Email is not a valid email address');

const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF0-9 \-'.,]+$/, "Name may contain only letters, digits, spaces and -'.,");

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** A date of birth in the past, of someone at least 18 on `today` (YYYY-MM-DD). */
export const dob = (today: string) =>
  z.iso
    .date('dob must be a date in the form YYYY-MM-DD')
    .refine((d) => d < today, 'dob must be in the past')
    .refine((d) => {
      const [y, m, day] = today.split('-').map(Number);
      return d <= `${y - 18}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }, 'Candidate must be at least 18 years old');

/**
 * The candidate fields of CHECKR.md a client may send, each optional (create needs only `email`).
 * Other keys are dropped, not refused: Checkr's clients send whole candidates back on update.
 */
export const candidateFields = (today: string) =>
  z
    .object({
      first_name: name,
      middle_name: name,
      no_middle_name: bool,
      last_name: name,
      mother_maiden_name: name,
      email,
      phone: z.string().regex(/^\+?[0-9 ()-]{7,20}$/, 'Phone is not a valid phone number'),
      zipcode: z.string().regex(/^\d{5}(-\d{4})?$/, 'Zipcode is invalid'),
      dob: dob(today),
      ssn,
      driver_license_number: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'Driver license number is invalid'),
      driver_license_state: z.string().regex(/^[A-Z]{2}$/, 'Driver license state must be a two-letter state code'),
      previous_driver_license_number: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'Driver license number is invalid'),
      previous_driver_license_state: z.string().regex(/^[A-Z]{2}$/, 'Driver license state must be a two-letter state code'),
      copy_requested: bool,
      custom_id: z.string().min(1).max(100),
      geo_ids: z.array(z.string().min(1).max(64)).max(50),
      metadata: z.record(z.string().max(40), z.string().max(500)).refine((m) => Object.keys(m).length <= 50, 'metadata may have at most 50 keys'),
    })
    .partial();

/**
 * A candidate sent back whole carries its SSN as Checkr reads it (`XXX-XX-1234`): that is no
 * change, so it is taken out of the body, to be compared with the stored SSN's last four digits.
 */
export function withoutReadBackSsn(body: unknown): { body: unknown; readBack?: string } {
  if (typeof body !== 'object' || body === null || !('ssn' in body)) return { body };
  const { ssn, ...rest } = body as { ssn: unknown };
  return typeof ssn === 'string' && /^XXX-XX-\d{4}$/.test(ssn) ? { body: rest, readBack: ssn } : { body };
}

/**
 * A Checkr-shaped request body without the values a client sends for "nothing": `null` (a whole
 * object sent back carries its absent fields as null). A body that is no object stays as it is.
 */
export function present(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== undefined));
}

export const tags = z.array(z.string().min(1).max(100)).max(20);

/** What orders a check, an invitation's or a report's (keys it does not name are ignored, as Checkr does). */
export const orderBody = z.object({
  package: z.string().min(1).max(64),
  candidate_id: z.string().min(1).max(64),
  node: z.string().max(100).optional(),
  work_locations: z.array(z.unknown()).max(50).optional(),
  tags: tags.optional(),
});
