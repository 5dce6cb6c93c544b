import type { ScreeningType } from '../../../machines/report.ts';

/**
 * Sterling report items ↔ Checkr screenings (CHECKR.md "Screenings"). The first half maps a
 * vendor item's own camelCase detail fields to the Checkr-named fields of our screening type
 * (absent → null, lists → [], never a throw on garbage); the second half is what the sandbox
 * finds (API.md "Sandbox": last name `Consider` gets a county record with charges).
 *
 * The detail field names of a Sterling item are not in the contract (VENDORS.md names only
 * id, type, status, result, updatedAt): the camelCase names read here are unconfirmed, so each
 * is also read in its snake_case spelling.
 */

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lower-cased with spaces, underscores and hyphens folded: `County_Criminal` = `county criminal`. */
export const foldName = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, ' ')
    : undefined;

/** The vendor's name for each screening type, as ordered (configurable in the adapter). */
export const VENDOR_TYPE_NAMES: Record<ScreeningType, string> = {
  ssn_trace: 'SSN Trace',
  sex_offender_search: 'Sex Offender',
  national_criminal_search: 'National Criminal',
  county_criminal_search: 'County Criminal',
  motor_vehicle_report: 'Motor Vehicle Record',
};

const VENDOR_TYPES = new Map<string, ScreeningType>([
  ...Object.entries(VENDOR_TYPE_NAMES).map(([ours, theirs]) => [foldName(theirs)!, ours as ScreeningType] as const),
  ...Object.keys(VENDOR_TYPE_NAMES).map((ours) => [foldName(ours)!, ours as ScreeningType] as const),
  ['sex offender registry', 'sex_offender_search'],
  ['national criminal database', 'national_criminal_search'],
  ['motor vehicle report', 'motor_vehicle_report'],
  ['mvr', 'motor_vehicle_report'],
]);

/** Our screening type of a vendor item type, case-insensitively; unknown → undefined. */
export function screeningTypeOf(vendorType: unknown): ScreeningType | undefined {
  return VENDOR_TYPES.get(foldName(vendorType) ?? '');
}

// ── Field readers: each answers a valid value or null ──────────────────────────────────────

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The own field `name` (or its snake_case spelling, or an alias) of a vendor object. */
function get(o: Json, ...names: string[]): unknown {
  for (const name of names) {
    for (const key of [name, snake(name)]) if (Object.hasOwn(o, key) && o[key] !== null && o[key] !== undefined) return o[key];
  }
  return undefined;
}

const MAX_TEXT = 2000;

export function text(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.slice(0, MAX_TEXT);
}

/** `YYYY-MM-DD` from `YYYY-MM-DD…` or US `MM/DD/YYYY`, when it is a real calendar date. */
export function date(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(v.trim());
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v.trim());
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!y) return null;
  const at = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (at.getUTCFullYear() !== Number(y) || at.getUTCMonth() !== Number(m) - 1 || at.getUTCDate() !== Number(d)) return null;
  return at.toISOString().slice(0, 10);
}

/** An ISO instant in UTC (`…Z`), or null. */
export function timestamp(v: unknown): string | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  const f = foldName(v);
  return f === 'true' || f === 'yes' ? true : f === 'false' || f === 'no' ? false : null;
}

function int(v: unknown, min: number, max: number): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The vendor's id when it is a single URI segment, else a stable one derived from its place. */
const idOr = (v: unknown, fallback: string): string => {
  const t = text(v);
  return t && /^[A-Za-z0-9_-]{1,128}$/.test(t) ? t : fallback;
};

/** A reason code in snake_case (`Mother maiden name required` → `mother_maiden_name_required`). */
export function code(v: unknown): string | null {
  const t = text(v);
  const c = t
    ?.toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return c ? c : null;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, 500) : []);

/** Only JSON, snake_case keys, bounded depth: for the items CHECKR.md gives no shape. */
function jsonOf(v: unknown, depth = 0): unknown {
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (depth >= 4) return null;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => jsonOf(x, depth + 1));
  if (isRecord(v)) {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined && typeof x !== 'function')
        .slice(0, 50)
        .map(([k, x]) => [snake(k), jsonOf(x, depth + 1)]),
    );
  }
  return null;
}

