// One step of backward() written out: which node runs, the gradient it received, and for each
// input the chain rule with the real numbers it used (the values the node saved, the gradient
// it sent). Formulas are written per PyTorch node name; an unknown node still shows its numbers.
import type { BackwardPass, BackwardStep, RecordedGraph, TensorSummary } from '../../src-main/contract/graph';
import { elementOf, fmtNum, fmtTensor } from './format';
import { symbolOf } from './scene';
import type { GraphStrings } from './strings';

export interface StepText {
  readonly heading: string;
  /** Lines of math: each `formula = numbers = result`. */
  readonly lines: readonly string[];
  /** A sentence in words about the step. */
  readonly note: string | null;
}

/** A result: the followed element, or the whole (short) tensor. */
function valueText(s: TensorSummary | null | undefined, element: number | null): string {
  if (!s) return '?';
  if (element !== null && s.numel > 1) {
    const v = elementOf(s, element);
    return v === undefined ? '?' : fmtNum(v);
  }
  return s.numel === 1 ? fmtNum(s.values[0]) : fmtTensor(s, 6);
}

/** The same as an operand of × or ÷, where a negative number is bracketed: 0.5 × (-114). */
function operandText(s: TensorSummary | null | undefined, element: number | null): string {
  return paren(valueText(s, element));
}

/** A negative number inside a product is bracketed: 0.5 × (-114). */
function paren(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

function inputShapeNumel(graph: RecordedGraph, node: number, input: number): number {
  return graph.nodes[node].inputs[input]?.shape.reduce((a, b) => a * b, 1) ?? 1;
}

export function explainStep(graph: RecordedGraph, pass: BackwardPass, index: number, strings: GraphStrings, element: number | null = null): StepText {
  const step: BackwardStep = pass.steps[index];
  const node = graph.nodes[step.node];
  const rootSymbol = symbolOf(graph, pass.steps[0]?.node ?? step.node);
  const d = (sym: string): string => `∂${rootSymbol}/∂${sym}`;
  const own = symbolOf(graph, step.node);
  const heading = strings.stepHeading(node.name);
  const gIn = valueText(step.gradIn, element);
  const g = operandText(step.gradIn, element);
  const lines: string[] = [index === 0 ? `${d(own)} = ${gIn}  (${strings.seedWord})` : `${d(own)} = ${gIn}`];

  if (node.leaf) {
    const leafName = node.leaf.names[0] ?? own;
    const before = step.gradBefore ?? null;
    const after = valueText(step.gradAfter, element);
    if (before === null) lines.push(`${leafName}.grad = ${d(own)} = ${after}`);
    else lines.push(`${leafName}.grad = ${leafName}.grad + ${d(own)} = ${valueText(before, element)} + ${g} = ${after}`);
    return { heading, lines, note: before === null ? strings.gradWasNone(leafName) : strings.gradAdds(leafName) };
  }

  const outputNumel = step.gradIn?.numel ?? 1;
  const edgeTo = (input: number): string => {
    const edge = graph.edges.find((e) => e.from === step.node && e.input === input);
    if (!edge) return `input ${input}`;
    if (edge.to !== null) return symbolOf(graph, edge.to);
    return edge.names?.[0] ?? strings.constantWord;
  };
  let note: string | null = null;
  for (const out of step.out) {
    const target = edgeTo(out.input);
    const result = valueText(out.grad, element !== null && (out.grad?.numel ?? 1) > 1 ? element : null);
    const summed = (out.grad?.numel ?? 1) < outputNumel;
    const sigma = summed ? 'Σ ' : '';
    const other = (i: number): string => (step.saved[i] ? operandText(step.saved[i], summed ? null : element) : '?');
    const gFull = summed ? operandText(step.gradIn, null) : g;
    let formula: string;
    let numbers: string | null;
    switch (node.name) {
      case 'MeanBackward0': {
        const n = inputShapeNumel(graph, step.node, out.input);
        formula = `${d(target)} = ${d(own)} ÷ ${n}`;
        numbers = `${g} ÷ ${n}`;
        note = strings.meanNote(n);
        break;
      }
      case 'SumBackward0':
        formula = `${d(target)} = ${d(own)}`;
        numbers = null;
        note = strings.sumNote(inputShapeNumel(graph, step.node, out.input));
        break;
      case 'PowBackward0': {
        const e = node.attrs.exponent;
        const power = typeof e === 'number' && e === 2 ? target : `${target}^${typeof e === 'number' ? fmtNum(e - 1) : '(e-1)'}`;
        formula = `${d(target)} = ${d(own)} × ${typeof e === 'number' ? fmtNum(e) : 'e'} × ${power}`;
        numbers = typeof e === 'number' && e === 2 ? `${g} × 2 × ${other(0)}` : null;
        break;
      }
      case 'AddBackward0':
      case 'SubBackward0': {
        const negate = node.name === 'SubBackward0' && out.input === 1;
        formula = `${d(target)} = ${sigma}${negate ? '-' : ''}${d(own)}`;
        numbers = summed ? `${sigma}${negate ? '-' : ''}${gFull}` : null;
        if (summed) note = strings.broadcastNote(target, outputNumel);
        break;
      }
      case 'MulBackward0': {
        const otherInput = out.input === 0 ? 1 : 0;
        formula = `${d(target)} = ${sigma}${d(own)} × ${edgeTo(otherInput)}`;
        numbers = `${sigma}${gFull} × ${other(otherInput)}`;
        if (summed) note = strings.broadcastNote(target, outputNumel);
        break;
      }
      case 'DivBackward0':
        formula = out.input === 0 ? `${d(target)} = ${d(own)} ÷ ${edgeTo(1)}` : `${d(target)} = -${d(own)} × ${edgeTo(0)} ÷ ${edgeTo(1)}²`;
        numbers = out.input === 0 ? `${gFull} ÷ ${other(1)}` : `-${gFull} × ${other(0)} ÷ ${other(1)}²`;
        break;
      default:
        formula = `${d(target)}`;
        numbers = null;
        note = strings.otherRule(node.name);
    }
    lines.push(numbers ? `${formula} = ${numbers} = ${result}` : `${formula} = ${result}`);
  }
  return { heading, lines, note };
}

/** Lesson 2: a root with more than one number cannot start backward() on its own. */
export function vectorRoot(graph: RecordedGraph): { name: string; numel: number } | null {
  const root = graph.roots[graph.roots.length - 1];
  if (!root || root.backward || !root.value || root.value.numel <= 1) return null;
  return { name: symbolOf(graph, root.node), numel: root.value.numel };
}
