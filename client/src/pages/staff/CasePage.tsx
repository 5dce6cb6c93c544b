import { Notice } from '../../components/Notice.tsx';
import type { Session } from '../../session.ts';
import { when } from '../../words.ts';
import { CaseComments } from './CaseComments.tsx';
import { CaseWork } from './CaseWork.tsx';
import { Facts } from './Facts.tsx';
import { ReviewDecision } from './ReviewDecision.tsx';
import { staffHref } from './routes.ts';
import { StaffLink } from './StaffLink.tsx';
import { SubjectLink } from './SubjectLink.tsx';
import { Tags } from './Tags.tsx';
import { useCase } from './use-cases.ts';
import { caseStatusLabels, queueLabels } from './words.ts';

/** One case: its summary and refs, its comments, working it; a manual review decided right here. */
export function CasePage({ id, session }: { id: string; session: Session }) {
  const { found, error, accept } = useCase(id);
  if (error) return <Notice>{error}</Notice>;
  if (!found) return <p className="muted">Loading…</p>;
  const review = found.queue === 'idv_failures' && found.subject.startsWith('skr_');
  return (
    <div className="staff-case" data-case={found.id}>
      <p>
        <StaffLink href={staffHref.cases({ queue: found.queue })}>← {queueLabels[found.queue] ?? found.queue}</StaffLink>
      </p>
      <section className="card" aria-labelledby="case-title">
        <h1 id="case-title">{found.summary}</h1>
        <p>
          <span className={`badge case-${found.status}`} data-testid="case-status" data-status={found.status}>
            {caseStatusLabels[found.status] ?? found.status}
          </span>{' '}
          <Tags tags={found.tags} />
        </p>
        <Facts
          label="Case"
          items={[
            ['Case', <code key="id">{found.id}</code>],
            ['Queue', queueLabels[found.queue] ?? found.queue],
            ['About', <SubjectLink key="subject" id={found.subject} />],
            ...Object.entries(found.refs).map(([name, ref]) => [`Ref: ${name}`, <SubjectLink key={name} id={ref} />] as [string, React.ReactNode]),
            ['Assignee', found.assignee ?? 'unassigned'],
            ['Opened', when(found.created_at)],
            ['Resolved', found.resolved_at ? when(found.resolved_at) : null],
          ]}
        />
        <CaseWork found={found} session={session} onCase={accept} />
      </section>
      {review && <ReviewDecision found={found} role={session.role} onCase={accept} />}
      <CaseComments found={found} onCase={accept} />
    </div>
  );
}
