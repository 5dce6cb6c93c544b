import type { OrderReport } from '../../machines/effects.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import type { Estimator } from './eta.ts';
import type { Package } from './packages.ts';
import { createReport } from './report-factory.ts';

/** A completed invitation's report (B2), created from the outbox: once, whatever the retries. */
export function reportOrders(packages: Package[], estimate: Estimator): EffectModule<'order_report'> {
  const delivery: Delivery<Omit<OrderReport, 'type'>> = {
    kind: 'order_report',
    retry: { attempts: 8 },
    ordered: false,
    deliver: async (_entry, order, { host }) => {
      const pkg = packages.find((p) => p.slug === order.package);
      if (!pkg) throw new Error(`package ${order.package} is no longer configured`);
      const eta = estimate(pkg.screenings, host.now());
      await createReport(host, {
        id: order.report_id,
        candidate_id: order.candidate_id,
        package: pkg.slug,
        screenings: pkg.screenings,
        source: 'form',
        tags: order.tags,
        consent: order.consent,
        eta,
      });
    },
  };
  return {
    type: 'order_report',
    deliveries: [delivery],
    plan: ({ type: _type, ...order }, plan) => plan.outbox(delivery, order),
  };
}
