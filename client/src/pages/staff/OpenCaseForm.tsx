import { useId, useState } from 'react';
import { type ActorView, type List, request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { memberName } from './MemberName.tsx';
import { staffHref } from './routes.ts';
import type { Case } from './types.ts';
import { useFetched } from './use-fetched.ts';
import { useStaffAction } from './use-staff-action.ts';
import { QUEUES, queueLabels } from './words.ts';

/** I12: a reviewer opens a case by hand (`POST /v1/cases`), about a member found by search (or the member whose page it is on). */
export function OpenCaseForm({
  subject: given = '',
  embedded = false,
  onCancel,
  queues = QUEUES,
}: {
  subject?: string;
  embedded?: boolean;
  onCancel?: () => void;
  queues?: string[];
}) {
  const [subject, setSubject] = useState(given);
  const [queue, setQueue] = useState('manual');
  const [summary, setSummary] = useState('');
  const action = useStaffAction();
  const id = useId();
  return (
    <section className={embedded ? 'staff-embedded' : 'card'} aria-labelledby={`${id}-title`}>
      {embedded ? <h3 id={`${id}-title`}>Open a case</h3> : <h2 id={`${id}-title`}>Open a case</h2>}
      <form
        className="staff-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const opened = await request<Case>('POST', '/v1/cases', { subject: subject.trim(), queue, summary: summary.trim() });
            navigate(staffHref.case(opened.id));
          });
        }}
      >
        {!given && <SubjectPicker id={`${id}-subject`} subject={subject} onPick={setSubject} />}
        <label htmlFor={`${id}-queue`}>Queue</label>
        <select id={`${id}-queue`} value={queue} onChange={(e) => setQueue(e.target.value)}>
          {queues.map((q) => (
            <option key={q} value={q}>
              {queueLabels[q] ?? q}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-summary`}>Summary</label>
        <textarea id={`${id}-summary`} required maxLength={2000} rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />
        {action.error && <Notice>{action.error}</Notice>}
        <div>
          <button type="submit" disabled={action.busy || !subject.trim() || !summary.trim()}>
            Open case
          </button>
          {onCancel && (
            <button type="button" className="secondary" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** Finds the member a case is about by name, email, phone or id (`GET /v1/members?q=`); a link's id is taken as typed. */
function SubjectPicker({ id, subject, onPick }: { id: string; subject: string; onPick: (subject: string) => void }) {
  const [typed, setTyped] = useState('');
  const term = typed.trim();
  const { data } = useFetched<List<ActorView>>(term.length >= 2 ? `/v1/members?q=${encodeURIComponent(term)}&per_page=8` : undefined, term);
  const results = term.length >= 2 ? (data?.data ?? []) : [];
  const linkId = /^lnk_\w+$/.test(term) ? term : undefined;
  return (
    <>
      <label htmlFor={id}>Who is it about?</label>
      <input
        id={id}
        type="search"
        value={typed}
        maxLength={200}
        onChange={(e) => {
          setTyped(e.target.value);
          onPick('');
        }}
        placeholder="Name, email, phone, or a member’s or link’s id"
        autoComplete="off"
      />
      {term.length >= 2 && (
        <fieldset className="staff-pick">
          <legend className="visually-hidden">Matches</legend>
          {results.length === 0 && !linkId && <p className="muted staff-small">{data ? 'No member matches.' : 'Searching…'}</p>}
          {results.map((member) => (
            <label key={member.id} className="staff-choice">
              <input type="radio" name={`${id}-pick`} checked={subject === member.id} onChange={() => onPick(member.id)} required />
              {memberName(member)} <span className="badge">{member.kind}</span> <span className="muted staff-small">{member.data.email}</span>
            </label>
          ))}
          {linkId && (
            <label className="staff-choice">
              <input type="radio" name={`${id}-pick`} checked={subject === linkId} onChange={() => onPick(linkId)} required />
              The link <code>{linkId}</code>
            </label>
          )}
        </fieldset>
      )}
    </>
  );
}
