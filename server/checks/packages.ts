import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ScreeningType } from '../../machines/report.ts';

const screeningType = z.enum(['ssn_trace', 'sex_offender_search', 'national_criminal_search', 'county_criminal_search', 'motor_vehicle_report']);

const packageSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9_]{1,64}$/),
    name: z.string().min(1).max(200),
    price: z.number().int().min(0),
    screenings: z.array(screeningType).min(1),
  })
  .strict();

export type Package = z.infer<typeof packageSchema> & { screenings: ScreeningType[] };

/** The standard packages; `PACKAGES_FILE` (a JSON array of the same shape) replaces them. */
const STANDARD: Package[] = [
  { slug: 'basic_criminal', name: 'Basic Criminal', price: 2500, screenings: ['ssn_trace', 'national_criminal_search'] },
  {
    slug: 'tasker_standard',
    name: 'Tasker Standard',
    price: 3500,
    screenings: ['ssn_trace', 'sex_offender_search', 'national_criminal_search', 'county_criminal_search'],
  },
  {
    slug: 'driver_pro',
    name: 'Driver Pro',
    price: 5500,
    screenings: ['ssn_trace', 'sex_offender_search', 'national_criminal_search', 'county_criminal_search', 'motor_vehicle_report'],
  },
];

export async function loadPackages(file: string | undefined): Promise<Package[]> {
  if (!file) return STANDARD;
  return z
    .array(packageSchema)
    .min(1)
    .parse(JSON.parse(await readFile(file, 'utf8'))) as Package[];
}

/** What a report needs of its candidate for these screenings (CHECKR.md "Candidates"). */
export function requiredFields(screenings: ScreeningType[]): string[] {
  const fields = ['first_name', 'last_name', 'dob'];
  if (screenings.some((s) => s !== 'motor_vehicle_report')) fields.push('ssn', 'zipcode');
  if (screenings.includes('motor_vehicle_report')) fields.push('driver_license_number', 'driver_license_state');
  return fields;
}
