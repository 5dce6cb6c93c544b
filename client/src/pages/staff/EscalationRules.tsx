import { useId } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import type { EscalationRule } from './use-escalation-rules.ts';
import { queueLabels, escalationRuleWords as w } from './words.ts';

/** The escalation rules as reviewers read them (B7): which completed reports open a case, in which queue. */
export function EscalationRules({ rules, error }: { rules: EscalationRule[]; error?: string }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{w.title}</h2>
      <p className="muted">{w.help}</p>
      {error && <Notice>{error}</Notice>}
      {rules.length === 0 && !error && <p className="muted">{w.none}</p>}
      <ul className="rows" aria-label={w.title}>
        {rules.map((rule) => (
          <li key={rule.id} data-rule={rule.id}>
            {w.describe(rule)} → <strong>{queueLabels[rule.queue] ?? rule.queue}</strong>
            <small className="muted">
              {' '}
              {w.since} {when(rule.created_at)}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
