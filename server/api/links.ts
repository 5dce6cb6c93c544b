import { Router } from 'express';
import { z } from 'zod';
import { ENDED_STATUSES, type LinkInput } from '../../machines/link.ts';
import { IDV_CLEARED, idvStatus, MONITORING_LIMIT, type SeekerContext } from '../../machines/seeker.ts';
import { DomainError, forbidden, notFound, refused } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import type { Store } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { displayName } from './display-name.ts';
import { parse } from './errors.ts';
import { cbgcEnabled } from './rollout.ts';

export const linkBody = z.object({ seeker_id: z.string().min(1).max(64), provider_id: z.string().min(1).max(64) }).strict();

const ENDED = new Set<string>(ENDED_STATUSES);

export interface Rollout {
  percentage: number;
  allowlist: string[];
}

/** `POST /v1/links`: a seeker starts a monitoring request from a provider's profile (C1–C2). */
export function linksRouter(host: ActorHost, store: Store, rollout: Rollout) {
  const router = Router();
  router.post('/links', async (req, res) => {
    const body = parse(linkBody, req.body, 'link');
    const seeker = await loadVisible(host, req.caller, body.seeker_id, 'seeker');
    const provider = await host.load(body.provider_id);
    if (provider?.kind.kind !== 'provider') throw notFound('provider');
    if (req.caller.role !== 'seeker' && req.caller.role !== 'integrator') {
      throw forbidden('Only the seeker may ask to monitor a provider (R2).');
    }
    if (seeker.actor.status !== 'active' || provider.actor.status !== 'active') {
      throw new DomainError('invalid_transition', 'Both accounts must be active to start monitoring.');
    }
    const context = seeker.snapshot.context as SeekerContext;
    if (context.plan !== 'complete') throw refused('plan_not_eligible');
    if (!cbgcEnabled(seeker.actor.id, rollout.percentage, rollout.allowlist)) throw refused('feature_not_enabled');
    const idv = idvStatus(seeker.snapshot);
    if (!(IDV_CLEARED as readonly string[]).includes(idv)) throw refused('identity_verification_required', { idv_status: idv });
    if (context.monitoring_links.length >= MONITORING_LIMIT) throw refused('monitoring_limit_reached', { links: context.monitoring_links });
    const open = await openLinkBetween(host, store, seeker.actor.id, provider.actor.id);
    if (open) throw new DomainError('link_exists', 'There already is an open request for this provider.', { link: open });
    const input: LinkInput = {
      seeker_id: seeker.actor.id,
      provider_id: provider.actor.id,
      seeker_name: displayName(seeker),
      provider_name: displayName(provider),
      hire_confirmed: context.hired_providers.includes(provider.actor.id),
      idme_verified: context.idme_verified,
    };
    const by = req.caller.role === 'integrator' ? { role: 'integrator', on_behalf_of: seeker.actor.id } : { role: 'seeker', subject: seeker.actor.id };
    const created = await host.create('link', input, by);
    res.status(201).json(actorView(created, req.caller, host.now()));
  });
  return router;
}

async function openLinkBetween(host: ActorHost, store: Store, seekerId: string, providerId: string): Promise<string | undefined> {
  for (let offset = 0; ; offset += 100) {
    const page = await store.listActors({ kind: 'link', member: seekerId, offset, limit: 100 });
    for (const link of page.data) {
      if (ENDED.has(link.status)) continue;
      const loaded = await host.load(link.id);
      if (loaded?.snapshot.context.provider_id === providerId) return link.id;
    }
    if (offset + 100 >= page.count) return undefined;
  }
}
