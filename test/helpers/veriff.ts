import { expect } from 'vitest';
import { createSeeker, eventually, getActor, ok } from './link-flow.ts';
import type { TestServer } from './server.ts';

/** A PNG's signature: what the tests upload as a photo (the sandbox checks only that it is base64). */
export const PHOTO = Buffer.from('89504e470d0a1a0a', 'hex');

/** Submits a Veriff sandbox session as its hosted page would: a document photo, a selfie, then `submitted`. */
export async function submitVeriffSession(url: string, sessionId: string, photo: Buffer = PHOTO): Promise<void> {
  const base = `${url}/sandbox/veriff/v1/sessions/${sessionId}`;
  for (const context of ['document-front', 'face']) {
    const media = await fetch(`${base}/media`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-client': 'trustwire-sandbox' },
      body: JSON.stringify({ image: { context, content: photo.toString('base64') } }),
    });
    expect(media.status, await media.clone().text()).toBe(200);
  }
  const submitted = await fetch(base, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verification: { status: 'submitted' } }),
  });
  expect(submitted.status).toBe(200);
}

let serial = 0;

/**
 * A starter seeker whom Prove cannot verify (phone ending 99) and whose Veriff decision is `review`
 * (I5, I8), or whichever legal last name the sandbox reads (`Declined`: declined, a case too).
 */
export async function seekerThroughVeriff(t: TestServer, firstName: string, { photo = PHOTO as Buffer, lastName = 'Review' } = {}) {
  const id = await createSeeker(t, 'starter', firstName);
  const n = `${String(Date.now() % 1e5).padStart(5, '0')}${++serial}`;
  const legal = {
    legal_first_name: `${firstName}${n}`,
    legal_last_name: lastName,
    dob: '1986-02-11',
    address: '4 Quay Street, Portland, ME 04101',
    phone: `+1 415 ${n.slice(0, 5)}99`,
  };
  await ok(t, id, { type: 'START_VERIFICATION' });
  await ok(t, id, { type: 'SUBMIT_LEGAL_INFO', ...legal });
  const capture = await eventually(
    () => getActor(t, id),
    (v) => v.data.idv.step === 'veriff_capture',
  );
  await submitVeriffSession(t.url, capture.data.idv.veriff_session_id, photo);
  await eventually(
    () => getActor(t, id),
    (v) => v.data.idv_status === (lastName === 'Declined' ? 'failed' : 'manual_review'),
  );
  return { id, legal };
}
