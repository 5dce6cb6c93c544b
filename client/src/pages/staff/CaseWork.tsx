import { request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import type { Session } from '../../session.ts';
import type { Case } from './types.ts';
import { useStaffAction } from './use-staff-action.ts';

/** Assign to me or unassign; resolve or reopen (`POST /v1/cases/{id}`). */
export function CaseWork({ found, session, onCase }: { found: Case; session: Session; onCase: (c: Case) => void }) {
  const action = useStaffAction();
  const update = (body: { assignee?: string | null; status?: 'open' | 'resolved' }) =>
    action.run(async () => onCase(await request<Case>('POST', `/v1/cases/${found.id}`, body)));
  const mine = found.assignee === session.subject;
  return (
    <div className="staff-row" role="group" aria-label="Work the case">
      {!mine && (
        <button type="button" className="secondary" disabled={action.busy} onClick={() => update({ assignee: session.subject })}>
          Assign to me
        </button>
      )}
      {found.assignee && (
        <button type="button" className="secondary" disabled={action.busy} onClick={() => update({ assignee: null })}>
          Unassign
        </button>
      )}
      {found.status === 'open' ? (
        <button type="button" disabled={action.busy} onClick={() => update({ status: 'resolved' })}>
          Resolve
        </button>
      ) : (
        <button type="button" className="secondary" disabled={action.busy} onClick={() => update({ status: 'open' })}>
          Reopen
        </button>
      )}
      {action.error && <Notice>{action.error}</Notice>}
    </div>
  );
}
