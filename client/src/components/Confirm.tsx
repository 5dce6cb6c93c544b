import { useState } from 'react';

/** A button that asks once more before doing something that cannot be undone. */
export function ConfirmButton(props: { label: string; question: string; confirm: string; keep: string; disabled?: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={props.question}>
      <p>{props.question}</p>
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirm}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        {props.keep}
      </button>
    </div>
  );
}
