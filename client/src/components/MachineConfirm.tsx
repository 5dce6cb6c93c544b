import { type ActorView, send } from '../api.ts';
import type { useAction } from '../use-action.ts';

/**
 * A confirmation the machine itself waits in (the provider's decline and removal, C8 and C10):
 * both answers are events, offered only when the actor's `can` lists them.
 */
export function MachineConfirm(props: {
  actor: ActorView;
  question: string;
  confirm: { type: string; label: string };
  keep: { type: string; label: string };
  action: ReturnType<typeof useAction>;
}) {
  const { actor, action } = props;
  return (
    <div className="confirm" role="group" aria-label={props.question}>
      <p>{props.question}</p>
      {[props.confirm, props.keep]
        .filter((answer) => actor.can.includes(answer.type))
        .map((answer) => (
          <button
            type="button"
            key={answer.type}
            className={answer === props.confirm ? 'danger' : 'secondary'}
            disabled={action.busy}
            onClick={() => action.run(() => send(actor.id, answer.type))}
          >
            {answer.label}
          </button>
        ))}
    </div>
  );
}
