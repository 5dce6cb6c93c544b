import type { ActorView } from '../api.ts';
import { when } from '../words.ts';
import { StatusExplained } from './StatusExplained.tsx';

/** Links that ended (C16), each with the other member's name, its outcome and when it ended. */
export function EndedLinks(props: { label: string; links: ActorView[]; other: 'seeker' | 'provider'; outcomes: Record<string, string> }) {
  return (
    <>
      {props.links.length === 0 && <p className="muted">None yet.</p>}
      <ul className="rows" aria-label={props.label}>
        {props.links.map((link) => (
          <li key={link.id} data-link={link.id}>
            {link.data[`${props.other}_name`]} <StatusExplained status={link.status} label={props.outcomes[link.status]} />
            <small className="muted"> {when(link.data.ended_at)}</small>
          </li>
        ))}
      </ul>
    </>
  );
}