/** A restriction, accident or suspension: its text, or the object as JSON. */
function unspecifiedItems(v: unknown): unknown[] {
  return list(v).flatMap((x) => (isRecord(x) ? [jsonOf(x)] : text(x) !== null ? [text(x)] : []));
}

/** `XXX-XX-1234` from a full, partial or masked SSN; null without four digits. */
export function maskedSsn(v: unknown): string | null {
  const digits = typeof v === 'string' || typeof v === 'number' ? String(v).replace(/\D/g, '') : '';
  return digits.length >= 4 ? `XXX-XX-${digits.slice(-4)}` : null;
}

// ── Records ────────────────────────────────────────────────────────────────────────────────

const ASSESSMENTS = new Set(['eligible', 'review', 'escalated']);

/** Street, unit, city, state and ZIP of a vendor address, in any of its spellings. */
function addressFields(v: Json) {
  return {
    street: text(get(v, 'street', 'line1', 'addressLine1', 'address')),
    unit: text(get(v, 'unit', 'line2', 'addressLine2', 'extendedAddress')),
    city: text(get(v, 'city', 'locality')),
    state: text(get(v, 'state', 'region')),
    zipcode: text(get(v, 'zipcode', 'postalCode', 'zip')),
  };
}

function address(v: unknown) {
  if (!isRecord(v)) return null;
  const mapped = { ...addressFields(v), country: text(get(v, 'country', 'countryCode')) };
  return Object.values(mapped).some((x) => x !== null) ? mapped : null;
}

const assessmentOf = (v: unknown) => {
  const folded = foldName(v);
  return folded && ASSESSMENTS.has(folded) ? folded : null;
};

/** An address the SSN trace found, with the dates the person lived there. */
function tracedAddress(v: Json) {
  return { ...addressFields(v), county: text(get(v, 'county')), from_date: date(get(v, 'fromDate')), to_date: date(get(v, 'toDate')) };
}

function charge(v: Json, fallbackId: string) {
  return {
    id: idOr(get(v, 'id'), fallbackId),
    // A charge whose text is missing is still a charge: kept, for a human to look at.
    charge: text(get(v, 'charge', 'description', 'offense')) ?? 'Unspecified charge',
    charge_type: text(get(v, 'chargeType', 'type')),
    classification: text(get(v, 'classification', 'level', 'severity')),
    category: text(get(v, 'category')),
    disposition: text(get(v, 'disposition')),
    offense_date: date(get(v, 'offenseDate')),
    arrest_date: date(get(v, 'arrestDate')),
    disposition_date: date(get(v, 'dispositionDate')),
    conviction_date: date(get(v, 'convictionDate')),
    sentence: text(get(v, 'sentence')),
    probation_status: text(get(v, 'probationStatus')),
    assessment: assessmentOf(get(v, 'assessment')),
  };
}

function criminalRecord(v: Json, fallbackId: string) {
  const dob = date(get(v, 'dob', 'dateOfBirth'));
  const id = idOr(get(v, 'id'), fallbackId);
  return {
    id,
    case_number: text(get(v, 'caseNumber', 'caseId')),
    file_date: date(get(v, 'fileDate', 'filingDate')),
    arresting_agency: text(get(v, 'arrestingAgency')),
    court_jurisdiction: text(get(v, 'courtJurisdiction', 'jurisdiction')),
    court_of_record: text(get(v, 'courtOfRecord', 'court')),
    full_name: text(get(v, 'fullName', 'name')),
    dob,
    yob: int(get(v, 'yob', 'yearOfBirth'), 1800, 2200) ?? (dob ? Number(dob.slice(0, 4)) : null),
    county: text(get(v, 'county')),
    state: text(get(v, 'state')),
    address: address(get(v, 'address')),
    charges: list(get(v, 'charges', 'offenses')).flatMap((c, i) => (isRecord(c) ? [charge(c, `${id}-c${i + 1}`)] : [])),
  };
}

function sexOffenderRecord(v: Json, fallbackId: string) {
  const state = text(get(v, 'state'));
  return {
    id: idOr(get(v, 'id'), fallbackId),
    registry: text(get(v, 'registry', 'registryName', 'source')) ?? (state ? `${state} Sex Offender Registry` : 'Unspecified registry'),
    full_name: text(get(v, 'fullName', 'name')),
    age: int(get(v, 'age'), 0, 150),
    dob: date(get(v, 'dob', 'dateOfBirth')),
    registration_start: date(get(v, 'registrationStart', 'registrationStartDate')),
    registration_end: date(get(v, 'registrationEnd', 'registrationEndDate')),
    state,
  };
}

