import { when } from '../../words.ts';
import { staffHref } from './routes.ts';
import { StaffLink } from './StaffLink.tsx';
import { SubjectLink } from './SubjectLink.tsx';
import { Tags } from './Tags.tsx';
import type { Case } from './types.ts';
import { caseStatusLabels, queueLabels } from './words.ts';

/** Cases as rows: subject, summary, tags, queue, status, assignee and time. */
export function CaseList({ cases, label, showSubject = true }: { cases: Case[]; label: string; showSubject?: boolean }) {
  if (cases.length === 0) return <p className="muted">No cases.</p>;
  return (
    <ul className="staff-cases" aria-label={label}>
      {cases.map((c) => (
        <li key={c.id} data-case={c.id} data-queue={c.queue} data-status={c.status}>
          <div className="staff-case-head">
            <StaffLink href={staffHref.case(c.id)} className="staff-case-summary">
              {c.summary}
            </StaffLink>
            <span className={`badge case-${c.status}`}>{caseStatusLabels[c.status] ?? c.status}</span>
          </div>
          <div className="staff-small muted">
            {queueLabels[c.queue] ?? c.queue}
            {showSubject && (
              <>
                {' '}
                · about <SubjectLink id={c.subject} />
              </>
            )}{' '}
            · {c.assignee ? `assigned to ${c.assignee}` : 'unassigned'} · <time dateTime={c.created_at}>{when(c.created_at)}</time>
          </div>
          <Tags tags={c.tags} />
        </li>
      ))}
    </ul>
  );
}
