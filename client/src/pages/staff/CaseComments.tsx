import { useId, useState } from 'react';
import { request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import { TaggedText } from './Tags.tsx';
import type { Case } from './types.ts';
import { useStaffAction } from './use-staff-action.ts';
import { whoLabel } from './words.ts';

/** A case's comments, oldest first, with hashtags drawn as tags; and adding one. */
export function CaseComments({ found, onCase }: { found: Case; onCase: (c: Case) => void }) {
  const [text, setText] = useState('');
  const action = useStaffAction();
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Comments</h2>
      {found.comments.length === 0 && <p className="muted">No comments yet.</p>}
      <ol className="staff-comments" aria-label="Comments">
        {found.comments.map((c) => (
          <li key={c.id}>
            <p>
              <TaggedText text={c.text} />
            </p>
            <small className="muted">
              {whoLabel(c.by)} · <time dateTime={c.at}>{when(c.at)}</time>
            </small>
          </li>
        ))}
      </ol>
      <form
        className="staff-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            onCase(await request<Case>('POST', `/v1/cases/${found.id}/comments`, { text: text.trim() }));
            setText('');
          });
        }}
      >
        <label htmlFor={`${id}-text`}>Add a comment (#hashtags become tags)</label>
        <textarea id={`${id}-text`} maxLength={4000} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        {action.error && <Notice>{action.error}</Notice>}
        <div>
          <button type="submit" disabled={action.busy || !text.trim()}>
            Add comment
          </button>
        </div>
      </form>
    </section>
  );
}
