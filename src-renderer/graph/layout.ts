// Lays a scene out with dagre (layered, top to bottom: the root at the top, leaves at the
// bottom, the way backward() walks). Text sizes are estimated from character counts in the
// view's monospace font, so layout needs no DOM (it runs in tests and in the benchmark).
import dagre, { type EdgeLabel, type Graph as DagreGraph, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { Scene, SceneBox, SceneLink } from './scene';

export interface Metrics {
  /** Font size of the text in boxes and labels, in px. */
  readonly fontSize: number;
  /** Line height as a multiple of fontSize. */
  readonly lineHeight: number;
  readonly padX: number;
  readonly padY: number;
}

export const DEFAULT_METRICS: Metrics = { fontSize: 13, lineHeight: 1.35, padX: 10, padY: 7 };

export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface PlacedBox extends SceneBox {
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface PlacedLink extends SceneLink {
  readonly points: readonly Point[];
  /** Centre of the label (when the link has one). */
  readonly labelX: number;
  readonly labelY: number;
}
export interface Placement {
  readonly boxes: readonly PlacedBox[];
  readonly links: readonly PlacedLink[];
  readonly width: number;
  readonly height: number;
}

// East Asian wide characters take a full em in a monospace font; the rest about 0.6 em.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Estimated width of `text` in px at `fontSize` in the view's monospace font. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const ch of text) ems += WIDE.test(ch) ? 1 : 0.6;
  return ems * fontSize;
}

function boxSize(box: SceneBox, m: Metrics): { width: number; height: number } {
  let widest = 0;
  for (const line of box.lines) widest = Math.max(widest, textWidth(line.text, m.fontSize));
  return { width: Math.ceil(widest + 2 * m.padX), height: Math.ceil(box.lines.length * m.fontSize * m.lineHeight + 2 * m.padY) };
}

function labelSize(text: string | null, m: Metrics): { width: number; height: number } {
  if (!text) return { width: 0, height: 0 };
  return { width: Math.ceil(textWidth(text, m.fontSize) + 8), height: Math.ceil(m.fontSize * m.lineHeight + 4) };
}

/** Graphs with more boxes than this draw far-away uses of a node as references (see withReferences). */
export const REFERENCE_THRESHOLD = 40;
/** How many layers a link may cross before its far end is drawn again as a reference. */
const MAX_SPAN = 2;

/**
 * A layered layout gives every link one hidden point per layer it crosses, so a leaf such as w
 * used at every depth of a deep graph costs (uses × depth) extra points, and dagre's time grows
 * far faster than that: seconds at 80 nodes. Big graphs therefore draw such a node once near
 * its closest user and again, as a dashed "↪ same node" reference, beside each far-away user.
 */
export function withReferences(scene: Scene): Scene {
  if (scene.boxes.length <= REFERENCE_THRESHOLD) return scene;
  // layer = longest path from a source (the roots), as a layered layout would rank it
  const outgoing = new Map<string, SceneLink[]>();
  const indegree = new Map<string, number>();
  for (const box of scene.boxes) indegree.set(box.id, 0);
  for (const link of scene.links) {
    (outgoing.get(link.from) ?? outgoing.set(link.from, []).get(link.from)!).push(link);
    indegree.set(link.to, (indegree.get(link.to) ?? 0) + 1);
  }
  const layer = new Map<string, number>();
  const queue = scene.boxes.filter((b) => indegree.get(b.id) === 0).map((b) => b.id);
  for (const id of queue) layer.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const link of outgoing.get(id) ?? []) {
      layer.set(link.to, Math.max(layer.get(link.to) ?? 0, layer.get(id)! + 1));
      const left = indegree.get(link.to)! - 1;
      indegree.set(link.to, left);
      if (left === 0) queue.push(link.to);
    }
  }
  const span = (link: SceneLink): number => (layer.get(link.to) ?? 0) - (layer.get(link.from) ?? 0);
  // each target keeps its shortest link; its other links longer than MAX_SPAN go to references
  const kept = new Map<string, SceneLink>();
  for (const link of scene.links) {
    const best = kept.get(link.to);
    if (!best || span(link) < span(best)) kept.set(link.to, link);
  }
  const byId = new Map(scene.boxes.map((b) => [b.id, b]));
  const boxes: SceneBox[] = [...scene.boxes];
  const links: SceneLink[] = scene.links.map((link) => {
    if (kept.get(link.to) === link || span(link) <= MAX_SPAN) return link;
    const target = byId.get(link.to)!;
    const ref = `${link.to}@${link.id}`;
    boxes.push({ id: ref, kind: 'ref', node: target.node, root: false, lines: target.lines.slice(0, 2).map((line, i) => (i === 0 ? { ...line, text: `↪ ${line.text}` } : line)) });
    return { ...link, to: ref };
  });
  return { boxes, links };
}

