import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Screening, ScreeningType } from '../../machines/report.ts';
import { screeningResource } from '../../server/checks/resources.ts';
import { screeningSchemas } from '../../server/checks/schemas.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import {
  mapReportItem,
  normaliseResult,
  normaliseStatus,
  parseCallback,
  type ScreeningItemResult,
  SterlingClient,
  SterlingError,
} from '../../server/vendors/sterling/adapter.ts';
import { sterlingSandbox } from '../../server/vendors/sterling/sandbox.ts';
import { close, listen, urlOf } from '../helpers/http.ts';

const API_KEY = 'test-api-key';
/** The sandbox's base step delay here: a whole screening takes 3× this. */
const DELAY_MS = 40;
const sealer = new Sealer(randomBytes(32));
const CLIENTS = { trustwire: 'sandbox' };
const requireApiKey: express.RequestHandler = (req, res, next) => {
  if (req.get('authorization') === `Bearer ${API_KEY}`) return next();
  res.status(401).json({ error: 'unauthorized', code: 'unauthorized', details: {} });
};

let dir: string;
let dataFile: string;
let sandbox: Server;
let sandboxUrl: string;
let oauthCalls = 0;
let receiver: Server;
let receiverUrl: string;
const callbacks: unknown[] = [];
let redirected = 0;
let landed = 0;
let client: SterlingClient;

async function startSandbox(port = 0, opts: { file?: string; delayMs?: number } = {}): Promise<Server> {
  const app = express();
  app.use((req, _res, next) => {
    if (req.path === '/sandbox/sterling/oauth') oauthCalls++;
    next();
  });
  const registered = { sealer, clients: CLIENTS, callbackPrefixes: () => [`${receiverUrl}/hooks/sterling/`] };
  app.use('/sandbox/sterling', await sterlingSandbox({ dataFile: opts.file ?? dataFile, ...registered, requireApiKey, delayMs: opts.delayMs ?? DELAY_MS }));
  return listen(app, port);
}

const person = (reference: string, key = `enroll-${reference}`) => ({
  reference,
  givenName: 'Pat',
  familyName: 'Provider',
  email: `${reference}@example.test`,
  callbackUri: `${receiverUrl}/hooks/sterling/unguessable-${reference}`,
  idempotencyKey: key,
});

