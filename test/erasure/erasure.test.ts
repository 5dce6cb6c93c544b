import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../server/audit/verify.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { FULL_CANDIDATE } from '../helpers/checks.ts';
import { importedVerification } from '../helpers/imported.ts';
import { eventually } from '../helpers/link-flow.ts';
import { testStoreEnv } from '../helpers/postgres.ts';
import { readableStore } from '../helpers/readable.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Erasure by crypto-shredding (issue 16). The attacker here holds DATA_KEY and a copy of the
 * whole store (test/helpers/readable.ts). Before erasure they read the subject's name, email,
 * phone, SSN and date of birth; afterwards nothing of the erased subjects, and everything of the others.
 */

interface Person {
  name: string;
  email: string;
  phone?: string;
  dob: string;
  ssn?: string;
}
const traces = (p: Person) => [p.name, p.email, p.phone, p.dob, p.ssn].filter((v): v is string => v !== undefined).map((v) => v.toLowerCase());
const unique = () => crypto.randomUUID().slice(0, 8);
const digit = () => Math.floor(Math.random() * 9) + 1;
/** A date of birth of its own (years 1951 to 1999). */
const birthday = () => `19${5 + Math.floor(Math.random() * 5)}${digit()}-0${digit()}-1${digit()}`;

describe('erasure by crypto-shredding', { timeout: 120_000 }, () => {
  let t: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = await testStoreEnv();
    t = await startTestServer({ ...env, AUDIT_CHECKPOINT_MS: '200' });
  });
  afterAll(() => t?.close());

  /** A verified Complete-plan seeker with a legal name, date of birth and phone of its own. */
  async function seeker(): Promise<Person & { id: string }> {
    const n = unique();
    const legal = importedVerification(`Quillon${n}`, `Marsh${n}`);
    const p = { name: `Quillon${n}`, email: `quillon-${n}@example.com`, dob: birthday(), phone: legal.legal.phone };
    const res = await t.api('POST', '/v1/seekers', {
      email: p.email,
      plan: 'complete',
      first_name: p.name,
      last_name: `Marsh${n}`,
      ...legal,
      legal: { ...legal.legal, dob: p.dob },
    });
    expect(res.status).toBe(201);
    expect((await command(t, res.body.id, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(200);
    return { ...p, id: res.body.id };
  }

  /** A candidate with an SSN and date of birth, invited by email (a kept mail, an invitation actor). */
  async function candidate(): Promise<Person & { id: string }> {
    const n = unique();
    const ssn = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    // Kept as digits: the SSN searched for is the stored form.
    const p = { name: `Ysolde${n}`, email: `ysolde-${n}@example.com`, dob: birthday(), ssn: `5${ssn}` };
    const res = await t.api('POST', '/v1/candidates', {
      ...FULL_CANDIDATE,
      email: p.email,
      first_name: p.name,
      dob: p.dob,
      ssn: `5${ssn.slice(0, 2)}-${ssn.slice(2, 4)}-${ssn.slice(4)}`,
    });
    expect(res.status).toBe(201);
    expect((await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: res.body.id })).status).toBe(201);
    return { ...p, id: res.body.id };
  }

  const everything = () => readableStore(t.dataDir, new Sealer(t.dataKey), env.DATABASE_URL);

  it('makes an erased seeker and candidate unreadable everywhere, leaves the others, and the audit chain verifies', async () => {
    const [gone, kept] = [await seeker(), await seeker()];
    const [goneCandidate, keptCandidate] = [await candidate(), await candidate()];
    const mails = join(t.dataDir, 'mail');
    await eventually(
      async () => (await readdir(mails).catch(() => [])).length,
      (n) => n >= 2,
    );

    const before = await everything();
    for (const p of [gone, kept, goneCandidate, keptCandidate])
      for (const trace of traces(p)) expect(before.includes(trace), `readable before: ${trace}`).toBe(true);

    const reviewer = await t.session('reviewer_rhea', 'reviewer');
    const erased = await t.api('POST', `/v1/seekers/${gone.id}/erase`, {}, { token: reviewer });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id: gone.id, object: 'erasure', kind: 'seeker', erased_by: 'reviewer:reviewer_rhea' });
    expect((await t.api('POST', `/v1/candidates/${goneCandidate.id}/erase`, {})).status).toBe(200);

    const after = await everything();
    for (const p of [gone, goneCandidate]) for (const trace of traces(p)) expect(after.includes(trace), `readable after erasure: ${trace}`).toBe(false);
    for (const p of [kept, keptCandidate]) for (const trace of traces(p)) expect(after.includes(trace), `another subject's data: ${trace}`).toBe(true);

    const verified = await verifyStore(t.server.store);
    expect(verified.invalid).toEqual([]);
    expect(verified.checkpoint_problems).toEqual([]);
    const history = await t.api('GET', `/v1/actors/${gone.id}/history?verify=true`, undefined, { token: reviewer });
    expect(history.status).toBe(200);
    expect(history.body.verification).toMatchObject({ valid: true, first_invalid: null });
  });

  it('an erased subject can be neither read nor commanded (410 erased, saying when and by whom to staff); lists and search leave it out', async () => {
    const [gone, kept] = [await seeker(), await seeker()];
    const goneCandidate = await candidate();
    const agent = await t.session('agent_ann', 'agent');
    expect((await t.api('POST', `/v1/seekers/${gone.id}/erase`, {}, { token: agent })).status, 'agents may not erase').toBe(403);
    expect((await t.api('POST', `/v1/seekers/${gone.id}/erase`, {}, { token: await t.session(gone.id, 'seeker') })).status, 'nor members').toBe(403);
    expect((await t.api('POST', `/v1/providers/${gone.id}/erase`, {})).status, 'a seeker is not a provider').toBe(404);

    const erased = await t.api('POST', `/v1/seekers/${gone.id}/erase`, {});
    expect(erased.status).toBe(200);
    expect(erased.body.erased_by).toBe('integrator');
    expect((await t.api('POST', `/v1/candidates/${goneCandidate.id}/erase`, {})).status).toBe(200);
    const provider = await t.api('POST', '/v1/providers', { email: `pat-${unique()}@example.com`, first_name: 'Pat', last_name: 'Provider' });
    expect((await t.api('POST', `/v1/providers/${provider.body.id}/erase`, {})).status).toBe(200);
    expect((await t.api('GET', `/v1/providers/${provider.body.id}`)).status, 'the directory profile').toBe(410);

    const read = await t.api('GET', `/v1/actors/${gone.id}`, undefined, { token: agent });
    expect(read.status).toBe(410);
    expect(read.body.code).toBe('erased');
    expect(read.body.details).toMatchObject({ erased_at: erased.body.erased_at, erased_by: 'integrator' });
    expect((await t.api('GET', `/v1/candidates/${goneCandidate.id}`)).status).toBe(410);
    expect((await command(t, gone.id, { type: 'CHANGE_PLAN', plan: 'legacy' })).status).toBe(410);
    expect((await t.api('POST', `/v1/seekers/${gone.id}/erase`, {})).status, 'erasing twice').toBe(410);
    expect((await command(t, kept.id, { type: 'CHANGE_PLAN', plan: 'legacy' })).status, 'others are untouched').toBe(200);

    const listed = await t.api('GET', '/v1/actors?kind=seeker&per_page=100');
    expect(listed.body.data.map((a: { id: string }) => a.id)).not.toContain(gone.id);
    expect(listed.body.data.map((a: { id: string }) => a.id)).toContain(kept.id);
    const searched = await t.api('GET', `/v1/members?q=${encodeURIComponent(gone.email)}`, undefined, { token: agent });
    expect(searched.body.data).toEqual([]);
    const other = await t.api('GET', `/v1/members?q=${encodeURIComponent(kept.email)}`, undefined, { token: agent });
    expect(other.body.data.map((m: { id: string }) => m.id)).toEqual([kept.id]);
  });

  it('exports everything held about a subject as one document (integrator, reviewer), and nothing once erased', async () => {
    const person = await seeker();
    const reviewer = await t.session('reviewer_rhea', 'reviewer');
    const { status, body } = await t.api('GET', `/v1/seekers/${person.id}/export`, undefined, { token: reviewer });
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'subject_export', id: person.id, kind: 'seeker' });
    const text = JSON.stringify(body).toLowerCase();
    for (const trace of traces(person)) expect(text.includes(trace), `the export holds ${trace}`).toBe(true);
    expect(body.subject.history.map((e: { event: { type: string } }) => e.event.type)).toEqual(['CREATED', 'CHANGE_PLAN']);
    expect(body.screening_attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['imported']);

    const c = await candidate();
    const exported = await t.api('GET', `/v1/candidates/${c.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.subject.data).toMatchObject({ email: c.email, ssn: c.ssn, dob: c.dob });
    expect(exported.body.related.map((a: { kind: string }) => a.kind)).toEqual(['invitation']);
    expect(exported.body.messages.map((m: { channel: string }) => m.channel)).toEqual(['email']);

    expect((await t.api('GET', `/v1/seekers/${person.id}/export`, undefined, { token: await t.session('agent_ann', 'agent') })).status).toBe(403);
    expect((await t.api('GET', `/v1/providers/${person.id}/export`)).status).toBe(404);
    expect((await t.api('POST', `/v1/seekers/${person.id}/erase`, {})).status).toBe(200);
    expect((await t.api('GET', `/v1/seekers/${person.id}/export`)).status).toBe(410);
  });
});
