import { useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import type { Session } from '../../session.ts';
import { CaseList } from './CaseList.tsx';
import { OpenCaseForm } from './OpenCaseForm.tsx';
import { useCases } from './use-cases.ts';

/** The cases about one member, open and resolved, kept current; reviewers may open one here (I12). */
export function MemberCases({ memberId, role }: { memberId: string; role: Session['role'] }) {
  const { cases, error } = useCases({ subject: memberId });
  const [opening, setOpening] = useState(false);
  return (
    <section className="card" aria-labelledby="member-cases-title">
      <h2 id="member-cases-title">Cases</h2>
      {error && <Notice>{error}</Notice>}
      <CaseList cases={cases} label="Cases about this member" showSubject={false} />
      {role === 'reviewer' &&
        (opening ? (
          <OpenCaseForm subject={memberId} embedded onCancel={() => setOpening(false)} />
        ) : (
          <button type="button" className="secondary" onClick={() => setOpening(true)}>
            Open a case about this member
          </button>
        ))}
    </section>
  );
}