/** Space between a box and the references drawn beside it. */
const REF_GAP = 18;

/**
 * Positions every box and link of `scene`. Boxes and labels are sized to fit their text in
 * `scene` and in each of `alsoFit` (the same graph at other points of a step-through), so the
 * picture does not move while stepping. Big graphs: references (see withReferences) are not laid
 * out by dagre but placed beside the box that uses them, half on each side, in room dagre keeps
 * free for them; their labels sit on the drawn line.
 */
export function layoutScene(original: Scene, metrics: Metrics = DEFAULT_METRICS, alsoFit: readonly Scene[] = []): Placement {
  const scene = withReferences(original);
  const sizes = new Map<string, { width: number; height: number }>();
  const labels = new Map<string, { width: number; height: number }>();
  for (const s of [scene, ...alsoFit.map(withReferences)]) {
    for (const box of s.boxes) {
      const size = boxSize(box, metrics);
      const had = sizes.get(box.id);
      sizes.set(box.id, had ? { width: Math.max(had.width, size.width), height: Math.max(had.height, size.height) } : size);
    }
    for (const link of s.links) {
      const size = labelSize(link.label, metrics);
      const had = labels.get(link.id);
      labels.set(link.id, had ? { width: Math.max(had.width, size.width), height: Math.max(had.height, size.height) } : size);
    }
  }
  const big = scene.boxes.length > REFERENCE_THRESHOLD;
  const kindOf = new Map(scene.boxes.map((b) => [b.id, b.kind]));
  // references by the box they hang beside: left column, right column
  const beside = new Map<string, { left: SceneLink[]; right: SceneLink[] }>();
  for (const link of scene.links) {
    if (kindOf.get(link.to) !== 'ref') continue;
    const sides = beside.get(link.from) ?? beside.set(link.from, { left: [], right: [] }).get(link.from)!;
    (sides.right.length <= sides.left.length ? sides.right : sides.left).push(link);
  }
  const column = (links: SceneLink[]) => ({
    width: Math.max(0, ...links.map((l) => sizes.get(l.to)!.width)),
    height: links.reduce((h, l) => h + sizes.get(l.to)!.height, 0) + Math.max(0, links.length - 1) * 8,
  });
  const reserved = (id: string): { width: number; height: number; side: number } => {
    const own = sizes.get(id)!;
    const sides = beside.get(id);
    if (!sides) return { ...own, side: 0 };
    const side = Math.max(column(sides.left).width, column(sides.right).width) + labelRoom(sides, labels);
    return { width: own.width + 2 * (side + REF_GAP), height: Math.max(own.height, column(sides.left).height, column(sides.right).height), side };
  };

  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, edgesep: 14, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  // Big graphs: labels go on the drawn line instead of being layout nodes (which double the
  // layers), and layers come from rankFromRoots: dagre's own ranking took seconds.
  // dagre also takes a ranking function (its types list only the names).
  if (big) g.setGraph({ ...g.graph(), ranksep: 46 + Math.ceil(metrics.fontSize * metrics.lineHeight), ranker: rankFromRoots as unknown as GraphLabel['ranker'] });
  for (const box of scene.boxes) if (box.kind !== 'ref') g.setNode(box.id, reserved(box.id));
  for (const link of scene.links) {
    if (kindOf.get(link.to) === 'ref') continue;
    const label = labels.get(link.id)!;
    g.setEdge(link.from, link.to, big ? { minlen: 1 } : { width: label.width, height: label.height, labelpos: 'c', minlen: 1 }, link.id);
  }
  dagre.layout(g);

  const placed = new Map<string, PlacedBox>();
  for (const box of scene.boxes) {
    if (box.kind === 'ref') continue;
    const n = g.node(box.id);
    const own = sizes.get(box.id)!;
    // the box sits centred at the top of the room kept for it
    placed.set(box.id, { ...box, x: n.x! - own.width / 2, y: n.y! - n.height / 2, width: own.width, height: own.height });
  }
  const links: PlacedLink[] = [];
  const refBoxes: PlacedBox[] = [];
  for (const [from, sides] of beside) {
    const host = placed.get(from)!;
    const side = reserved(from).side;
    for (const [list, dir] of [[sides.left, -1], [sides.right, 1]] as const) {
      let y = host.y;
      for (const link of list) {
        const size = sizes.get(link.to)!;
        const x = dir > 0 ? host.x + host.width + REF_GAP + side - size.width : host.x - REF_GAP - side;
        refBoxes.push({ ...scene.boxes.find((b) => b.id === link.to)!, x, y, width: size.width, height: size.height });
        const start = { x: dir > 0 ? host.x + host.width : host.x, y: y + size.height / 2 };
        const end = { x: dir > 0 ? x : x + size.width, y: y + size.height / 2 };
        links.push({ ...link, points: [start, end], labelX: (start.x + end.x) / 2, labelY: start.y });
        y += size.height + 8;
      }
    }
  }
  for (const link of scene.links) {
    if (kindOf.get(link.to) === 'ref') continue;
    const e = g.edge({ v: link.from, w: link.to, name: link.id });
    const points = (e.points ?? []).map((p: Point) => ({ x: p.x, y: p.y }));
    // dagre ends lines at the room kept for a box; move the ends onto the box itself
    const from = placed.get(link.from)!;
    const to = placed.get(link.to)!;
    if (points.length > 0) {
      points[0] = { x: clamp(points[0].x, from.x, from.x + from.width), y: from.y + from.height };
      points[points.length - 1] = { x: clamp(points[points.length - 1].x, to.x, to.x + to.width), y: to.y };
    }
    const mid = halfway(points);
    links.push({ ...link, points, labelX: big ? mid.x : (e.x ?? mid.x), labelY: big ? mid.y : (e.y ?? mid.y) });
  }
  const order = new Map(scene.links.map((l, i) => [l.id, i]));
  links.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const graph = g.graph();
  return { boxes: [...placed.values(), ...refBoxes], links, width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0) };
}

