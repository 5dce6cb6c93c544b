import { type Request, Router } from 'express';
import type { SeekerContext } from '../../machines/seeker.ts';
import { loadVisible } from '../api/access.ts';
import { DomainError, forbidden, notFound } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { type VeriffClient, VeriffError } from '../vendors/veriff/adapter.ts';

/**
 * What a reviewer deciding a manual review (I8) looks at: Veriff's decision on the seeker's latest
 * document check, with what Veriff read from the document, and the photos. Read from Veriff each
 * time (Veriff keeps them; trustwire stores none of it), for reviewers and the integrator only:
 * agents see legal information masked, and a document photo cannot be.
 */
export function identityDocumentsRouter(host: ActorHost, veriff: VeriffClient) {
  const router = Router();

  const sessionOf = async (req: Request<{ id: string }>) => {
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    if (req.caller.role !== 'reviewer' && req.caller.role !== 'integrator') throw forbidden('Identity documents are for reviewers.');
    const session = (seeker.snapshot.context as SeekerContext).idv.veriff_session_id;
    if (!session) throw new DomainError('not_found', 'This seeker has no document check with Veriff.');
    return { seekerId: seeker.actor.id, session };
  };

  router.get('/seekers/:id/identity_documents', async (req, res) => {
    const { seekerId, session } = await sessionOf(req);
    const [decision, images] = await fromVeriff(() => Promise.all([veriff.decision(session), veriff.media(session)]));
    res.json({
      object: 'identity_documents',
      vendor: 'veriff',
      session_id: session,
      decision: decision && {
        status: decision.status,
        code: decision.code,
        reason: decision.reason,
        reason_code: decision.reasonCode,
        decided_at: decision.decisionTime,
        person: decision.person && { first_name: decision.person.firstName, last_name: decision.person.lastName, dob: decision.person.dateOfBirth },
        document: decision.document && {
          type: decision.document.type,
          number: decision.document.number,
          country: decision.document.country,
          valid_until: decision.document.validUntil,
        },
      },
      images: images.map((image) => ({
        id: image.id,
        context: image.context,
        taken_at: image.timestamp,
        url: `/v1/seekers/${seekerId}/identity_documents/${encodeURIComponent(image.id)}`,
      })),
    });
  });

  router.get('/seekers/:id/identity_documents/:image', async (req, res) => {
    const { session } = await sessionOf(req);
    // Only an image of this seeker's session: an id from elsewhere is no image of theirs.
    const image = await fromVeriff(async () =>
      (await veriff.media(session)).some((i) => i.id === req.params.image) ? veriff.mediaContent(req.params.image) : undefined,
    );
    if (!image) throw notFound('image');
    res.set({ 'cache-control': 'no-store', 'content-disposition': 'inline' }).type(image.type).send(image.content);
  });

  return router;
}

/** Veriff's refusals and outages as the API's errors: a session Veriff no longer holds is a 404. */
async function fromVeriff<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof VeriffError)) throw error;
    if (error.status === 404) throw new DomainError('not_found', 'Veriff no longer holds this document check.');
    throw new DomainError('vendor_unavailable', 'Veriff could not be reached for the documents; try again in a moment.');
  }
}
