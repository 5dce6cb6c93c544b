import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Finding 12 of issue 17: an agent's member search matched on the legal name and phones that
 * agents see masked (an oracle for masked data), and agents saw a candidate's date of birth and
 * phone in full while a seeker's are masked for them.
 */
describe('masking parity for agents', () => {
  let t: TestServer;
  let agent: string;
  let reviewer: string;
  beforeAll(async () => {
    t = await startTestServer();
    [agent, reviewer] = await Promise.all([t.session('agent_mask', 'agent'), t.session('reviewer_mask', 'reviewer')]);
  });
  afterAll(() => t.close());

  const search = async (q: string, token: string) =>
    (await t.api('GET', `/v1/members?q=${encodeURIComponent(q)}`, undefined, { token })).body.data.map((m: { id: string }) => m.id);

  it('an agent never finds a member by what agents see masked', async () => {
    const n = String(Date.now()).slice(-7);
    const seeker = await t.api('POST', '/v1/seekers', {
      email: `mask-${n}@example.com`,
      plan: 'starter',
      first_name: 'Robin',
      last_name: 'Account',
      phone: `+1 212 ${n}`,
    });
    const id = seeker.body.id as string;
    const token = await t.session(id, 'seeker');
    expect((await command(t, id, { type: 'START_VERIFICATION' }, token)).status).toBe(200);
    const legal = {
      legal_first_name: 'Oriel',
      legal_last_name: `Legalname${n}`,
      dob: '1984-06-30',
      address: '12 Harbor Road, Portland, ME 04101',
      phone: `+1 415 ${n}01`,
    };
    expect((await command(t, id, { type: 'SUBMIT_LEGAL_INFO', ...legal }, token)).status).toBe(200);

    const view = (await t.api('GET', `/v1/actors/${id}`, undefined, { token: agent })).body.data;
    expect(view.legal_info.legal_last_name).not.toContain('Legalname');
    expect(view.phone).not.toContain(n);
    for (const q of [`Legalname${n}`, `Oriel Legalname${n}`, `212 ${n}`, `415 ${n}01`]) expect(await search(q, agent), q).toEqual([]);
    // What agents see in clear still finds the member; reviewers, who see all of it, find them by any of it.
    expect(await search(`mask-${n}`, agent)).toEqual([id]);
    expect(await search(`Robin Account`, agent)).toContain(id);
    for (const q of [`Legalname${n}`, `415 ${n}01`, `212 ${n}`]) expect(await search(q, reviewer), q).toEqual([id]);
  });

  it('agents see a candidate’s personal data masked as they see a seeker’s', async () => {
    const fields = {
      email: `cand-${crypto.randomUUID().slice(0, 8)}@example.com`,
      first_name: 'Casey',
      last_name: 'Candidate',
      dob: '1990-05-17',
      phone: '+1 650 555 0142',
      mother_maiden_name: 'Maidenly',
      driver_license_number: 'F2233445',
      driver_license_state: 'CA',
    };
    const candidate = await t.api('POST', '/v1/candidates', fields);
    expect(candidate.status).toBe(201);
    const seen = (await t.api('GET', `/v1/candidates/${candidate.body.id}`, undefined, { token: agent })).body;
    expect(seen).toMatchObject({
      dob: '1990-••-••',
      phone: expect.stringMatching(/^•+42$/),
      mother_maiden_name: expect.stringMatching(/^•+ly$/),
      driver_license_number: expect.stringMatching(/^•+45$/),
    });
    const listed = (await t.api('GET', `/v1/candidates?email=${encodeURIComponent(fields.email)}`, undefined, { token: agent })).body.data[0];
    expect(listed).toMatchObject({ dob: '1990-••-••' });
    // The integrator and reviewers keep the full record.
    expect((await t.api('GET', `/v1/candidates/${candidate.body.id}`)).body).toMatchObject({ dob: fields.dob, phone: fields.phone });
    expect((await t.api('GET', `/v1/candidates/${candidate.body.id}`, undefined, { token: reviewer })).body).toMatchObject({ dob: fields.dob });
  });
});
