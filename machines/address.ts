import { z } from 'zod';

/**
 * A postal address as fields (street, unit, city, state, postal code, country), the way Prove,
 * Veriff and Checkr take one. An address given as one line of text is kept whole as `street`,
 * the other fields `null`: it cannot be split reliably, and a vendor that needs the fields is
 * then sent none.
 */
export interface Address {
  street: string;
  unit: string | null;
  city: string | null;
  /** A US state's two-letter code for a US address. */
  state: string | null;
  postal_code: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** The USPS codes of the states, DC and the territories. */
export const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP'.split(
    ' ',
  ),
);

const line = (max: number) => z.string().trim().min(1).max(max);

const structured = z
  .object({
    street: line(200),
    unit: line(50).nullish(),
    city: line(100),
    state: z.string().trim().toUpperCase().max(50).nullish(),
    postal_code: z.string().trim().max(20).nullish(),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'country must be a two-letter code (ISO 3166-1), e.g. US')
      .default('US'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.country !== 'US') return;
    if (!a.state || !US_STATES.has(a.state)) ctx.addIssue({ code: 'custom', path: ['state'], message: 'state must be a US state’s two-letter code, e.g. CA' });
    if (!a.postal_code || !/^\d{5}(-\d{4})?$/.test(a.postal_code))
      ctx.addIssue({ code: 'custom', path: ['postal_code'], message: 'postal_code must be a US ZIP code (12345 or 12345-6789)' });
  });

const oneLine = z.string().trim().min(5).max(300);

export type AddressInput = string | z.input<typeof structured>;

/** What a client may send: the fields (a US state and ZIP code checked), or one line of text; its complaints name the field. */
export const addressInput = z.unknown().transform((value, ctx): AddressInput => {
  const checked = (typeof value === 'string' ? oneLine : structured).safeParse(value);
  for (const issue of checked.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return checked.success ? checked.data : z.NEVER;
});

/** The address to store of what a client sent, once checked with {@link addressInput}. */
export function toAddress(input: AddressInput): Address {
  if (typeof input === 'string') return { street: input.trim(), unit: null, city: null, state: null, postal_code: null, country: 'US' };
  const a = structured.parse(input);
  return { street: a.street, unit: a.unit ?? null, city: a.city, state: a.state ?? null, postal_code: a.postal_code ?? null, country: a.country };
}

/** Whether the address has its fields (not one line kept as street). */
export const isStructured = (a: Address): a is Address & { city: string } => a.city !== null;

/** The address on one line, for display and for vendors that take it so. */
export function addressLine(a: Address): string {
  if (!isStructured(a)) return a.street;
  const place = [a.state, a.postal_code].filter(Boolean).join(' ');
  return [a.street, a.unit, a.city, place, a.country].filter(Boolean).join(', ');
}