function violation(v: unknown) {
  if (!isRecord(v)) return text(v) === null ? [] : [{ type: text(v)!, issued_date: null, description: null, points: null }];
  return [
    {
      type: text(get(v, 'type', 'violationType', 'code')) ?? 'Unspecified violation',
      issued_date: date(get(v, 'issuedDate', 'date', 'violationDate')),
      description: text(get(v, 'description')),
      points: int(get(v, 'points'), 0, 1000),
    },
  ];
}

const records = <T>(item: Json, map: (r: Json, id: string) => T): T[] => {
  const itemId = idOr(get(item, 'id'), 'item');
  return list(get(item, 'records')).flatMap((r, i) => (isRecord(r) ? [map(r, `${itemId}-r${i + 1}`)] : []));
};

/** The Checkr-named detail fields of a screening of `type`, read from the vendor item. */
export function detailsOf(type: ScreeningType, raw: unknown): Record<string, unknown> {
  const item = isRecord(raw) ? raw : {};
  switch (type) {
    case 'ssn_trace':
      return {
        ssn: maskedSsn(get(item, 'ssn', 'ssnLast4')),
        addresses: list(get(item, 'addresses', 'addressHistory')).flatMap((a) => (isRecord(a) ? [tracedAddress(a)] : [])),
        no_data: bool(get(item, 'noData')),
        dob_mismatch: bool(get(item, 'dobMismatch')),
        name_mismatch: bool(get(item, 'nameMismatch')),
        data_mismatch: bool(get(item, 'dataMismatch')),
        thin_file: bool(get(item, 'thinFile')),
        invalid_issuance_year: bool(get(item, 'invalidIssuanceYear')),
        death_index: bool(get(item, 'deathIndex')),
        ssn_already_taken: bool(get(item, 'ssnAlreadyTaken')),
        issued_year: int(get(item, 'issuedYear'), 1900, 2200),
        issued_state: text(get(item, 'issuedState')),
      };
    case 'sex_offender_search':
      return { records: records(item, sexOffenderRecord) };
    case 'national_criminal_search':
      return { records: records(item, criminalRecord) };
    case 'county_criminal_search':
      return {
        county: text(get(item, 'county')),
        state: text(get(item, 'state')),
        assessment: assessmentOf(get(item, 'assessment')),
        records: records(item, criminalRecord),
      };
    case 'motor_vehicle_report': {
      const privilege = foldName(get(item, 'privilegeToDrive'));
      return {
        full_name: text(get(item, 'fullName', 'name')),
        license_number: text(get(item, 'licenseNumber')),
        license_state: text(get(item, 'licenseState')),
        previous_license_number: text(get(item, 'previousLicenseNumber')),
        previous_license_state: text(get(item, 'previousLicenseState')),
        license_status: text(get(item, 'licenseStatus')),
        license_type: text(get(item, 'licenseType')),
        license_class: text(get(item, 'licenseClass')),
        expiration_date: date(get(item, 'expirationDate')),
        issued_date: date(get(item, 'issuedDate')),
        first_issued_date: date(get(item, 'firstIssuedDate')),
        inferred_issued_date: date(get(item, 'inferredIssuedDate')),
        privilege_to_drive: privilege === 'valid' || privilege === 'invalid' ? privilege : null,
        not_found: bool(get(item, 'notFound')),
        restrictions: unspecifiedItems(get(item, 'restrictions')),
        violations: list(get(item, 'violations')).flatMap(violation),
        accidents: unspecifiedItems(get(item, 'accidents')),
        suspensions: unspecifiedItems(get(item, 'suspensions')),
      };
    }
  }
}

// ── What the sandbox finds ─────────────────────────────────────────────────────────────────

export interface SandboxSubject {
  givenName?: string;
  middleName?: string;
  familyName?: string;
  dob?: string;
  ssn?: string;
  motherMaidenName?: string;
  address?: { postalCode?: string };
  driverLicense?: { number?: string; state?: string };
}

