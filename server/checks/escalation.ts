import { z } from 'zod';
import { reportResult, type ReportContext } from '../../machines/report.ts';
import { openCase } from '../cases/cases.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import type { Sealer } from '../runtime/seal.ts';
import { innerId } from './access.ts';

const ruleSchema = z
  .object({
    queue: z.string().regex(/^[a-z_]{1,64}$/),
    package: z.string().optional(),
    result: z.enum(['clear', 'consider']).optional(),
    source: z.enum(['api', 'form', 'continuous_check']).optional(),
  })
  .strict();

/** An escalation rule (B7): a completed report matching every given field opens a case in `queue`. */
export type EscalationRule = z.infer<typeof ruleSchema>;

/** `ESCALATION_RULES`, a JSON array, e.g. `[{"package":"driver_pro","result":"consider","queue":"escalations"}]`. */
export function parseRules(json: string | undefined): EscalationRule[] {
  return json ? z.array(ruleSchema).parse(JSON.parse(json)) : [];
}

/** Checks a completed report against the rules; each match opens one case, once (a report completes again after a dispute). */
export function escalation(sealer: Sealer, rules: EscalationRule[]): EffectModule<'escalate'> {
  const delivery: Delivery<{ report: string }> = {
    kind: 'escalate',
    retry: { attempts: 8 },
    ordered: false,
    deliver: async (_entry, payload, { host, store }) => {
      const loaded = await host.load(payload.report);
      if (!loaded) return;
      const context = loaded.snapshot.context as ReportContext;
      const facts = { package: context.package, result: reportResult(context, true), source: context.source };
      const matching = rules.map((rule, i) => ({ rule, id: innerId('case', loaded.actor.id, `_${i + 1}`) }))
        .filter(({ rule }) => (['package', 'result', 'source'] as const).every((field) => rule[field] === undefined || rule[field] === facts[field]));
      const fresh = [];
      for (const match of matching) if (!(await store.getRecord('cases', match.id))) fresh.push(match);
      const opened = fresh.map(({ rule, id }) => {
        const summary = `Report ${loaded.actor.id} (${facts.package}) completed with result ${facts.result}`;
        const refs = { report_id: loaded.actor.id, candidate_id: context.candidate_id };
        return openCase({ id, subject: loaded.actor.id, queue: rule.queue, summary, refs, at: host.now() }, sealer);
      });
      return { records: opened.flatMap((o) => o.records), outbox: opened.flatMap((o) => o.outbox) };
    },
  };
  return {
    type: 'escalate',
    deliveries: [delivery],
    plan: (_effect, plan) => plan.outbox(delivery, { report: plan.owner.actor.id }),
  };
}
