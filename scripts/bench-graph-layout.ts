// Lays out a 200-node autograd graph (recorded from a real program through GradLab's runner) the
// way the graph view does, and prints the time: median and worst of several rounds after a
// warm-up. Goal: under 200 ms. Run: npm run bench:graph [-- --nodes 200 --rounds 15]
import { runPython } from '../src-main/python/index';
import { buildScene, defaultPass } from '../src-renderer/graph/scene';
import { layoutScene } from '../src-renderer/graph/layout';
import { graphStrings } from '../src-renderer/graph/strings';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const targetNodes = arg('nodes', 200);
const rounds = arg('rounds', 15);

// each iteration adds MulBackward0 and AddBackward0, and every one reads the leaves w and x:
// long edges across the whole graph, the hard case for a layered layout
const iterations = Math.max(1, Math.round((targetNodes - 2) / 2));
const program = `import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -0.5], requires_grad=True)
h = x
for i in range(${iterations}):
    h = h * w + x
loss = h.sum()
loss.backward()
`;
const result = runPython(program, { write: () => {}, recordGraph: { nodeLimit: 100_000 } });
if (!result.graph?.ok) throw new Error(`the program built no graph: ${result.ok ? '' : result.errorLine}`);
const graph = result.graph.graph;
const strings = graphStrings.en;
const pass = defaultPass(graph);

/** One layout as the view does it: the scene after and before backward (sizes of both). Wall and CPU ms. */
function once(): { wall: number; cpu: number } {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const final = buildScene(graph, { pass, done: 'all' }, strings);
  const before = buildScene(graph, { pass, done: 0 }, strings);
  layoutScene(final, undefined, [before]);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 };
}

once(); // warm-up (JIT)
const runs = Array.from({ length: rounds }, once);
const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const wall = median(runs.map((r) => r.wall));
const cpu = median(runs.map((r) => r.cpu));
const worst = Math.max(...runs.map((r) => r.wall));
// On a busy machine wall time includes waiting for a core; CPU time is the layout's own work.
console.log(
  `graph layout: ${graph.nodes.length} nodes, ${graph.edges.length} edges; median ${wall.toFixed(1)} ms wall (${cpu.toFixed(1)} ms CPU), worst ${worst.toFixed(1)} ms, ${rounds} rounds; goal < 200 ms: ${wall < 200 ? 'PASS' : cpu < 200 ? 'PASS by CPU time (the machine is busy)' : 'FAIL'}`,
);
