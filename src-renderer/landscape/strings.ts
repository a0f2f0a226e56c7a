// Text of the lab's fit, graph and landscape views in both languages. Functions take the numbers
// they need so word order can differ between languages; code (w, b, w[3]) stays as written.
import type { Lang } from '../i18n/catalogs';

/** An epoch number as the run's status writes it (71,548). */
const count = (epoch: number): string => epoch.toLocaleString('en');

export interface LabViewStrings {
  // the fitted line
  fitLabel: string;
  fitSummary: (points: number, line: string | null) => string;
  fitLine: (w: string, b: string) => string;
  fitPerValue: string;
  fitSampled: (shown: number, total: number) => string;
  fitNoData: string;
  legendPoints: string;
  legendLine: string;
  legendPrediction: string;
  // the lab's graph
  graphWaiting: string;
  graphEpoch: (epoch: number) => string;
  graphElement: (element: number) => string;
  graphBig: string;
  graphAtValues: (epoch: number) => string;
  graphEpochRebuilt: (epoch: number) => string;
  graphEpochShort: (epoch: number) => string;
  graphAtValuesShort: (epoch: number) => string;
  graphDiverged: string;
  // the landscape
  landscapeLabel: string;
  landscapeAxes: string;
  landscapeP: string;
  landscapeQ: string;
  landscapeHeld: (others: string) => string;
  landscapeShared: string;
  landscapeMinimum: (p: string, q: string, pv: string, qv: string, loss: string) => string;
  landscapeNoMinimum: string;
  landscapeAt: (p: string, q: string, pv: string, qv: string) => string;
  landscapeEpoch: (epoch: number) => string;
  landscapeBefore: string;
  landscapeClick: string;
  landscapeKeys: string;
  landscapeSetStart: (p: string, q: string, pv: string, qv: string) => string;
  landscapeStartSet: (p: string, q: string, pv: string, qv: string) => string;
  landscapeLeft: string;
  landscapeZigzagHint: string;
  landscapePath: string;
  landscapeCannot: (message: string) => string;
  landscapeNeedData: string;
  landscapeWorking: string;
  landscapeRefresh: string;
  landscapeCursor: string;
}