async function bearer(): Promise<string> {
  const res = await fetch(`${sandboxUrl}/oauth`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('trustwire:sandbox').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function getSubscription(id: string): Promise<{ status: string; candidateId: string }> {
  const res = await fetch(`${sandboxUrl}/v2/monitoring/subscriptions/${id}`, {
    headers: { authorization: `Bearer ${await bearer()}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; candidateId: string };
}

function triggerAlert(providerId: string): Promise<Response> {
  return fetch(`${sandboxUrl}/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider_id: providerId }),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sterling-'));
  dataFile = join(dir, 'sandbox', 'sterling.json');
  const hooks = express();
  hooks.post('/hooks/sterling/redirect-away', (_req, res) => {
    redirected++;
    res.redirect(307, `${receiverUrl}/landing`);
  });
  hooks.post('/landing', (_req, res) => {
    landed++;
    res.sendStatus(200);
  });
  hooks.post('/hooks/sterling/:secret', express.json(), (req, res) => {
    callbacks.push(req.body);
    res.sendStatus(200);
  });
  receiver = await listen(hooks);
  receiverUrl = urlOf(receiver);

  sandbox = await startSandbox();
  sandboxUrl = `${urlOf(sandbox)}/sandbox/sterling`;

  client = new SterlingClient({ baseUrl: `${sandboxUrl}/`, clientId: 'trustwire', clientSecret: 'sandbox' });
});

afterAll(async () => {
  await close(sandbox);
  await close(receiver);
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe('Sterling adapter against the sandbox', () => {
  it('enrolls a provider: candidate and active subscription', async () => {
    const { candidateId, subscriptionId } = await client.enrollMonitoring(person('prov_enroll'));
    const subscription = await getSubscription(subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', candidateId });
  });

  it('reuses the candidate and subscription for the same idempotency key', async () => {
    const first = await client.enrollMonitoring(person('prov_idem'));
    const again = await client.enrollMonitoring(person('prov_idem'));
    expect(again).toEqual(first);
    const other = await client.enrollMonitoring(person('prov_idem', 'another-key'));
    expect(other.subscriptionId).not.toBe(first.subscriptionId);
  });

  it('caches the token (expires_in arrives as a string)', async () => {
    const before = oauthCalls;
    await client.enrollMonitoring(person('prov_token_a'));
    await client.enrollMonitoring(person('prov_token_b'));
    expect(oauthCalls).toBe(before);
  });

  it('delivers an alert as a screening callback that normalises to consider', async () => {
    const { candidateId } = await client.enrollMonitoring(person('prov_alert'));
    const res = await triggerAlert('prov_alert');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ alerts: 1 });

    await vi.waitFor(() => expect(callbacks.map(parseCallback)).toContainEqual(expect.objectContaining({ candidateId })));
    const callback = callbacks.map(parseCallback).find((c) => c?.candidateId === candidateId)!;
    expect(callback.type).toBe('screening');

    const screening = await client.getScreening(callback.screeningId);
    expect(screening).toMatchObject({ id: callback.screeningId, candidateId, status: 'complete', result: 'consider' });
    expect(screening.items).toEqual([expect.objectContaining({ type: 'County Criminal', status: 'complete', result: 'consider' })]);
  });

  it('after withdrawal an alert for that provider reaches nobody', async () => {
    const { subscriptionId } = await client.enrollMonitoring(person('prov_withdraw'));
    await client.withdrawMonitoring(subscriptionId, 'withdraw-1');
    expect((await getSubscription(subscriptionId)).status).toBe('cancelled');
    await client.withdrawMonitoring(subscriptionId, 'withdraw-2');
    await client.withdrawMonitoring('no-such-subscription', 'withdraw-3');

    const delivered = callbacks.length;
    const res = await triggerAlert('prov_withdraw');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callbacks).toHaveLength(delivered);
  });

  it('requires the API key for the alert trigger', async () => {
    const res = await fetch(`${sandboxUrl}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider_id: 'prov_enroll' }),
    });
    expect(res.status).toBe(401);
  });

  it('answers 401 to a bad bearer token', async () => {
    const res = await fetch(`${sandboxUrl}/v2/screenings/anything`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ code: '401', message: expect.any(String) }] });
  });

  it('throws SterlingError with the vendor code and no personal data', async () => {
    const missingEmail = client.enrollMonitoring({ ...person('prov_bad'), email: '' });
    await expect(missingEmail).rejects.toMatchObject({ name: 'SterlingError', status: 400, code: '400#email' });

    const badClient = new SterlingClient({ baseUrl: sandboxUrl, clientId: 'trustwire', clientSecret: '' });
    const error = await badClient.getScreening('x').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SterlingError);
    expect(error).toMatchObject({ status: 401, operation: 'token' });

    const gone = await client.getScreening('no-such-screening').catch((err: unknown) => err);
    expect(gone).toMatchObject({ status: 404, code: '404' });
    expect((gone as Error).message).not.toContain('@');
  });

  it('keeps its state across a restart from the same data file', async () => {
    const { candidateId, subscriptionId } = await client.enrollMonitoring(person('prov_restart'));
    const port = (sandbox.address() as AddressInfo).port;
    await close(sandbox);
    sandbox = await startSandbox(port);

    // The old client's token died with the old process: it must renew and carry on.
    expect(await client.enrollMonitoring(person('prov_restart'))).toEqual({ candidateId, subscriptionId });
    expect((await getSubscription(subscriptionId)).status).toBe('active');
    const res = await triggerAlert('prov_restart');
    expect(await res.json()).toEqual({ alerts: 1 });
    await vi.waitFor(() => expect(callbacks.map(parseCallback)).toContainEqual(expect.objectContaining({ candidateId })));
  });
});

describe('normalisation', () => {
  it.each([
    ['new', 'pending'],
    ['PreDraft', 'pending'],
    ['predraft', 'pending'],
    ['Pending', 'in_progress'],
    ['In Progress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['complete', 'complete'],
    ['COMPLETE', 'complete'],
    ['Suspended', 'suspended'],
    ['cancelled', 'canceled'],
    ['Canceled', 'canceled'],
    ['something new', 'in_progress'],
  ])('status %s → %s', (vendor, ours) => {
    expect(normaliseStatus(vendor)).toBe(ours);
  });

  it.each([
    ['n/a', 'pending'],
    ['Pending', 'pending'],
    [null, 'pending'],
    ['Clear', 'clear'],
    ['no data', 'clear'],
    ['NO DATA', 'clear'],
    ['alert', 'consider'],
    ['Consider', 'consider'],
    ['Adverse', 'adverse'],
    ['constructor', 'consider'],
    ['unheard of', 'consider'],
  ])('result %s → %s', (vendor, ours) => {
    expect(normaliseResult(vendor)).toBe(ours);
  });

  it('parses screening callbacks and ignores other types', () => {
    const payload = { id: 'scr_1', packageId: 'p', candidateId: 'cand_1', status: 'complete', result: 'alert', reportItems: [] };
    expect(parseCallback({ type: 'screening', payload })).toEqual({ type: 'screening', screeningId: 'scr_1', candidateId: 'cand_1' });
    expect(parseCallback({ type: 'candidate', payload })).toBeUndefined();
    expect(parseCallback({ type: 'screening', payload: { id: 'scr_1' } })).toBeUndefined();
    expect(parseCallback('screening')).toBeUndefined();
    expect(parseCallback(null)).toBeUndefined();
  });
});

// ── Screening orders ──────────────────────────────────────────────────────────────────────────

const ALL_SCREENINGS: ScreeningType[] = ['ssn_trace', 'sex_offender_search', 'national_criminal_search', 'county_criminal_search', 'motor_vehicle_report'];

const applicant = (familyName: string, key: string) => ({
  reference: `rpt_${key}`,
  candidate: {
    givenName: 'Jamie',
    familyName,
    email: `${key}@example.test`,
    dob: '1988-04-12',
    ssn: '123-45-6780',
    address: { postal_code: '94105' },
    driverLicenseNumber: 'D1234567',
    driverLicenseState: 'CA',
  },
  screenings: ALL_SCREENINGS,
  callbackUri: `${receiverUrl}/hooks/sterling/unguessable-${key}`,
  idempotencyKey: `order-${key}`,
});

type Payload = { id: string; status: string; result: string; reportItems: { id: string; type: string; status: string; result: string }[] };
const payloadsOf = (screeningId: string): Payload[] =>
  callbacks.map((c) => (c as { payload?: Payload }).payload).filter((p): p is Payload => p?.id === screeningId);

/** Waits until the screening's items satisfy `done`; answers them by type. */
async function itemsWhen(
  screeningId: string,
  done: (items: ScreeningItemResult[]) => boolean,
  sterling = client,
): Promise<Record<ScreeningType, ScreeningItemResult>> {
  let items: ScreeningItemResult[] = [];
  await vi.waitFor(
    async () => {
      items = (await sterling.screeningResult(screeningId)).items;
      expect(done(items)).toBe(true);
    },
    { timeout: 5_000, interval: 10 },
  );
  return Object.fromEntries(items.map((i) => [i.type, i])) as Record<ScreeningType, ScreeningItemResult>;
}

const allComplete = (n: number) => (items: ScreeningItemResult[]) => items.length === n && items.every((i) => i.status === 'complete');

/** The Checkr object our report would serve for this item; it must fit CHECKR.md's schema. */
function asCheckr(item: ScreeningItemResult) {
  const { vendor_item_id: _, type, status, result, completed_at, ...details } = item;
  const screening: Screening = {
    id: `scr_${type}`,
    type,
    status,
    result,
    created_at: '2024-01-01T00:00:00.000Z',
    completed_at,
    cancellation_reason: null,
    details,
  };
  return screeningSchemas[type].parse(screeningResource(screening));
}

async function sandboxData(file = dataFile): Promise<any> {
  return sealer.open(await readFile(file, 'utf8'));
}

describe('screening orders against the sandbox', () => {
  it('answers a new order as Sterling does: pending, with nothing run yet', async () => {
    // A minute-long step, so that nothing can have run by the time it is read, however slow the machine.
    const slow = await startSandbox(0, { file: join(dir, 'sandbox', 'slow.json'), delayMs: 60_000 });
    try {
      const slowClient = new SterlingClient({ baseUrl: `${urlOf(slow)}/sandbox/sterling`, clientId: 'trustwire', clientSecret: 'sandbox' });
      const { screeningId, candidateId } = await slowClient.orderScreening(applicant('Clear', 'fresh'));
      expect(await slowClient.getScreening(screeningId)).toMatchObject({ candidateId, status: 'pending', result: 'pending', items: [] });
    } finally {
      await close(slow);
    }
  });

  it('runs a clear candidate to complete/clear, calling back on each change', async () => {
    const { screeningId } = await client.orderScreening(applicant('Clear', 'clear'));
    const items = await itemsWhen(screeningId, allComplete(5));
    expect(Object.keys(items).sort()).toEqual([...ALL_SCREENINGS].sort());
    for (const item of Object.values(items)) {
      expect(item).toMatchObject({ status: 'complete', result: 'clear', completed_at: expect.stringMatching(/Z$/) });
      expect(item.vendor_item_id).toMatch(/^[0-9a-f-]{36}$/);
      asCheckr(item);
    }
    // Each item takes its own time: the SSN trace (1×) long before the county search (3×).
    expect(Date.parse(items.ssn_trace.completed_at!)).toBeLessThan(Date.parse(items.county_criminal_search.completed_at!));
    expect(items.ssn_trace).toMatchObject({ ssn: 'XXX-XX-6780', no_data: false, death_index: false, issued_year: 1988, issued_state: 'CA' });
    expect(items.county_criminal_search).toMatchObject({ records: [], county: 'San Francisco', state: 'CA' });
    expect(items.national_criminal_search.records).toEqual([]);
    expect(items.sex_offender_search.records).toEqual([]);
    expect(items.motor_vehicle_report).toMatchObject({
      license_number: 'D1234567',
      license_state: 'CA',
      license_status: 'Valid',
      privilege_to_drive: 'valid',
      not_found: false,
      expiration_date: expect.stringMatching(/^\d{4}-04-12$/),
      violations: [],
    });
    expect(await client.getScreening(screeningId)).toMatchObject({ status: 'complete', result: 'clear' });

    await vi.waitFor(() => expect(payloadsOf(screeningId).at(-1)).toMatchObject({ status: 'complete', result: 'Clear' }));
    const payloads = payloadsOf(screeningId);
    expect(payloads.length).toBeGreaterThanOrEqual(3);
    expect(payloads.some((p) => p.reportItems.some((i) => i.status === 'In Progress'))).toBe(true);
    // Callbacks carry the common item fields only, and no item ever goes back a step.
    const order = ['new', 'In Progress', 'complete'];
    for (const [before, after] of payloads.slice(0, -1).map((p, i) => [p, payloads[i + 1]])) {
      for (const item of after.reportItems) {
        const earlier = before.reportItems.find((i) => i.id === item.id);
        if (earlier) expect(order.indexOf(item.status)).toBeGreaterThanOrEqual(order.indexOf(earlier.status));
        expect(Object.keys(item).sort()).toEqual(['id', 'result', 'status', 'type', 'updatedAt']);
      }
    }
    expect(payloads.at(-1)!.reportItems).toHaveLength(5);
  });

  it('finds a county record with charges for the candidate named Consider', async () => {
    const { screeningId } = await client.orderScreening(applicant('consider', 'consider'));
    const items = await itemsWhen(screeningId, allComplete(5));
    expect(items.county_criminal_search.result).toBe('consider');
    for (const type of ALL_SCREENINGS.filter((t) => t !== 'county_criminal_search')) expect(items[type].result).toBe('clear');

    const county = asCheckr(items.county_criminal_search) as { records: any[] };
    expect(county.records).toHaveLength(1);
    const [record] = county.records;
    expect(record).toMatchObject({
      case_number: 'CR-19-004512',
      file_date: '2019-03-18',
      court_of_record: 'Superior Court of California, County of San Francisco',
      arresting_agency: 'San Francisco Police Department',
      full_name: 'Jamie consider',
      dob: '1988-04-12',
      yob: 1988,
      county: 'San Francisco',
      state: 'CA',
      address: { city: 'San Francisco', state: 'CA', zipcode: '94105', country: 'US', unit: null },
    });
    expect(record.charges).toEqual([
      expect.objectContaining({
        charge: 'Petty theft',
        classification: 'Misdemeanor',
        disposition: 'Guilty',
        offense_date: '2019-02-23',
        disposition_date: '2019-06-10',
        conviction_date: '2019-06-10',
        sentence: expect.stringContaining('probation'),
      }),
      expect.objectContaining({
        charge: 'Trespassing',
        disposition: 'Dismissed',
        arrest_date: '2019-02-23',
        conviction_date: null,
        sentence: null,
        assessment: null,
      }),
    ]);
    expect(new Set(record.charges.map((c: { id: string }) => c.id)).size).toBe(2);
    expect(await client.getScreening(screeningId)).toMatchObject({ status: 'complete', result: 'consider' });
    await vi.waitFor(() => expect(payloadsOf(screeningId).at(-1)).toMatchObject({ status: 'complete', result: 'Consider' }));
  });

  it('suspends the Suspended candidate’s county search until the mother’s maiden name arrives', async () => {
    const { screeningId, candidateId } = await client.orderScreening(applicant('Suspended', 'suspended'));
    const suspended = (items: ScreeningItemResult[]) => items.length === 5 && items.some((i) => i.status === 'suspended');
    let items = await itemsWhen(screeningId, (all) => suspended(all) && all.filter((i) => i.status === 'complete').length === 4);
    expect(items.county_criminal_search).toMatchObject({
      status: 'suspended',
      result: null,
      completed_at: null,
      suspension_reason: 'mother_maiden_name_required',
      records: [],
    });
    const { suspension_reason: _, ...rest } = items.county_criminal_search;
    asCheckr(rest as ScreeningItemResult);
    expect(await client.getScreening(screeningId)).toMatchObject({ status: 'suspended' });
    await vi.waitFor(() => expect(payloadsOf(screeningId).at(-1)).toMatchObject({ status: 'suspended' }));

    // Time alone, or another change, does not resume it.
    await client.updateCandidate(candidateId, { email: 'new-address@example.test' }, 'update-suspended-1');
    await new Promise((resolve) => setTimeout(resolve, 3 * DELAY_MS));
    expect((await client.screeningResult(screeningId)).items.find((i) => i.type === 'county_criminal_search')?.status).toBe('suspended');

    await client.updateCandidate(candidateId, { motherMaidenName: 'Rivera' }, 'update-suspended-2');
    items = await itemsWhen(screeningId, allComplete(5));
    expect(items.county_criminal_search).toMatchObject({ status: 'complete', result: 'clear', records: [] });
    expect(items.county_criminal_search).not.toHaveProperty('suspension_reason');
    asCheckr(items.county_criminal_search);
    await vi.waitFor(() => expect(payloadsOf(screeningId).at(-1)).toMatchObject({ status: 'complete', result: 'Clear' }));
    expect((await sandboxData()).candidates[candidateId]).toMatchObject({ motherMaidenName: 'Rivera' });
  });

  it('sends an address as Sterling takes it (region, postalCode), only the fields known', async () => {
    const input = applicant('Clear', 'address');
    const address = { street: '1200 Market St', unit: 'Apt 4', city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' };
    const { candidateId } = await client.orderScreening({ ...input, candidate: { ...input.candidate, address } });
    expect((await sandboxData()).candidates[candidateId].address).toEqual({
      street: '1200 Market St',
      unit: 'Apt 4',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94103',
      country: 'US',
    });
  });

  it('orders once per idempotency key: same screening, one candidate', async () => {
    const input = applicant('Clear', 'idem');
    const first = await client.orderScreening(input);
    const again = await client.orderScreening(input);
    expect(again).toEqual(first);
    const other = await client.orderScreening({ ...input, idempotencyKey: 'order-idem-other' });
    expect(other.screeningId).not.toBe(first.screeningId);

    const data = await sandboxData();
    const candidates = Object.values<any>(data.candidates).filter((c) => c.clientReferenceId === 'rpt_idem');
    expect(candidates).toHaveLength(2);
    expect(Object.values<any>(data.screenings).filter((s) => s.candidateId === first.candidateId)).toHaveLength(1);
    expect(candidates.find((c) => c.id === first.candidateId)).toMatchObject({
      givenName: 'Jamie',
      address: { postalCode: '94105' },
      driverLicense: { number: 'D1234567', state: 'CA' },
    });
    await itemsWhen(first.screeningId, allComplete(5));
  });

  it('orders only the requested items, named in reportItems', async () => {
    const { screeningId } = await client.orderScreening({
      ...applicant('Clear', 'subset'),
      screenings: ['ssn_trace', 'national_criminal_search', 'ssn_trace'],
    });
    const items = await itemsWhen(screeningId, allComplete(2));
    expect(Object.keys(items).sort()).toEqual(['national_criminal_search', 'ssn_trace']);
    expect((await sandboxData()).screenings[screeningId]).toMatchObject({ packageId: 'a-la-carte' });
    await expect(client.orderScreening({ ...applicant('Clear', 'none'), screenings: [] })).rejects.toMatchObject({ code: 'no_screenings' });
  });

  it('gives a monitoring alert a county record with charges', async () => {
    const { candidateId } = await client.enrollMonitoring(person('prov_alert_record'));
    expect((await triggerAlert('prov_alert_record')).status).toBe(202);
    await vi.waitFor(() => expect(callbacks.map(parseCallback)).toContainEqual(expect.objectContaining({ candidateId })));
    const { screeningId } = callbacks.map(parseCallback).find((c) => c?.candidateId === candidateId)!;
    const { items } = await client.screeningResult(screeningId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'county_criminal_search', status: 'complete', result: 'consider' });
    const county = asCheckr(items[0]) as { records: any[] };
    expect(county.records[0]).toMatchObject({
      case_number: expect.stringMatching(/^CR-\d{2}-\d{6}$/),
      full_name: 'Pat Provider',
      file_date: expect.any(String),
    });
    expect(county.records[0].charges.map((c: { charge: string; disposition: string }) => [c.charge, c.disposition])).toEqual([
      ['Driving under the influence', 'Pending'],
      ['Reckless driving', 'Pending'],
    ]);
  });

  it('validates what it is sent', async () => {
    const auth = { authorization: `Bearer ${await bearer()}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${sandboxUrl}${path}`, { method: 'POST', headers: auth, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, code: ((await res.json()) as { errors: { code: string }[] }).errors[0].code };
    };
    const base = { givenName: 'A', familyName: 'B', email: 'a@example.test', clientReferenceId: 'r' };
    expect(await post('/v2/candidates', { ...base, dob: '12/04/1988' })).toEqual({ status: 400, code: '400#dob?format' });
    expect(await post('/v2/candidates', { ...base, ssn: { digits: 1 } })).toEqual({ status: 400, code: '400#ssn?format' });
    expect(await post('/v2/candidates', { ...base, address: 'Main St' })).toEqual({ status: 400, code: '400#address' });
    expect(await post('/v2/candidates', { ...base, driverLicense: { number: 7 } })).toEqual({ status: 400, code: '400#driverLicense.number' });
    expect(await post('/v2/candidates', { ...base, givenName: ['A'] })).toEqual({ status: 400, code: '400#givenName' });
    expect(await post('/v2/candidates', [base])).toEqual({ status: 400, code: '400#body' });
    expect(await post('/v2/candidates', '{"givenName":')).toEqual({ status: 400, code: '400' });

    const { candidateId } = await client.enrollMonitoring(person('prov_validate'));
    const screening = { candidateId, packageId: 'a-la-carte', reportItems: [{ type: 'SSN Trace' }] };
    expect(await post('/v2/screenings', { ...screening, packageId: 'no-such-package' })).toEqual({ status: 400, code: '400#packageId' });
    expect(await post('/v2/screenings', { ...screening, packageId: 'continuous-monitoring' })).toEqual({ status: 400, code: '400#packageId' });
    expect(await post('/v2/screenings', { ...screening, reportItems: 'SSN Trace' })).toEqual({ status: 400, code: '400#reportItems' });
    expect(await post('/v2/screenings', { ...screening, reportItems: [] })).toEqual({ status: 400, code: '400#reportItems' });
    expect(await post('/v2/screenings', { ...screening, reportItems: [{ type: 'SSN Trace' }, { type: 'Drug Test' }] })).toEqual({
      status: 400,
      code: '400#reportItems[1].type',
    });
    expect(await post('/v2/screenings', { ...screening, reportItems: [null] })).toEqual({ status: 400, code: '400#reportItems[0].type' });
    expect(await post('/v2/screenings', { ...screening, callback: { uri: 'ftp://x' } })).toEqual({ status: 400, code: '400#callback.uri' });
    const put = await fetch(`${sandboxUrl}/v2/candidates/${candidateId}`, { method: 'PUT', headers: auth, body: JSON.stringify({ motherMaidenName: 42 }) });
    expect(put.status).toBe(400);
  });

  it('resumes a screening where it was after a restart on the same data file', async () => {
    const { screeningId } = await client.orderScreening(applicant('Consider', 'restart'));
    const port = (sandbox.address() as AddressInfo).port;
    await close(sandbox);
    // A minute-long base delay: only the due times stored at order time can finish it in time.
    sandbox = await startSandbox(port, { delayMs: 60_000 });
    try {
      const items = await itemsWhen(screeningId, allComplete(5));
      expect(items.county_criminal_search.result).toBe('consider');
      await vi.waitFor(() => expect(payloadsOf(screeningId).at(-1)).toMatchObject({ status: 'complete', result: 'Consider' }));
    } finally {
      await close(sandbox);
      sandbox = await startSandbox(port);
    }
  });

  it('runs the work that fell due while it was down as soon as it starts', async () => {
    const { screeningId } = await client.orderScreening(applicant('Clear', 'overdue'));
    // The data file as it was when the order was taken, left alone while its due times pass.
    const frozen = join(dir, 'sandbox', 'frozen.json');
    await copyFile(dataFile, frozen);
    await new Promise((resolve) => setTimeout(resolve, 4 * DELAY_MS));
    expect((await sandboxData(frozen)).screenings[screeningId].status).not.toBe('complete');

    const later = await startSandbox(0, { file: frozen, delayMs: 60_000 });
    try {
      const laterClient = new SterlingClient({ baseUrl: `${urlOf(later)}/sandbox/sterling`, clientId: 'trustwire', clientSecret: 'sandbox' });
      const items = await itemsWhen(screeningId, allComplete(5), laterClient);
      const ids = Object.values(items)
        .map((i) => i.vendor_item_id)
        .sort();
      // Its own run (its own item ids) reached the receiver too.
      await vi.waitFor(() =>
        expect(
          payloadsOf(screeningId).some(
            (p) =>
              p.status === 'complete' &&
              p.reportItems
                .map((i) => i.id)
                .sort()
                .join() === ids.join(),
          ),
        ).toBe(true),
      );
    } finally {
      await close(later);
    }
  });
});

describe('report item mapping', () => {
  const check = (item: ScreeningItemResult | undefined) => {
    expect(item).toBeDefined();
    return asCheckr(item!);
  };

  it.each([null, 'County Criminal', 42, [], {}, { type: 'Drug Test' }, { type: 'constructor' }, { type: ['County Criminal'] }])('skips %j', (raw) => {
    expect(mapReportItem(raw)).toBeUndefined();
  });

  it.each([
    ['COUNTY_CRIMINAL', 'county_criminal_search'],
    ['county criminal search', 'county_criminal_search'],
    ['mvr', 'motor_vehicle_report'],
    ['Motor Vehicle Report', 'motor_vehicle_report'],
    ['sex-offender', 'sex_offender_search'],
    ['ssn_trace', 'ssn_trace'],
    ['National Criminal', 'national_criminal_search'],
  ])('type %s → %s', (vendor, ours) => {
    expect(mapReportItem({ id: 'i', type: vendor })?.type).toBe(ours);
  });

  it('maps statuses and results, never a result before completion', () => {
    const map = (status: unknown, result: unknown, type = 'County Criminal') => {
      const item = mapReportItem({ id: 'i', type, status, result, updatedAt: '2024-05-01T10:00:00+02:00' })!;
      return [item.status, item.result, item.completed_at];
    };
    expect(map('new', 'n/a')).toEqual(['pending', null, null]);
    expect(map('In Progress', 'Clear')).toEqual(['pending', null, null]);
    expect(map('gibberish', 'Consider')).toEqual(['pending', null, null]);
    expect(map('complete', 'Clear')).toEqual(['complete', 'clear', '2024-05-01T08:00:00.000Z']);
    expect(map('COMPLETE', 'Adverse')).toEqual(['complete', 'consider', '2024-05-01T08:00:00.000Z']);
    expect(map('complete', 'no such result')).toEqual(['complete', 'consider', '2024-05-01T08:00:00.000Z']);
    // A finished search without a result goes to a human; a finished pointer search has none.
    expect(map('complete', 'n/a')).toEqual(['complete', 'consider', '2024-05-01T08:00:00.000Z']);
    expect(map('complete', 'n/a', 'SSN Trace')).toEqual(['complete', null, '2024-05-01T08:00:00.000Z']);
    expect(map('suspended', 'n/a')).toEqual(['suspended', null, null]);
    expect(map('Cancelled', 'n/a')).toEqual(['canceled', null, '2024-05-01T08:00:00.000Z']);
    expect(mapReportItem({ type: 'County Criminal', status: 'complete', result: 'clear', updatedAt: 'yesterday' }, 3)).toMatchObject({
      vendor_item_id: 'item-3',
      completed_at: null,
    });
    expect(mapReportItem({ type: 'County Criminal', status: 'suspended', suspensionReason: 'Mother maiden name required' })).toMatchObject({
      suspension_reason: 'mother_maiden_name_required',
    });
    expect(mapReportItem({ type: 'County Criminal', status: 'suspended' })).toMatchObject({ suspension_reason: 'candidate_information_required' });
    const canceled = mapReportItem({ id: 'i', type: 'County Criminal', status: 'canceled', updatedAt: '2024-05-01T10:00:00Z' })!;
    expect(canceled.cancellation_reason).toBe('canceled_by_vendor');
    check(canceled);
  });

  it('fills absent details with null and [] so every type fits its schema', () => {
    for (const type of ['SSN Trace', 'Sex Offender', 'National Criminal', 'County Criminal', 'MVR']) {
      const item = mapReportItem({ id: 'i', type, status: 'complete', result: 'clear', ssn: '123456780' })!;
      const checkr = check(item) as Record<string, unknown>;
      for (const [key, value] of Object.entries(item))
        if (!['vendor_item_id', 'type', 'status', 'result', 'completed_at', 'ssn'].includes(key))
          expect([null, '[]']).toContain(Array.isArray(value) ? JSON.stringify(value) : value);
      expect(checkr.object).toBe(item.type);
    }
  });

  it('keeps what it can of garbage criminal records', () => {
    const item = mapReportItem({
      id: 'item-9',
      type: 'County Criminal',
      status: 'complete',
      result: 'Consider',
      county: { name: 'Cook' },
      state: '  ',
      records: [
        null,
        5,
        {
          id: 'not an id!',
          caseNumber: 12345,
          file_date: '03/18/2019',
          dob: '1988-02-30',
          yob: 'abc',
          address: 'Main St',
          charges: [{}, 'x', { charge: '  ', offenseDate: '2019-13-01', arrestDate: '2019-02-23T08:00:00Z', assessment: 'Eligible', disposition: ['Guilty'] }],
        },
        { yearOfBirth: '1977', address: { line1: '1 Main St', postalCode: 60601, bogus: true }, charges: 'none' },
      ],
    })!;
    const county = check(item) as { county: unknown; state: unknown; records: any[] };
    expect(county).toMatchObject({ county: null, state: null });
    expect(county.records).toHaveLength(2);
    expect(county.records[0]).toMatchObject({ id: 'item-9-r3', case_number: '12345', file_date: '2019-03-18', dob: null, yob: null, address: null });
    expect(county.records[0].charges).toEqual([
      expect.objectContaining({ id: 'item-9-r3-c1', charge: 'Unspecified charge', offense_date: null }),
      expect.objectContaining({
        id: 'item-9-r3-c3',
        charge: 'Unspecified charge',
        offense_date: null,
        arrest_date: '2019-02-23',
        assessment: 'eligible',
        disposition: null,
      }),
    ]);
    expect(county.records[1]).toMatchObject({
      yob: 1977,
      charges: [],
      address: { street: '1 Main St', zipcode: '60601', unit: null, city: null, state: null, country: null },
    });
  });

  it('redacts the SSN and reads flags, years and states defensively', () => {
    const item = mapReportItem({
      id: 'i',
      type: 'SSN Trace',
      status: 'complete',
      result: 'clear',
      ssn: '123-45-6780',
      noData: 'yes',
      deathIndex: 'maybe',
      issuedYear: '1850',
      issuedState: 7,
    })!;
    expect(item).toMatchObject({ ssn: 'XXX-XX-6780', no_data: true, death_index: null, issued_year: null, issued_state: '7' });
    expect(JSON.stringify(item)).not.toContain('123');
    check(item);
    expect(mapReportItem({ id: 'i', type: 'SSN Trace', ssn: 'XXX-XX-1234' })).toMatchObject({ ssn: 'XXX-XX-1234' });
    expect(mapReportItem({ id: 'i', type: 'SSN Trace', ssn: { v: 1 } })).toMatchObject({ ssn: null });
  });

  it('maps sex offender records and MVR fields from garbage', () => {
    const sex = mapReportItem({
      id: 's',
      type: 'Sex Offender',
      status: 'complete',
      result: 'consider',
      records: [
        { state: 'TX', age: -4, registrationStart: '2001-01-01' },
        { registry: 'Federal', age: '52' },
      ],
    })!;
    expect((check(sex) as { records: unknown[] }).records).toEqual([
      {
        id: 's-r1',
        registry: 'TX Sex Offender Registry',
        full_name: null,
        age: null,
        dob: null,
        registration_start: '2001-01-01',
        registration_end: null,
        state: 'TX',
      },
      { id: 's-r2', registry: 'Federal', full_name: null, age: 52, dob: null, registration_start: null, registration_end: null, state: null },
    ]);

    const mvr = mapReportItem({
      id: 'm',
      type: 'MVR',
      status: 'complete',
      result: 'consider',
      privilegeToDrive: 'VALID',
      expirationDate: 'soon',
      restrictions: [{}, '', 5, 'B', null],
      violations: [
        { points: -3, issuedDate: 'x' },
        'Speeding',
        { type: 'DUI', points: '6', issued_date: '2022-07-04', description: 'Driving under the influence' },
        3,
      ],
      accidents: [{ atFault: true, when: { onDate: '2020-01-01' }, fn: 'x' }],
      suspensions: 'none',
    })!;
    expect(check(mvr)).toMatchObject({
      privilege_to_drive: 'valid',
      expiration_date: null,
      restrictions: [{}, '5', 'B'],
      violations: [
        { type: 'Unspecified violation', issued_date: null, description: null, points: null },
        { type: 'Speeding', issued_date: null, description: null, points: null },
        { type: 'DUI', issued_date: '2022-07-04', description: 'Driving under the influence', points: 6 },
        { type: '3', issued_date: null, description: null, points: null },
      ],
      accidents: [{ at_fault: true, when: { on_date: '2020-01-01' }, fn: 'x' }],
      suspensions: [],
    });
    expect(mapReportItem({ id: 'm', type: 'MVR', privilegeToDrive: 'sometimes' })).toMatchObject({ privilege_to_drive: null });
  });
});

describe('Sterling sandbox as a sandbox (issue 17)', () => {
  // Finding 1: candidates' SSN, date of birth, name and email were written in clear to the data file.
  it('keeps no personal data in clear in its data file', async () => {
    const order = applicant('Sealedfamily', 'sealed');
    await client.orderScreening(order);
    const raw = await readFile(dataFile, 'utf8');
    for (const value of [order.candidate.ssn, order.candidate.dob, order.candidate.givenName, 'Sealedfamily', order.candidate.email])
      expect(raw).not.toContain(value);
  });

  // Finding 2: any credentials got a token, and any URL was called back, redirects followed.
  it('takes only its registered credentials and calls back only registered URLs, never following a redirect', async () => {
    const token = (credentials: string) =>
      fetch(`${sandboxUrl}/oauth`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
    expect((await token('trustwire:wrong')).status).toBe(401);
    expect((await token('someone:sandbox')).status).toBe(401);
    expect((await token('trustwire:sandbox')).status).toBe(200);

    const { candidateId } = await client.enrollMonitoring(person('prov_callbacks'));
    const auth = { authorization: `Bearer ${await bearer()}`, 'content-type': 'application/json' };
    const order = (uri: string) =>
      fetch(`${sandboxUrl}/v2/screenings`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ candidateId, packageId: 'a-la-carte', reportItems: [{ type: 'SSN Trace' }], callback: { uri } }),
      });
    for (const uri of [`${sandboxUrl}/v2/packages`, 'http://169.254.169.254/latest/meta-data', `${receiverUrl}/landing`]) {
      const refused = await order(uri);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ errors: [{ code: '400#callback.uri' }] });
    }
    expect((await order(`${receiverUrl}/hooks/sterling/redirect-away`)).status).toBe(201);
    // Every change of the screening is called back: several answered with a redirect, none followed.
    await vi.waitFor(() => expect(redirected).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
    expect(landed).toBe(0);
  });
});
