import { useId } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import type { Session } from '../../session.ts';
import { CaseList } from './CaseList.tsx';
import { EscalationRules } from './EscalationRules.tsx';
import { OpenCaseForm } from './OpenCaseForm.tsx';
import { staffHref } from './routes.ts';
import { StaffLink } from './StaffLink.tsx';
import { useCases } from './use-cases.ts';
import { useEscalationRules } from './use-escalation-rules.ts';
import { caseStatusLabels, queueLabels } from './words.ts';

/** The case queues: one tab per queue, a status filter, the cases live from `case.changed`. */
export function CaseQueues({ queue, status, session }: { queue?: string; status: string; session: Session }) {
  const { cases, count, error } = useCases({ queue, status: status || undefined });
  const id = useId();
  const rules = useEscalationRules();
  const title = queue ? (queueLabels[queue] ?? queue) : 'All queues';
  return (
    <>
      <section className="card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>Cases</h1>
        <nav aria-label="Queues" className="staff-queues">
          {[undefined, ...rules.queues].map((q) => (
            <StaffLink key={q ?? 'all'} href={staffHref.cases({ queue: q, status })} current={q === queue}>
              {q ? (queueLabels[q] ?? q) : 'All queues'}
            </StaffLink>
          ))}
        </nav>
        <div className="staff-row">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(e) => navigate(staffHref.cases({ queue, status: e.target.value }))}>
            <option value="open">{caseStatusLabels.open}</option>
            <option value="resolved">{caseStatusLabels.resolved}</option>
            <option value="">Any status</option>
          </select>
        </div>
        <h2>
          {title} <small className="muted">{count === undefined ? '' : `(${cases.length})`}</small>
        </h2>
        {error && <Notice>{error}</Notice>}
        <CaseList cases={cases} label={`Cases: ${title}`} />
      </section>
      {session.role === 'reviewer' && <OpenCaseForm queues={rules.queues} />}
      <EscalationRules rules={rules.rules} error={rules.error} />
    </>
  );
}
