import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { AnyStateMachine, StateNode } from 'xstate';

const CHAR = 7.2;
const LEAF_HEIGHT = 34;
const INITIAL = 12;

/** The ELK graph of a machine: states as (nested) boxes, transitions as labelled edges. */
export function statechartGraph(machine: AnyStateMachine): ElkNode {
  // One edge per source and target, labelled with every event that takes it: far fewer lines.
  const events = new Map<string, { source: string; target: string; events: Set<string> }>();
  const connect = (source: string, target: string, event: string) => {
    const key = `${source}->${target}`;
    if (!events.has(key)) events.set(key, { source, target, events: new Set() });
    if (event) events.get(key)!.events.add(event);
  };
  const node = (state: StateNode): ElkNode => {
    const children = Object.values(state.states) as StateNode[];
    for (const [event, transitions] of state.transitions) {
      for (const t of transitions) for (const target of t.target ?? []) connect(state.id, target.id, event);
    }
    for (const t of state.always ?? []) for (const target of t.target ?? []) connect(state.id, target.id, 'always');
    if (children.length === 0) {
      return { id: state.id, width: Math.max(90, state.key.length * CHAR + 28), height: LEAF_HEIGHT, labels: [{ text: state.key }] };
    }
    const initial = state.type === 'compound' ? state.initial?.target?.[0] : undefined;
    const pseudo: ElkNode[] = initial ? [{ id: `${state.id}:initial`, width: INITIAL, height: INITIAL }] : [];
    if (initial) connect(`${state.id}:initial`, initial.id, '');
    return {
      id: state.id,
      labels: [{ text: state === machine.root ? machine.id : state.key, width: state.key.length * CHAR, height: 16 }],
      layoutOptions: { 'elk.padding': '[top=30,left=12,bottom=12,right=12]', 'elk.nodeLabels.placement': 'INSIDE V_TOP H_LEFT' },
      children: [...pseudo, ...children.map(node)],
    };
  };
  const root = node(machine.root);
  return {
    ...root,
    layoutOptions: {
      ...root.layoutOptions,
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '24',
      'elk.spacing.edgeLabel': '2',
      'elk.edgeLabels.placement': 'CENTER',
    },
    edges: [...events.entries()].map(([id, { source, target, events: names }]) => edge(id, source, target, [...names])),
  };
}

function edge(id: string, source: string, target: string, events: string[]): ElkExtendedEdge {
  const width = Math.max(0, ...events.map((e) => e.length)) * 6.2 + 6;
  const labels = events.length ? [{ id: `${id}:label`, text: events.join('\n'), width, height: 13 * events.length + 2 }] : [];
  return { id, sources: [source], targets: [target], labels };
}

/** The ids of the state nodes a snapshot value is in: `{ sent: 'active' }` → link.sent, link.sent.active. */
export function activeStateIds(machineId: string, value: unknown): Set<string> {
  const ids = new Set<string>([machineId]);
  const walk = (v: unknown, prefix: string) => {
    if (typeof v === 'string') ids.add(`${prefix}.${v}`);
    else if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        ids.add(`${prefix}.${key}`);
        walk(child, `${prefix}.${key}`);
      }
    }
  };
  walk(value, machineId);
  return ids;
}