/** Steps of each item, in multiples of the sandbox's base delay: started at half, done at 1×. */
export const STEP_MULTIPLES: Record<ScreeningType, number> = {
  ssn_trace: 1,
  national_criminal_search: 2,
  sex_offender_search: 2,
  county_criminal_search: 3,
  motor_vehicle_report: 2,
};

interface Place {
  city: string;
  county: string;
  state: string;
  court: string;
  agency: string;
}

/** The county searched follows the candidate's ZIP code (a few areas; Los Angeles otherwise). */
const PLACES: [prefix: string, Place][] = [
  [
    '94',
    {
      city: 'San Francisco',
      county: 'San Francisco',
      state: 'CA',
      court: 'Superior Court of California, County of San Francisco',
      agency: 'San Francisco Police Department',
    },
  ],
  [
    '10',
    {
      city: 'New York',
      county: 'New York',
      state: 'NY',
      court: 'Criminal Court of the City of New York, New York County',
      agency: 'New York City Police Department',
    },
  ],
  ['60', { city: 'Chicago', county: 'Cook', state: 'IL', court: 'Circuit Court of Cook County', agency: 'Chicago Police Department' }],
];
const DEFAULT_PLACE: Place = {
  city: 'Los Angeles',
  county: 'Los Angeles',
  state: 'CA',
  court: 'Superior Court of California, County of Los Angeles',
  agency: 'Los Angeles Police Department',
};

const placeOf = (s: SandboxSubject): Place => {
  const zip = s.address?.postalCode ?? '';
  return PLACES.find(([prefix]) => zip.startsWith(prefix))?.[1] ?? DEFAULT_PLACE;
};

const is = (name: string | undefined, value: string) => name?.trim().toLowerCase() === value;
const filled = (v: string | undefined) => typeof v === 'string' && v.trim() !== '';

/** What the item shows from its start: the SSN traced (masked), the county searched, the licence. */
export function openingDetails(type: ScreeningType, s: SandboxSubject): Json {
  if (type === 'ssn_trace') return s.ssn ? { ssn: maskedSsn(s.ssn) } : {};
  if (type === 'county_criminal_search') return { county: placeOf(s).county, state: placeOf(s).state };
  if (type === 'motor_vehicle_report') {
    return {
      ...(s.driverLicense?.number && { licenseNumber: s.driverLicense.number }),
      ...(s.driverLicense?.state && { licenseState: s.driverLicense.state }),
    };
  }
  return {};
}

/** Why the item cannot finish (a reason code), or undefined when it can. */
export function missingFor(type: ScreeningType, s: SandboxSubject): string | undefined {
  if (type === 'ssn_trace' && !filled(s.ssn)) return 'ssn_required';
  if (type === 'motor_vehicle_report' && !(filled(s.driverLicense?.number) && filled(s.driverLicense?.state))) return 'driver_license_required';
  // The court will not release the record without it (last name `Suspended`).
  if (type === 'county_criminal_search' && is(s.familyName, 'suspended') && !filled(s.motherMaidenName)) return 'mother_maiden_name_required';
  return undefined;
}

const fullName = (s: SandboxSubject) => [s.givenName, s.middleName, s.familyName].filter(filled).join(' ') || undefined;

/** A real date `years` after `dob`'s birthday (29 February → 28th), for licence expiry. */
function birthdayIn(year: number, dob: string | undefined): string {
  const [, m = '06', d = '15'] = /^\d{4}-(\d{2})-(\d{2})$/.exec(dob ?? '') ?? [];
  return `${year}-${m}-${m === '02' && d === '29' ? '28' : d}`;
}

