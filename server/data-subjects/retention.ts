import type { CandidateContext } from '../../machines/candidate.ts';
import { RETENTION_RULES, type RetentionRule } from '../../machines/effects.ts';
import type { ReportContext } from '../../machines/report.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import { outboxEntry } from '../runtime/outbox-entry.ts';
import type { Sealer } from '../runtime/seal.ts';
import { eraseSubject } from './erasure.ts';

/** Each rule's period (ms), for the rules configured (`RETENTION`). */
export type RetentionPeriods = Partial<Record<RetentionRule, number>>;

/** What the erasure entry carries: ids only, sealed with DATA_KEY, so it opens after the subject's key is gone. */
interface DueErasure {
  subject: string;
  rule: RetentionRule;
}

/** The delays of the machines' retention reminders (`retention_<rule>`); null for a rule not configured: no reminder. */
export const retentionDelays = (periods: RetentionPeriods): Record<string, number | null> =>
  Object.fromEntries(RETENTION_RULES.map((rule) => [`retention_${rule}`, periods[rule] ?? null]));

/** When a finished report last finished, by trustwire's clock: its latest completion, or when it was canceled (nothing changes it after). */
function finishedAt(report: Loaded): number | undefined {
  if (report.actor.status === 'complete') return Date.parse((report.snapshot.context as ReportContext).completed_at!);
  return report.actor.status === 'canceled' ? Date.parse(report.actor.updated_at) : undefined;
}

/**
 * A candidate's data is kept for the period after its last report finished: each finished report
 * sets its own reminder, and the one whose period ends last erases (earlier ones find a report
 * still running, or finished more recently, and leave the candidate).
 */
async function candidatePeriodOver(host: ActorHost, candidate: string, period: number, now: number): Promise<boolean> {
  const loaded = await host.load(candidate);
  if (!loaded) return false;
  const { report_ids, continuous_checks } = loaded.snapshot.context as CandidateContext;
  // Continuously checked (B8): still in use, kept until the checks are canceled and a report finishes after.
  if (continuous_checks.length > 0) return false;
  for (const id of report_ids) {
    const report = await host.load(id);
    if (!report) continue;
    const finished = finishedAt(report);
    if (finished === undefined || finished + period > now) return false;
  }
  return true;
}

/**
 * T4: retention rules erase on time. A machine emits `erase` when its subject's retention
 * reminder fires (machines/effects.ts `retentionReminder`); the erasure itself runs from the
 * outbox, as `POST …/erase` does, by `retention:<rule>`. A rule taken out of RETENTION since the
 * reminder was set erases nothing.
 */
export function retention(sealer: Sealer, periods: RetentionPeriods, mailDir: string): EffectModule<'erase'> {
  const erasure: Delivery<DueErasure> = {
    kind: 'erasure',
    retry: { attempts: 10 },
    ordered: false,
    async deliver(entry, { subject, rule }, { host, store, clock }) {
      const period = periods[rule];
      await sealer.load(subject);
      if (period === undefined || sealer.erasure(subject)) return;
      if (rule === 'candidates' && !(await candidatePeriodOver(host, subject, period, clock.now()))) return;
      await eraseSubject({ host, store, sealer, mailDir }, subject, `retention:${rule}`, entry.id);
    },
  };
  return {
    type: 'erase',
    deliveries: [erasure],
    plan: (effect, plan) => {
      const payload = { subject: effect.subject ?? plan.owner.actor.id, rule: effect.rule };
      plan.add({ outbox: [outboxEntry(sealer, erasure, { actor: plan.owner.actor.id, payload, at: plan.at })] });
    },
  };
}