export const labViewStrings: Record<Lang, LabViewStrings> = {
  en: {
    fitLabel: 'The points and the fitted line',
    fitSummary: (points, line) => `${points} points (x, y)${line ? `; the line now: ${line}` : ''}.`,
    fitLine: (w, b) => `y = ${w}·x + ${b}`,
    fitPerValue:
      'This model gives every point its own w, so there is no single line: the crosses are its predictions ŷ = w[i]·x[i] + b. For one line through the points choose “One shared w and b (a line)” under Starting values.',
    fitSampled: (shown, total) => `Showing ${shown.toLocaleString('en')} of ${total.toLocaleString('en')} points (evenly spaced).`,
    fitNoData: 'No data to draw: enter x and y values under Data.',
    legendPoints: 'points (x, y)',
    legendLine: 'the line y = w·x + b',
    legendPrediction: 'predictions ŷ',
    graphWaiting: 'The graph of an epoch appears here as the run trains: press Run or Step. It is refreshed a few times a second while training.',
    graphEpoch: (epoch) => `The graph autograd built in epoch ${count(epoch)}, with its numbers.`,
    graphElement: (element) => `Element i = ${element} (change it in the arithmetic view).`,
    graphBig: 'Big tensors show their first values and element i.',
    graphAtValues: (epoch) =>
      epoch > 0
        ? `The run is not training, and the values epoch ${count(epoch)} started from were not kept (this tab was closed while it ran): this is the graph one more epoch builds from w and b after epoch ${count(epoch)} (forward and backward(), no update made), so its loss is the loss at those values, not epoch ${count(epoch)}'s.`
        : 'The graph the first epoch builds from the starting values (forward and backward(), no update made).',
    graphEpochRebuilt: (epoch) => `The graph autograd built in epoch ${count(epoch)}, with its numbers (worked out again from the values epoch ${count(epoch)} started from; the update it made is not drawn).`,
    graphEpochShort: (epoch) => `The graph of epoch ${count(epoch)}`,
    graphAtValuesShort: (epoch) => `The graph at the values after epoch ${count(epoch)} (no update)`,
    graphDiverged: 'The run diverged: its loss became nan or inf, so backward() built no graph to show. Lower the learning rate and run again.',
    landscapeLabel: 'Loss landscape',
    landscapeAxes: 'Parameters',
    landscapeP: 'Across',
    landscapeQ: 'Up',
    landscapeHeld: (others) => `The loss over these two parameters, with the others held at their current values (${others}).`,
    landscapeShared: 'The loss over w and b: the shared model has no other parameters.',
    landscapeMinimum: (p, q, pv, qv, loss) => `Lowest point: ${p} = ${pv}, ${q} = ${qv} (loss ${loss}).`,
    landscapeNoMinimum: 'This landscape has no single lowest point (a flat valley).',
    landscapeAt: (p, q, pv, qv) => `Now: ${p} = ${pv}, ${q} = ${qv}.`,
    landscapeEpoch: (epoch) => `After epoch ${count(epoch)}. The white line is the run's path.`,
    landscapeBefore: 'Before training: the starting values.',
    landscapeClick: 'Click the map (or use the arrow keys and Enter) to set the starting values there.',
    landscapeKeys: 'Arrow keys move the cross, Enter sets the starting values there.',
    landscapeSetStart: (p, q, pv, qv) => `Set starting values ${p} = ${pv}, ${q} = ${qv}`,
    landscapeStartSet: (p, q, pv, qv) => `Starting values set: ${p} = ${pv}, ${q} = ${qv}. Press Run to train from there.`,
    landscapeZigzagHint:
      'Too large a learning rate: load the preset “The same line, learning rate 0.17” and press Step a few times (one epoch each). Every step jumps across the valley and back, a zig-zag that slowly settles at the lowest point; at 0.2 the jumps grow and the path leaves the bowl.',
    landscapeLeft: 'The path has left the map: the learning rate is too large, each step overshoots the bowl.',
    landscapePath: "the run's path",
    landscapeCannot: (message) => `The landscape cannot be drawn: ${message}`,
    landscapeNeedData: 'Enter valid data and starting values to see the landscape.',
    landscapeWorking: 'Computing the landscape…',
    landscapeRefresh: 'Redraw around the path',
    landscapeCursor: 'Cross',
  },
  'zh-CN': {
    fitLabel: '数据点与拟合直线',
    fitSummary: (points, line) => `${points} 个点 (x, y)${line ? `；当前直线：${line}` : ''}。`,
    fitLine: (w, b) => `y = ${w}·x + ${b}`,
    fitPerValue: '这个模型给每个点一个自己的 w，所以没有一条统一的直线：叉号是它的预测 ŷ = w[i]·x[i] + b。想要一条穿过这些点的直线，请在“初始值和设置”中选择“共用一个 w 和 b（直线）”。',
    fitSampled: (shown, total) => `显示 ${total.toLocaleString('zh-CN')} 个点中均匀选取的 ${shown.toLocaleString('zh-CN')} 个。`,
    fitNoData: '没有可画的数据：请在“数据”中输入 x 和 y。',
    legendPoints: '数据点 (x, y)',
    legendLine: '直线 y = w·x + b',
    legendPrediction: '预测值 ŷ',
    graphWaiting: '训练时这里显示一轮的计算图：请按“运行”或“单步”。训练期间每秒刷新几次。',
    graphEpoch: (epoch) => `第 ${count(epoch)} 轮中 autograd 建立的计算图及其数值。`,
    graphElement: (element) => `元素 i = ${element}（可在“算式”视图中更改）。`,
    graphBig: '大张量显示前几个值和元素 i。',
    graphAtValues: (epoch) =>
      epoch > 0
        ? `训练没有在进行，第 ${count(epoch)} 轮开始时的数值也没有保留（它运行时这个标签页没有打开）：这是用第 ${count(epoch)} 轮之后的 w 和 b 再算一轮得到的计算图（前向和 backward()，不做更新），所以图中的损失是这些数值上的损失，不是第 ${count(epoch)} 轮的损失。`
        : '用初始值算第一轮得到的计算图（前向和 backward()，不做更新）。',
    graphEpochRebuilt: (epoch) => `第 ${count(epoch)} 轮中 autograd 建立的计算图及其数值（由第 ${count(epoch)} 轮开始时的数值重新算出；这一轮做的更新没有画出）。`,
    graphEpochShort: (epoch) => `第 ${count(epoch)} 轮的计算图`,
    graphAtValuesShort: (epoch) => `第 ${count(epoch)} 轮之后的数值上的计算图（不更新）`,
    graphDiverged: '训练发散了：损失变成了 nan 或 inf，backward() 没有建立可显示的计算图。请调小学习率后重新运行。',
    landscapeLabel: '损失地形',
    landscapeAxes: '参数',
    landscapeP: '横轴',
    landscapeQ: '纵轴',
    landscapeHeld: (others) => `这两个参数上的损失，其余参数固定在当前值（${others}）。`,
    landscapeShared: 'w 和 b 上的损失：共享模型没有其他参数。',
    landscapeMinimum: (p, q, pv, qv, loss) => `最低点：${p} = ${pv}，${q} = ${qv}（损失 ${loss}）。`,
    landscapeNoMinimum: '这个地形没有唯一的最低点（一条平坦的山谷）。',
    landscapeAt: (p, q, pv, qv) => `当前：${p} = ${pv}，${q} = ${qv}。`,
    landscapeEpoch: (epoch) => `第 ${count(epoch)} 轮之后。白线是训练走过的路径。`,
    landscapeBefore: '训练之前：初始值。',
    landscapeClick: '点击地图（或用方向键和回车）把初始值设在那里。',
    landscapeKeys: '方向键移动十字，回车把初始值设在那里。',
    landscapeSetStart: (p, q, pv, qv) => `把初始值设为 ${p} = ${pv}，${q} = ${qv}`,
    landscapeStartSet: (p, q, pv, qv) => `初始值已设为 ${p} = ${pv}，${q} = ${qv}。按“运行”从这里开始训练。`,
    landscapeZigzagHint: '学习率太大会怎样：载入预设“同一条直线，学习率 0.17”，按几次“单步”（每次一轮）。每一步都跳到山谷的另一侧再跳回来，路径呈锯齿形，慢慢才停在最低点；学习率 0.2 时跳得越来越远，路径离开碗底。',
    landscapeLeft: '路径离开了地图：学习率太大，每一步都越过了碗底。',
    landscapePath: '训练路径',
    landscapeCannot: (message) => `无法画出损失地形：${message}`,
    landscapeNeedData: '请输入有效的数据和初始值以查看损失地形。',
    landscapeWorking: '正在计算损失地形…',
    landscapeRefresh: '围绕路径重画',
    landscapeCursor: '十字',
  },
};
