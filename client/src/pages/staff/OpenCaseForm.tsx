import { useId, useState } from 'react';
import { request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { staffHref } from './routes.ts';
import type { Case } from './types.ts';
import { useStaffAction } from './use-staff-action.ts';
import { QUEUES, queueLabels } from './words.ts';

/** I12: a reviewer opens a case by hand (`POST /v1/cases`). */
export function OpenCaseForm({ subject: given = '', embedded = false, onCancel, queues = QUEUES }: { subject?: string; embedded?: boolean; onCancel?: () => void; queues?: string[] }) {
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
        <label htmlFor={`${id}-subject`}>Subject id</label>
        <input id={`${id}-subject`} required maxLength={64} value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="skr_… prv_… lnk_…" />
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
          <button disabled={action.busy || !subject.trim() || !summary.trim()}>Open case</button>
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
