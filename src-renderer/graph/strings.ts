// Text of the graph views in both languages. Functions take the numbers and names they need so
// word order can differ between languages; code (node names, variable names, .grad) stays as
// PyTorch writes it.
import type { Lang } from '../i18n/catalogs';

export interface GraphStrings {
  // boxes
  shape: (shape: string) => string;
  /** An output no variable holds, named in the step text by its op and node number. */
  unnamedOutput: (symbol: string) => string;
  rootSeed: (seed: string) => string;
  rootNoBackward: string;
  unnamedLeaf: string;
  changedSince: (now: string) => string;
  moreNodes: (limit: number) => string;
  noGradient: string;
  detachedNote: string;
  // panel
  graphButton: string;
  graphButtonTitle: string;
  dialogTitle: (cell: number) => string;
  close: string;
  graphLabel: string;
  zoomIn: string;
  zoomOut: string;
  zoomFit: string;
  canvasHelp: string;
  first: string;
  previous: string;
  next: string;
  last: string;
  stepperLabel: string;
  stepCount: (done: number, total: number) => string;
  beforeBackward: string;
  afterBackward: string;
  passChooser: string;
  passOption: (name: string, line: number | null) => string;
  noGraph: string;
  notRunYet: string;
  runningNow: string;
  truncated: (limit: number) => string;
  noBackwardYet: (root: string) => string;
  vectorRoot: (name: string, numel: number) => string;
  summary: (info: SummaryInfo) => string;
  listHeading: string;
  legendGrad: string;
  legendNone: string;
  legendDetach: string;
  // chain rule
  stepHeading: (node: string) => string;
  seedWord: string;
  constantWord: string;
  gradWasNone: (leaf: string) => string;
  gradAdds: (leaf: string) => string;
  meanNote: (n: number) => string;
  sumNote: (n: number) => string;
  broadcastNote: (target: string, n: number) => string;
  otherRule: (node: string) => string;
}

export interface SummaryInfo {
  nodes: number;
  root: string;
  rootNode: string;
  ran: boolean;
  leaves: { name: string; grad: string | null }[];
  cuts: number;
}

const zh: GraphStrings = {
  shape: (s) => `形状 ${s}`,
  unnamedOutput: (symbol) => `输出记作 ${symbol}`,
  rootSeed: (seed) => `backward() 从这里开始，梯度 ${seed}`,
  rootNoBackward: '（还没有对它调用 backward()）',
  unnamedLeaf: '（无名张量）',
  changedSince: (now) => `现在是 ${now}（backward() 之后被改过）`,
  moreNodes: (limit) => `……还有更多节点（只显示前 ${limit} 个）`,
  noGradient: '不需要梯度',
  detachedNote: 'detach() 切断：梯度不会流到这里',
  graphButton: '计算图',
  graphButtonTitle: '看这段代码建出的自动求导计算图（先运行）',
  dialogTitle: (cell) => `代码框 ${cell} 的计算图`,
  close: '关闭',
  graphLabel: '自动求导计算图',
  zoomIn: '放大',
  zoomOut: '缩小',
  zoomFit: '适合窗口',
  canvasHelp: '方向键平移，+ 和 − 缩放，0 恢复全图；也可以拖动和用滚轮缩放。',
  first: '« 开头',
  previous: '◀ 上一步',
  next: '下一步 ▶',
  last: '全部 »',
  stepperLabel: '一步一步看 backward()',
  stepCount: (done, total) => `第 ${done} 步，共 ${total} 步`,
  beforeBackward: 'backward() 还没开始：每个节点都在等梯度。按"下一步"从根节点开始。',
  afterBackward: 'backward() 走完了：每个叶子张量的 .grad 就是损失对它的梯度。',
  passChooser: '哪一次 backward()',
  passOption: (name, line) => (line === null ? `${name}.backward()` : `${name}.backward()（第 ${line} 行）`),
  noGraph: '这段代码没有建出计算图：没有哪个张量设置了 requires_grad=True，所以也没有 grad_fn。',
  notRunYet: '先运行这段代码，再看它的计算图。',
  runningNow: '代码还在运行，结束后这里会显示它的计算图。',
  truncated: (limit) => `这个计算图太大了：只显示最先找到的 ${limit} 个节点，更深的部分用"……"表示。`,
  noBackwardYet: (root) => `还没有调用 backward()：这里画的是 ${root} 的计算图。调用 ${root}.backward() 后，每条边上会显示流过的梯度。`,
  vectorRoot: (name, n) =>
    `${name} 有 ${n} 个数，不是一个标量。backward() 要从一个数出发（∂${name}/∂${name} = 1），一组数没法直接往回走，所以 PyTorch 报错"grad can be implicitly created only for scalar outputs"。先用 ${name}.sum() 或 ${name}.mean() 把它变成一个数。`,
  summary: (i) => {
    const leaves = i.leaves.map((l) => (l.grad === null ? `${l.name}（.grad 为 None）` : `${l.name}（.grad = ${l.grad}）`)).join('、');
    const head = `计算图有 ${i.nodes} 个节点，根是 ${i.root}（${i.rootNode}）。`;
    const flow = i.ran ? `backward() 从根往下走到叶子张量：${leaves || '没有叶子'}。` : `还没有调用 backward()。叶子张量：${leaves || '没有'}。`;
    return head + flow + (i.cuts > 0 ? `有 ${i.cuts} 个输入不需要梯度（常量、detach() 或 no_grad）。` : '');
  },
  listHeading: '每个节点（文字版）',
  legendGrad: '边上的数：流过这条边的梯度',
  legendNone: '虚线框 None：不需要梯度的输入',
  legendDetach: '虚线：被 detach() 切断',
  stepHeading: (node) => `${node} 运行`,
  seedWord: 'backward() 的起点',
  constantWord: '常量',
  gradWasNone: (leaf) => `${leaf}.grad 原来是 None，现在存下这个梯度。`,
  gradAdds: (leaf) => `${leaf}.grad 里已经有数，新的梯度加上去（所以训练时每轮都要清零）。`,
  meanNote: (n) => `mean 把 ${n} 个数平均，所以每个数分到梯度的 1/${n}。`,
  sumNote: (n) => `sum 把 ${n} 个数加起来，每个数都原样分到这个梯度。`,
  broadcastNote: (target, n) => `${target} 是一个数，却用在了 ${n} 个位置上，所以它的梯度是这 ${n} 个位置的梯度之和。`,
  otherRule: (node) => `${node} 按它自己的求导规则把梯度传下去。`,
};

