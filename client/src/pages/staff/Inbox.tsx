import { useId } from 'react';
import { request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import type { Inbox as InboxList } from './types.ts';
import { useFetched } from './use-fetched.ts';
import { useStaffAction } from './use-staff-action.ts';
import { maskText, SHOW_INBOX_ANYWAY } from './words.ts';

/**
 * The seeker's notifications (in-app and email). I14: while the seeker is blocked, a mask covers
 * the inbox until this staff member dismisses it for their own view.
 */
export function Inbox({ seekerId, refreshKey }: { seekerId: string; refreshKey: string }) {
  const path = `/v1/seekers/${encodeURIComponent(seekerId)}/inbox?per_page=50`;
  const { data, error, reload } = useFetched<InboxList>(path, refreshKey);
  const action = useStaffAction();
  const id = useId();
  return (
    <section className="card staff-inbox" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Inbox</h2>
      {error && <Notice>{error}</Notice>}
      {action.error && <Notice>{action.error}</Notice>}
      {data?.mask ? (
        <div className="staff-mask" role="alert" data-testid="inbox-mask">
          <p>{maskText(data.mask.reason)}</p>
          <p className="staff-small">
            {data.count} {data.count === 1 ? 'message' : 'messages'} hidden. Dismissing shows them to you only; other staff still see this notice.
          </p>
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                await request('POST', `/v1/seekers/${encodeURIComponent(seekerId)}/inbox/dismiss_mask`, {});
                reload();
              })
            }
          >
            {SHOW_INBOX_ANYWAY}
          </button>
        </div>
      ) : (
        data && (
          <div data-testid="inbox-messages">
            {data.data.length === 0 ? (
              <p className="muted">No messages.</p>
            ) : (
              <ul className="rows" aria-label="Messages">
                {data.data.map((n) => (
                  <li key={n.id} className="staff-message">
                    <div>
                      <strong>{n.subject}</strong> <span className="badge">{n.channel === 'email' ? 'email' : 'in app'}</span>
                      <p className="staff-small">{n.text}</p>
                    </div>
                    <time className="muted staff-small" dateTime={n.created_at}>
                      {when(n.created_at)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      )}
    </section>
  );
}