/** The record of the `Consider` candidate: one county case, a conviction and a dismissal. */
function countyRecord(s: SandboxSubject, itemId: string): Json {
  const place = placeOf(s);
  return {
    id: `${itemId}-r1`,
    caseNumber: 'CR-19-004512',
    fileDate: '2019-03-18',
    arrestingAgency: place.agency,
    courtJurisdiction: `${place.county} County`,
    courtOfRecord: place.court,
    ...(fullName(s) && { fullName: fullName(s) }),
    ...(s.dob && { dob: s.dob, yob: Number(s.dob.slice(0, 4)) }),
    county: place.county,
    state: place.state,
    address: {
      street: '1200 Market St',
      city: place.city,
      state: place.state,
      ...(s.address?.postalCode && { postalCode: s.address.postalCode }),
      country: 'US',
    },
    charges: [
      {
        id: `${itemId}-c1`,
        charge: 'Petty theft',
        chargeType: 'Criminal',
        classification: 'Misdemeanor',
        category: 'Property',
        disposition: 'Guilty',
        offenseDate: '2019-02-23',
        arrestDate: '2019-02-23',
        dispositionDate: '2019-06-10',
        convictionDate: '2019-06-10',
        sentence: '12 months probation; 40 hours community service',
        probationStatus: 'Completed',
      },
      {
        id: `${itemId}-c2`,
        charge: 'Trespassing',
        chargeType: 'Criminal',
        classification: 'Misdemeanor',
        category: 'Property',
        disposition: 'Dismissed',
        offenseDate: '2019-02-23',
        arrestDate: '2019-02-23',
        dispositionDate: '2019-06-10',
      },
    ],
  };
}

/** A finished item's result and detail fields. */
export function findings(type: ScreeningType, s: SandboxSubject, itemId: string, now: Date): { result: 'Clear' | 'Consider'; details: Json } {
  switch (type) {
    case 'ssn_trace': {
      const born = Number(s.dob?.slice(0, 4)) || 1990;
      const flags = ['noData', 'dobMismatch', 'nameMismatch', 'dataMismatch', 'thinFile', 'invalidIssuanceYear', 'deathIndex', 'ssnAlreadyTaken'];
      return {
        result: 'Clear',
        // Enumeration at birth began in 1987; before that an SSN came around the first job.
        details: {
          ...Object.fromEntries(flags.map((f) => [f, false])),
          issuedYear: born >= 1987 ? born : born + 16,
          issuedState: placeOf(s).state,
          addresses: [
            {
              street: '1200 Market St',
              city: placeOf(s).city,
              state: placeOf(s).state,
              postalCode: s.address?.postalCode,
              county: placeOf(s).county,
              fromDate: `${born + 18}-09-01`,
            },
          ],
        },
      };
    }
    case 'county_criminal_search':
      return is(s.familyName, 'consider')
        ? { result: 'Consider', details: { records: [countyRecord(s, itemId)] } }
        : { result: 'Clear', details: { records: [] } };
    case 'motor_vehicle_report':
      return {
        result: 'Clear',
        details: {
          fullName: fullName(s),
          licenseStatus: 'Valid',
          licenseType: 'non-commercial',
          licenseClass: 'C',
          issuedDate: birthdayIn(now.getUTCFullYear() - 2, s.dob),
          firstIssuedDate: birthdayIn((Number(s.dob?.slice(0, 4)) || 1990) + 17, s.dob),
          expirationDate: birthdayIn(now.getUTCFullYear() + 3, s.dob),
          privilegeToDrive: 'Valid',
          notFound: false,
          restrictions: ['Corrective lenses'],
          violations: [],
          accidents: [],
          suspensions: [],
        },
      };
    default:
      return { result: 'Clear', details: { records: [] } };
  }
}

/** What a monitoring alert found: a new county case, charges still awaiting disposition. */
export function alertRecord(s: SandboxSubject, itemId: string, now: Date): Json {
  const place = placeOf(s);
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return {
    county: place.county,
    state: place.state,
    records: [
      {
        id: `${itemId}-r1`,
        caseNumber: `CR-${String(now.getUTCFullYear()).slice(2)}-${itemId.replace(/\D/g, '').padEnd(6, '0').slice(0, 6)}`,
        fileDate: day(12),
        arrestingAgency: place.agency,
        courtJurisdiction: `${place.county} County`,
        courtOfRecord: place.court,
        ...(fullName(s) && { fullName: fullName(s) }),
        county: place.county,
        state: place.state,
        charges: [
          {
            id: `${itemId}-c1`,
            charge: 'Driving under the influence',
            chargeType: 'Criminal',
            classification: 'Misdemeanor',
            category: 'Traffic',
            disposition: 'Pending',
            offenseDate: day(15),
            arrestDate: day(15),
          },
          {
            id: `${itemId}-c2`,
            charge: 'Reckless driving',
            chargeType: 'Criminal',
            classification: 'Misdemeanor',
            category: 'Traffic',
            disposition: 'Pending',
            offenseDate: day(15),
            arrestDate: day(15),
          },
        ],
      },
    ],
  };
}
