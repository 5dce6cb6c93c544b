import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AnyStateMachine } from 'xstate';
import { activeStateIds, statechartGraph } from './statechart-graph.ts';

const elk = new ELK();
const layouts = new Map<string, Promise<ElkNode>>();

/** Laid out once per machine: the layout does not depend on the actor's state. */
function layoutOf(machine: AnyStateMachine): Promise<ElkNode> {
  const layout = layouts.get(machine.id) ?? elk.layout(statechartGraph(machine));
  layouts.set(machine.id, layout);
  return layout;
}

/** Zoom steps: 1 draws state names at 12 px, the smallest step still reads at arm's length. */
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5];

/**
 * An actor's statechart with the states it is in highlighted; it moves as `value` changes. It opens
 * at its own size (readable) in a frame that pans both ways, scrolled to the current state; the
 * zoom buttons fit the whole chart in the frame or step in and out.
 */
export function Statechart({ machine, value }: { machine: AnyStateMachine; value: unknown }) {
  const [graph, setGraph] = useState<ElkNode>();
  const [zoom, setZoom] = useState<number | 'fit'>(1);
  const [frameWidth, setFrameWidth] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let current = true;
    void layoutOf(machine).then((g) => current && setGraph(g));
    return () => {
      current = false;
    };
  }, [machine]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the frame appears with the graph: observe it then
  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setFrameWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [graph]);
  const active = activeStateIds(machine.id, value);
  const leaves = [...active].filter((id) => ![...active].some((other) => other.startsWith(`${id}.`)));
  const scale = graph && zoom === 'fit' ? Math.min(1, frameWidth / (graph.width ?? 1)) || 1 : (zoom as number);
  // The current states in the middle of the frame when the chart opens, moves or is zoomed (the
  // first one alone when those of parallel regions lie too far apart to show together).
  // biome-ignore lint/correctness/useExhaustiveDependencies: recentred when the chart opens, moves or is zoomed, as said above
  useLayoutEffect(() => {
    const el = frame.current;
    const states = [...(el?.querySelectorAll('.state.leaf.active > rect') ?? [])].map((s) => s.getBoundingClientRect());
    if (!el || states.length === 0) return;
    const union = states.reduce(
      (a, b) =>
        new DOMRect(
          Math.min(a.left, b.left),
          Math.min(a.top, b.top),
          Math.max(a.right, b.right) - Math.min(a.left, b.left),
          Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top),
        ),
    );
    const at = union.width <= el.clientWidth && union.height <= el.clientHeight ? union : states[0];
    const box = el.getBoundingClientRect();
    el.scrollLeft += at.left - box.left - (el.clientWidth - at.width) / 2;
    el.scrollTop += at.top - box.top - (el.clientHeight - at.height) / 2;
  }, [graph, leaves.join(), scale]);
  if (!graph) return <p className="muted">Drawing…</p>;
  const step = (direction: 1 | -1) => {
    const next = direction > 0 ? ZOOMS.find((z) => z > scale + 0.01) : ZOOMS.findLast((z) => z < scale - 0.01);
    setZoom(next ?? scale);
  };
  return (
    <>
      <div className="statechart-zoom" role="group" aria-label="Zoom the statechart">
        <button type="button" className="secondary" aria-label="Zoom out" disabled={scale <= ZOOMS[0]} onClick={() => step(-1)}>
          −
        </button>
        <span aria-live="polite">{Math.round(scale * 100)}%</span>
        <button type="button" className="secondary" aria-label="Zoom in" disabled={scale >= ZOOMS.at(-1)!} onClick={() => step(1)}>
          +
        </button>
        <button type="button" className="secondary" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')}>
          Fit the whole chart
        </button>
        <button type="button" className="secondary" aria-pressed={zoom === 1} onClick={() => setZoom(1)}>
          Actual size
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard */}
      <div className="statechart-frame" ref={frame} data-pan tabIndex={0} role="region" aria-label="Statechart drawing (scrolls both ways)">
        <svg
          className="statechart"
          viewBox={`0 0 ${graph.width} ${graph.height}`}
          width={graph.width! * scale}
          height={graph.height! * scale}
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
      </div>
    </>
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
      <text
        x={compound ? node.x! + 10 : node.x! + node.width! / 2}
        y={compound ? node.y! + 18 : node.y! + node.height! / 2 + 4}
        textAnchor={compound ? 'start' : 'middle'}
      >
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
        <path key={s.id} d={`M ${[s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${p.x} ${p.y}`).join(' L ')}`} markerEnd="url(#arrow)" />
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
