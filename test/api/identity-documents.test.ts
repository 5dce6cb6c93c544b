import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeeker } from '../helpers/link-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { PHOTO, seekerThroughVeriff } from '../helpers/veriff.ts';

/**
 * I8 at the reviewer's desk: Veriff's decision on a seeker's document check, what Veriff read from
 * the document, and the photos, read through trustwire from Veriff (here its sandbox).
 */
describe('identity documents of a manual review', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SANDBOX_VERIFF_DELAY_MS: '50' });
  });
  afterAll(() => t?.close());

  /** GETs a path with a session token and answers status, type and the raw bytes (an image is no JSON). */
  const raw = async (path: string, token: string) => {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it('a reviewer reads the decision with what Veriff read from the document, and each photo', async () => {
    const { id, legal } = await seekerThroughVeriff(t, 'Dora');
    const reviewer = await t.session('reviewer_1', 'reviewer');
    const { status, body } = await t.api('GET', `/v1/seekers/${id}/identity_documents`, undefined, { token: reviewer });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      object: 'identity_documents',
      vendor: 'veriff',
      decision: {
        status: 'review',
        code: 9121,
        reason: null,
        reason_code: null,
        person: { first_name: legal.legal_first_name, last_name: 'Review', dob: legal.dob },
        document: { type: 'DRIVERS_LICENSE', country: 'US' },
      },
    });
    expect(body.images.map((i: any) => i.context).sort()).toEqual(['document-front', 'face']);

    for (const image of body.images) {
      const photo = await raw(image.url, reviewer);
      expect(photo).toMatchObject({ status: 200, type: 'image/png', cache: 'no-store' });
      expect(photo.bytes.equals(PHOTO)).toBe(true);
    }
  });

  it('is for reviewers and the integrator: agents and the seeker are refused, other members do not know of it', async () => {
    const { id } = await seekerThroughVeriff(t, 'Ezra');
    const path = `/v1/seekers/${id}/identity_documents`;
    expect((await t.api('GET', path)).status).toBe(200);
    expect((await t.api('GET', path, undefined, { token: await t.session('agent_1', 'agent') })).body.code).toBe('forbidden');
    expect((await t.api('GET', path, undefined, { token: await t.session(id, 'seeker') })).status).toBe(403);
    const stranger = await createSeeker(t, 'starter', 'Stranger');
    expect((await t.api('GET', path, undefined, { token: await t.session(stranger, 'seeker') })).status).toBe(404);
    const { body } = await t.api('GET', path);
    const agentPhoto = await raw(body.images[0].url, await t.session('agent_1', 'agent'));
    expect(agentPhoto.status).toBe(403);
    expect(agentPhoto.bytes.includes(PHOTO)).toBe(false);
  });

  it('404 without a document check, and for a photo of another seeker’s check', async () => {
    const reviewer = await t.session('reviewer_1', 'reviewer');
    const none = await createSeeker(t, 'starter', 'Nobody');
    const answer = await t.api('GET', `/v1/seekers/${none}/identity_documents`, undefined, { token: reviewer });
    expect(answer).toMatchObject({ status: 404, body: { code: 'not_found', error: 'This seeker has no document check with Veriff.' } });

    const [a, b] = [await seekerThroughVeriff(t, 'Ada'), await seekerThroughVeriff(t, 'Bo')];
    const photoOfB = (await t.api('GET', `/v1/seekers/${b.id}/identity_documents`)).body.images[0].id;
    const crossed = await raw(`/v1/seekers/${a.id}/identity_documents/${photoOfB}`, reviewer);
    expect(crossed.status).toBe(404);
    expect(crossed.bytes.includes(PHOTO)).toBe(false);
  });
});
