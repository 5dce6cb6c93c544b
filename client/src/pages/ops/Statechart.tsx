import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { useEffect, useState } from 'react';
import type { AnyStateMachine } from 'xstate';
import { activeStateIds, statechartGraph } from './statechart-graph.ts';

const elk = new ELK();
const layouts = new Map<string, Promise<ElkNode>>();

/** Laid out once per machine: the layout does not depend on the actor's state. */
function layoutOf(machine: AnyStateMachine): Promise<ElkNode> {
  let layout = layouts.get(machine.id);
  if (!layout) layouts.set(machine.id, (layout = elk.layout(statechartGraph(machine))));
  return layout;
}

/** An actor's statechart with the states it is in highlighted; it moves as `value` changes. */
export function Statechart({ machine, value }: { machine: AnyStateMachine; value: unknown }) {
  const [graph, setGraph] = useState<ElkNode>();
  useEffect(() => {
    let current = true;
    layoutOf(machine).then((g) => current && setGraph(g));
    return () => void (current = false);
  }, [machine]);
  if (!graph) return <p className="muted">Drawing…</p>;
  const active = activeStateIds(machine.id, value);
  const leaves = [...active].filter((id) => ![...active].some((other) => other.startsWith(`${id}.`)));
  return (
    <svg
      className="statechart"
      viewBox={`0 0 ${graph.width} ${graph.height}`}
      width={graph.width}
      height={graph.height}
      role="img"
      aria-label={`Statechart of ${machine.id}; current state ${leaves.map((id) => id.slice(machine.id.length + 1)).join(', ')}`}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" />
        </marker>
      </defs>
      {(graph.children ?? []).map((child) => (
        <StateBox key={child.id} node={child} active={active} />
      ))}
      {(graph.edges ?? []).map((edge) => (
        <Transition key={edge.id} edge={edge} from={active.has(edge.sources[0])} />
      ))}
    </svg>
  );
}

function StateBox({ node, active }: { node: ElkNode; active: Set<string> }) {
  if (node.id.endsWith(':initial')) {
    return <circle className="initial" cx={node.x! + node.width! / 2} cy={node.y! + node.height! / 2} r={node.width! / 2} />;
  }
  const on = active.has(node.id);
  const compound = (node.children?.length ?? 0) > 0;
  const label = node.labels?.[0];
  return (
    <g className={`state ${compound ? 'compound' : 'leaf'} ${on ? 'active' : ''}`} data-state={node.id} data-active={on}>
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={compound ? 10 : 8} />
      <text x={compound ? node.x! + 10 : node.x! + node.width! / 2} y={compound ? node.y! + 18 : node.y! + node.height! / 2 + 4} textAnchor={compound ? 'start' : 'middle'}>
        {label?.text}
      </text>
      {node.children?.map((child) => (
        <StateBox key={child.id} node={child} active={active} />
      ))}
    </g>
  );
}

function Transition({ edge, from }: { edge: ElkExtendedEdge; from: boolean }) {
  const label = edge.labels?.[0];
  return (
    <g className={`transition ${from ? 'possible' : ''}`}>
      {edge.sections?.map((s) => (
        <path
          key={s.id}
          d={`M ${[s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${p.x} ${p.y}`).join(' L ')}`}
          markerEnd="url(#arrow)"
        />
      ))}
      {label?.text && (
        <text x={label.x! + 3} y={label.y! + 11}>
          {label.text.split('\n').map((line, i) => (
            <tspan key={line} x={label.x! + 3} dy={i === 0 ? 0 : 13}>
              {line}
            </tspan>
          ))}
        </text>
      )}
    </g>
  );
}
