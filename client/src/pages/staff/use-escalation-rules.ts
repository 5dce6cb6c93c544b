import type { EscalationRuleView } from '../../../../contract/index.ts';
import type { List } from '../../api.ts';
import { useFetched } from './use-fetched.ts';
import { QUEUES } from './words.ts';

export type EscalationRule = EscalationRuleView;

/** The integrator's escalation rules (B7), and the case queues: the product's own and those the rules name. */
export function useEscalationRules() {
  const { data, error } = useFetched<List<EscalationRule>>('/v1/escalation_rules', undefined);
  const rules = data?.data ?? [];
  const queues = [...new Set([...QUEUES, ...rules.map((r) => r.queue)])];
  return { rules, queues, error, loaded: data !== undefined };
}
