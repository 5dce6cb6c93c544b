import { z } from 'zod';
import { type ReportContext, reportResult } from '../../machines/report.ts';
import { openCase } from '../cases/cases.ts';
import type { By } from '../runtime/caller.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import type { Sealer } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';
import { innerId } from './access.ts';

export const ruleFields = z
  .object({
    queue: z.string().regex(/^[a-z_]{1,64}$/, 'a queue name: lower-case letters and underscores'),
    package: z.string().min(1).max(64).optional(),
    result: z.enum(['clear', 'consider']).optional(),
    source: z.enum(['api', 'form', 'continuous_check']).optional(),
  })
  .strict();

/** What an escalation rule matches (B7): a completed report matching every given field opens a case in `queue`. */
export type EscalationRuleFields = z.infer<typeof ruleFields>;

/** A stored rule; a deleted one stays stored with who deleted it and when (the rules' audit trail). */
export interface EscalationRule extends EscalationRuleFields {
  id: string;
  object: 'escalation_rule';
  created_at: string;
  created_by: By;
  deleted_at?: string;
  deleted_by?: By;
}

const COLLECTION = 'escalation_rules';

/** `ESCALATION_RULES`, a JSON array, e.g. `[{"package":"driver_pro","result":"consider","queue":"escalations"}]`. */
export function parseRules(json: string | undefined): EscalationRuleFields[] {
  return json ? z.array(ruleFields).parse(JSON.parse(json)) : [];
}

/** The integrator's escalation rules, kept in the store: a change applies from the next report on. */
export class EscalationRules {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
  ) {}

  /** Every rule ever stored, deleted ones included, oldest first. */
  private async all(): Promise<EscalationRule[]> {
    return (await this.store.listRecords(COLLECTION)) as EscalationRule[];
  }

  async list(includeDeleted = false): Promise<EscalationRule[]> {
    return (await this.all()).filter((r) => includeDeleted || !r.deleted_at);
  }

  async add(fields: EscalationRuleFields, by: By): Promise<EscalationRule> {
    const id = `esc_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
    const rule: EscalationRule = { id, object: 'escalation_rule', ...fields, created_at: this.now(), created_by: by };
    await this.store.commit(commitOf({ records: [{ collection: COLLECTION, id, value: rule }] }));
    return rule;
  }

  /** Deletes a rule; undefined when there is no such rule (or it was deleted already). */
  async remove(id: string, by: By): Promise<EscalationRule | undefined> {
    const rule = (await this.store.getRecord(COLLECTION, id)) as EscalationRule | undefined;
    if (!rule || rule.deleted_at) return undefined;
    const deleted = { ...rule, deleted_at: this.now(), deleted_by: by };
    await this.store.commit(commitOf({ records: [{ collection: COLLECTION, id, value: deleted }] }));
    return deleted;
  }

  /** `ESCALATION_RULES` seeds a store that never held a rule; afterwards the API manages them. */
  async seed(rules: EscalationRuleFields[]) {
    if ((await this.all()).length > 0) return;
    for (const rule of rules) await this.add(rule, { role: 'system' });
  }
}

/** Checks a completed report against the rules; each match opens one case, once (a report completes again after a dispute). */
export function escalation(sealer: Sealer, rules: EscalationRules): EffectModule<'escalate'> {
  const delivery: Delivery<{ report: string }> = {
    kind: 'escalate',
    retry: { attempts: 8 },
    ordered: false,
    deliver: async (_entry, payload, { host, store }) => {
      const loaded = await host.load(payload.report);
      if (!loaded) return;
      const context = loaded.snapshot.context as ReportContext;
      const facts = { package: context.package, result: reportResult(context, true), source: context.source };
      const matching = (await rules.list())
        .filter((rule) => (['package', 'result', 'source'] as const).every((field) => rule[field] === undefined || rule[field] === facts[field]))
        .map((rule) => ({ rule, id: innerId('case', loaded.actor.id, `_${rule.id}`) }));
      const fresh = [];
      for (const match of matching) if (!(await store.getRecord('cases', match.id))) fresh.push(match);
      const opened = fresh.map(({ rule, id }) => {
        const summary = `Report ${loaded.actor.id} (${facts.package}) completed with result ${facts.result}`;
        const refs = { report_id: loaded.actor.id, candidate_id: context.candidate_id, escalation_rule: rule.id };
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
