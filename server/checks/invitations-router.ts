import { Router } from 'express';
import { z } from 'zod';
import { type InvitationContext, invitation as invitationKind } from '../../machines/invitation.ts';
import type { Auth } from '../api/auth.ts';
import { parse } from '../api/errors.ts';
import { envelope, pageOf } from '../api/list.ts';
import { iso } from '../runtime/clock.ts';
import { type ActorHost, newActorId } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { loadOf, mayRead, mayWrite, missing } from './access.ts';
import { invitationExpiry } from './expiry.ts';
import { orderBody, present } from './inputs.ts';
import { allOf } from './listing.ts';
import type { PackageCatalog } from './package-catalog.ts';
import type { Package } from './packages.ts';
import { invitationResource } from './resources.ts';

export const createBody = orderBody;
export const listQuery = z.object({ candidate_id: z.string().max(64).optional(), status: z.enum(['pending', 'completed', 'expired']).optional() });

export interface InvitationSettings {
  packages: Package[];
  /** Where candidates reach this server (the hosted form's links). */
  publicUrl: string;
  expiryMs: number;
}

/** `/v1/invitations` (CHECKR.md "Invitations", SPEC.md B1, B3). */
export function invitationsRouter(host: ActorHost, store: Store, auth: Auth, catalog: PackageCatalog, settings: InvitationSettings) {
  const router = Router();
  const by = { role: 'integrator' };

  router.post('/invitations', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(createBody, present(req.body), 'invitation');
    await catalog.find(body.package);
    const candidate = await loadOf(host, body.candidate_id, 'candidate', 'Candidate not found');
    const id = newActorId(invitationKind);
    const expires = invitationExpiry(Date.parse(host.now()), settings.expiryMs);
    // The link carries a signed token: invitation ids alone would let anyone open a candidate's form.
    const token = auth.signed({ invitation: id }, expires);
    const created = await host.create(
      'invitation',
      {
        candidate_id: candidate.actor.id,
        package: body.package,
        tags: body.tags ?? [],
        invitation_url: `${settings.publicUrl}/apply/${id}?t=${token}`,
        expires_at: iso(expires),
      },
      by,
      id,
    );
    res.status(201).json(invitationResource(created));
  });

  router.get('/invitations', async (req, res) => {
    mayRead(req.caller);
    const q = parse(listQuery, req.query, 'query');
    const page = pageOf(req, 'checkr');
    const matches = (await allOf(host, store, 'invitation')).filter((l) => {
      const view = invitationResource(l);
      return !view.deleted_at && (!q.candidate_id || view.candidate_id === q.candidate_id) && (!q.status || view.status === q.status);
    });
    res.json(envelope(req, matches.slice(page.offset, page.offset + page.per_page).map(invitationResource), matches.length, page));
  });

  router.get('/invitations/:id', async (req, res) => {
    mayRead(req.caller);
    const loaded = await loadOf(host, req.params.id, 'invitation');
    const deleted = (loaded.snapshot.context as InvitationContext).deleted_at;
    if (deleted && req.query.include_deleted !== 'true') throw missing();
    res.json(invitationResource(loaded));
  });

  router.delete('/invitations/:id', async (req, res) => {
    mayWrite(req.caller);
    const loaded = await loadOf(host, req.params.id, 'invitation');
    res.json(invitationResource(await host.send(loaded.actor.id, { type: 'DELETE' }, by)));
  });

  return router;
}