/** Width a side column needs for the labels of its links. */
function labelRoom(sides: { left: SceneLink[]; right: SceneLink[] }, labels: Map<string, { width: number }>): number {
  return Math.max(0, ...[...sides.left, ...sides.right].map((l) => labels.get(l.id)?.width ?? 0));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/**
 * Layers for big graphs: each node one layer below its lowest parent (O(nodes + links)). dagre's
 * own ranker (network simplex) is what made a 200-node graph take seconds; withReferences
 * already keeps links short, so there is little for it to improve.
 */
function rankFromRoots(graph: DagreGraph<GraphLabel, NodeLabel, EdgeLabel>): void {
  const pending = new Map<string, number>();
  const ready: string[] = [];
  for (const v of graph.nodes()) {
    const count = graph.inEdges(v)?.length ?? 0;
    pending.set(v, count);
    graph.node(v).rank = 0;
    if (count === 0) ready.push(v);
  }
  for (let i = 0; i < ready.length; i++) {
    const v = ready[i];
    const rank = graph.node(v).rank!;
    for (const e of graph.outEdges(v) ?? []) {
      const child = graph.node(e.w);
      child.rank = Math.max(child.rank!, rank + (graph.edge(e).minlen ?? 1));
      const left = pending.get(e.w)! - 1;
      pending.set(e.w, left);
      if (left === 0) ready.push(e.w);
    }
  }
}

/** The point halfway along a polyline. */
function halfway(points: readonly Point[]): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const d = Math.hypot(b.x - a.x, b.y - a.y);
    if (d >= left && d > 0) return { x: a.x + ((b.x - a.x) * left) / d, y: a.y + ((b.y - a.y) * left) / d };
    left -= d;
  }
  return points[points.length - 1];
}