const en: GraphStrings = {
  shape: (s) => `shape ${s}`,
  unnamedOutput: (symbol) => `output called ${symbol}`,
  rootSeed: (seed) => `backward() starts here with ${seed}`,
  rootNoBackward: '(backward() not called on it)',
  unnamedLeaf: '(unnamed tensor)',
  changedSince: (now) => `now ${now} (changed after backward())`,
  moreNodes: (limit) => `… more nodes (only the first ${limit} are shown)`,
  noGradient: 'needs no gradient',
  detachedNote: 'cut off by detach(): no gradient flows here',
  graphButton: 'Graph',
  graphButtonTitle: 'Show the autograd graph this code built (run it first)',
  dialogTitle: (cell) => `Graph of code cell ${cell}`,
  close: 'Close',
  graphLabel: 'Autograd graph',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoomFit: 'Fit',
  canvasHelp: 'Arrow keys pan, + and − zoom, 0 shows it all; you can also drag and use the mouse wheel.',
  first: '« Start',
  previous: '◀ Back',
  next: 'Step ▶',
  last: 'All »',
  stepperLabel: 'Step through backward()',
  stepCount: (done, total) => `Step ${done} of ${total}`,
  beforeBackward: 'backward() has not started: every node is waiting for its gradient. Press Step to start at the root.',
  afterBackward: "backward() is done: each leaf tensor's .grad is the gradient of the loss with respect to it.",
  passChooser: 'Which backward()',
  passOption: (name, line) => (line === null ? `${name}.backward()` : `${name}.backward() (line ${line})`),
  noGraph: 'This code built no graph: no tensor has requires_grad=True, so nothing has a grad_fn.',
  notRunYet: 'Run this code first, then look at its graph.',
  runningNow: 'The code is still running; its graph appears here when it ends.',
  truncated: (limit) => `This graph is big: only the first ${limit} nodes found are drawn; the rest is marked "…".`,
  noBackwardYet: (root) => `backward() was not called: this is the graph of ${root}. After ${root}.backward() each edge shows the gradient that flowed along it.`,
  vectorRoot: (name, n) =>
    `${name} holds ${n} numbers, not one. backward() starts from a single number (∂${name}/∂${name} = 1); from a vector there is no one place to start, so PyTorch stops with "grad can be implicitly created only for scalar outputs". Make it one number first: ${name}.sum() or ${name}.mean().`,
  summary: (i) => {
    const leaves = i.leaves.map((l) => (l.grad === null ? `${l.name} (.grad is None)` : `${l.name} (.grad = ${l.grad})`)).join(', ');
    const head = `The graph has ${i.nodes} nodes; its root is ${i.root} (${i.rootNode}). `;
    const flow = i.ran ? `backward() ran from the root down to the leaf tensors: ${leaves || 'none'}. ` : `backward() was not called. Leaf tensors: ${leaves || 'none'}. `;
    return head + flow + (i.cuts > 0 ? `${i.cuts} input(s) take no gradient (constants, detach() or no_grad).` : '');
  },
  listHeading: 'Every node, as text',
  legendGrad: 'numbers on edges: the gradient that flowed along them',
  legendNone: 'dashed None box: an input that takes no gradient',
  legendDetach: 'dashed line: cut off by detach()',
  stepHeading: (node) => `${node} runs`,
  seedWord: 'where backward() starts',
  constantWord: 'constant',
  gradWasNone: (leaf) => `${leaf}.grad was None; it now holds this gradient.`,
  gradAdds: (leaf) => `${leaf}.grad already held numbers: the new gradient is added to them (which is why training zeroes it every epoch).`,
  meanNote: (n) => `mean averages ${n} numbers, so each one gets 1/${n} of the gradient.`,
  sumNote: (n) => `sum adds ${n} numbers, so each one gets the gradient unchanged.`,
  broadcastNote: (target, n) => `${target} is one number used in ${n} places, so its gradient is the sum over those ${n} places.`,
  otherRule: (node) => `${node} passes the gradient on by its own derivative rule.`,
};

export const graphStrings: Record<Lang, GraphStrings> = { 'zh-CN': zh, en };
