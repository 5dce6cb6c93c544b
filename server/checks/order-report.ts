import type { OrderReport } from '../../machines/effects.ts';
import type { Deliver } from '../effects/outbox.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Estimator } from './eta.ts';
import type { Package } from './packages.ts';
import { createReport } from './report-factory.ts';

/** A completed invitation's report (B2), created from the outbox: once, whatever the retries. */
export const deliverReportOrder =
  (host: ActorHost, packages: Package[], estimate: Estimator): Deliver =>
  async (_entry, order: Omit<OrderReport, 'type'>) => {
    const pkg = packages.find((p) => p.slug === order.package);
    if (!pkg) throw new Error(`package ${order.package} is no longer configured`);
    await createReport(host, { id: order.report_id, candidate_id: order.candidate_id, package: pkg.slug, screenings: pkg.screenings, source: 'form', tags: order.tags, consent: order.consent, eta: estimate(pkg.screenings, host.now()) });
  };
