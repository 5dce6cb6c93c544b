import { useId, useState } from 'react';
import { type ActorView, send } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useStaffAction } from './use-staff-action.ts';
import { linkStatusLabels, REMOVE_ON_BEHALF, removalOutcome } from './words.ts';

type Side = 'seeker' | 'provider';

/**
 * C14: ends a link as one of its members would (`STAFF_REMOVE { side, reason }`), asked once more.
 * Offered only when the link's `can` lists STAFF_REMOVE; the sides are the ones its status accepts.
 */
export function RemoveOnBehalf({ link, defaultSide }: { link: ActorView; defaultSide: Side }) {
  const sides = removalOutcome[link.status] ?? {};
  const offered = (Object.keys(sides) as Side[]).filter((s) => sides[s]);
  const [open, setOpen] = useState(false);
  const [side, setSide] = useState<Side>(offered.includes(defaultSide) ? defaultSide : offered[0]);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useStaffAction();
  const id = useId();
  if (!link.can.includes('STAFF_REMOVE') || offered.length === 0) return null;
  const chosen = sides[side] ?? sides[offered[0]]!;
  const member = side === 'seeker' ? link.data.seeker_name : link.data.provider_name;

  if (!open) {
    return (
      <button type="button" className="secondary" data-event="STAFF_REMOVE" onClick={() => setOpen(true)}>
        {REMOVE_ON_BEHALF}
      </button>
    );
  }
  const close = () => {
    setOpen(false);
    setConfirming(false);
    setReason('');
  };
  return (
    <form
      className="staff-remove"
      aria-label={REMOVE_ON_BEHALF}
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirming) return setConfirming(true);
        void action.run(async () => {
          await send(link.id, 'STAFF_REMOVE', { side, reason: reason.trim() });
          close();
        });
      }}
    >
      <fieldset disabled={confirming || action.busy}>
        <legend>On whose behalf?</legend>
        {offered.map((s) => (
          <label key={s} className="staff-choice">
            <input type="radio" name={`${id}-side`} value={s} checked={side === s} onChange={() => setSide(s)} /> {sides[s]!.label}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-reason`}>Reason (kept in the audit history)</label>
      <textarea
        id={`${id}-reason`}
        required
        maxLength={1000}
        rows={2}
        value={reason}
        disabled={confirming || action.busy}
        onChange={(e) => setReason(e.target.value)}
      />
      {action.error && <Notice>{action.error}</Notice>}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm removal">
          <p>
            End this link for {member}? It becomes “{linkStatusLabels[chosen.to]}” and both members see it at once. This cannot be undone.
          </p>
          <button type="submit" className="danger" disabled={action.busy}>
            Yes, remove
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Go back
          </button>
        </div>
      ) : (
        <>
          <button type="submit" disabled={reason.trim().length === 0}>
            Continue
          </button>
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
        </>
      )}
    </form>
  );
}
