import { Router } from 'express';
import type { Auth } from '../api/auth.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { statusLinkRouter } from './candidate-status-router.ts';
import { candidatesRouter } from './candidates-router.ts';
import type { Estimator } from './eta.ts';
import { type InvitationSettings, invitationsRouter } from './invitations-router.ts';
import { PackageCatalog } from './package-catalog.ts';
import { packagesRouter } from './packages-router.ts';
import { reportsRouter } from './reports-router.ts';
import type { StatusLinks } from './status-links.ts';

export interface ChecksSettings extends InvitationSettings {
  adverseWaitMs: number;
  startedAt: string;
  estimate: Estimator;
}

/** The Checkr-shaped resources under /v1 (API.md "Background checks"). */
export function checksRouter(host: ActorHost, store: Store, auth: Auth, settings: ChecksSettings, statusLinks: StatusLinks) {
  const catalog = new PackageCatalog(store, settings.packages, settings.startedAt);
  return Router()
    .use(candidatesRouter(host, store))
    .use(statusLinkRouter(host, statusLinks))
    .use(invitationsRouter(host, store, auth, catalog, settings))
    .use(reportsRouter(host, catalog, settings, statusLinks))
    .use(packagesRouter(host, catalog));
}
