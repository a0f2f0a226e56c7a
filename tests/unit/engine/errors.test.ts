// Every case of tests/fixtures/engine/gen_errors.py, rebuilt with the engine's TypeScript API:
// the same exception type and exact message as PyTorch 1.13.1, or the same repr on success.
import { describe, expect, it } from 'vitest';
import { Tensor, TorchError, torch, pyFloat } from '../../../src-main/engine';
import { reprFloat } from '../../../src-main/engine/pyfloat';
import { readFixture } from './helpers';

interface Case {
  label: string;
  ok: boolean;
  repr?: string;
  error?: string;
  message?: string;
}
const fixture = readFixture<{ cases: Case[] }>('errors.json');

const f32 = { dtype: 'float32' as const };
const w = (): Tensor => torch.tensor([1, 2], { ...f32, requiresGrad: true });
const s = (): Tensor => torch.tensor(3, { ...f32, requiresGrad: true });
const ones = (...shape: number[]): Tensor => torch.ones(shape);
const pyBool = (b: boolean): string => (b ? 'True' : 'False');
const tuple = (...items: string[]): string => `(${items.join(', ')})`;
function pyList(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyList).join(', ')}]`;
  if (typeof v === 'boolean') return pyBool(v);
  return reprFloat(v as number);
}

function twice(make: (t: Tensor) => Tensor): () => Tensor {
  return () => {
    const leaf = s();
    const out = make(leaf);
    out.backward();
    out.backward();
    return leaf.grad!;
  };
}

const CASES: Record<string, () => unknown> = {
  broadcast_1d: () => ones(2).add(ones(3)),
  broadcast_2d: () => ones(2, 3).mul(ones(3, 2)),
  backward_vector: () => w().mul(2).backward(),
  backward_no_grad_fn: () => ones(2).sum().backward(),
  inplace_leaf: () => w().sub_(torch.tensor([3, 4], f32).mul(0.01)),
  inplace_leaf_zero: () => w().zero_(),
  inplace_view_leaf: () => w().index(0).add_(1),
  modified_saved: () => {
    const y = w().mul(2);
    const z = y.mul(y);
    y.add_(1);
    z.sum().backward();
  },
  requires_grad_nonleaf: () => w().mul(2).requiresGrad_(false),
  requires_grad_int: () => torch.tensor([1, 2]).requiresGrad_(),
  factory_requires_grad_int: () => torch.tensor([1, 2], { requiresGrad: true }),
  second_backward_mul: twice((t) => t.mul(t)),
  second_backward_pow: twice((t) => t.pow(2)),
  second_backward_exp: twice((t) => t.exp()),
  second_backward_add: twice((t) => t.add(2)),
  second_backward_mean: twice((t) => t.add(ones(2)).mean()),
  retain_graph: () => {
    const leaf = s();
    const out = leaf.mul(leaf);
    out.backward(undefined, { retainGraph: true });
    out.backward();
    return leaf.grad;
  },
  item_multi: () => ones(2).item(),
  index_out_of_range: () => ones(2).index(5),
  index_negative_out_of_range: () => ones(2).index(-3),
  index_0d: () => torch.tensor(1, f32).index(0),
  view_bad: () => ones(2).view([3]),
  view_two_inferred: () => ones(4).view([-1, -1]),
  reshape_bad: () => ones(6).reshape([4, -1]),
  matmul_mm: () => ones(2, 3).matmul(ones(2, 3)),
  matmul_dot: () => ones(3).matmul(ones(2)),
  matmul_mv: () => ones(2, 3).matmul(ones(2)),
  matmul_vm: () => ones(3).matmul(ones(2, 3)),
  matmul_0d: () => torch.tensor(1, f32).matmul(ones(2)),
  sum_dim_out_of_range: () => ones(2).sum(1),
  sum_dim_out_of_range_2d: () => ones(2, 2).sum(-3),
  mean_int: () => torch.tensor([1, 2]).mean(),
  inplace_int_float: () => torch.tensor([1, 2]).add_(1.5),
  inplace_broadcast: () => ones(2).add_(ones(2, 2)),
  backward_gradient_shape: () => w().mul(2).backward(ones(3)),
  neg_bool: () => torch.tensor([true]).neg(),
  sub_bool: () => torch.tensor([true]).sub(torch.tensor([true])),
  int_negative_power: () => torch.tensor([1, 2]).pow(-1),
  ragged: () => torch.tensor([[1, 2], [3]]),
  size_out_of_range: () => ones(2, 3).size(2),
  nograd_inplace: () => {
    const t = w();
    torch.noGrad(() => t.sub_(torch.tensor([1, 1], f32).mul(pyFloat(0.5))));
    return t;
  },
  nested_no_grad: () => {
    const t = w();
    let y: Tensor | undefined;
    torch.noGrad(() => {
      torch.noGrad(() => undefined);
      y = t.mul(2);
    });
    const z = t.mul(2);
    return tuple(pyBool(y!.requiresGrad), pyBool(z.requiresGrad));
  },
  exception_in_no_grad: () => {
    const t = w();
    try {
      torch.noGrad(() => {
        throw new Error('boom');
      });
    } catch {
      // expected
    }
    return pyBool(t.mul(2).requiresGrad);
  },
  inplace_graph: () => {
    const t = w();
    const y = t.mul(2);
    y.mul_(t);
    y.sum().backward();
    return tuple(y.toString(), t.grad!.toString());
  },
  accumulate: () => {
    const t = s();
    for (let i = 0; i < 3; i++) t.mul(3).mul(t).backward();
    return t.grad;
  },
  backward_gradient: () => {
    const t = w();
    t.mul(2).backward(torch.tensor([1, 0.5]));
    return t.grad;
  },
  zero_nonleaf: () => w().mul(2).zero_(),
  detach_inplace: () => w().detach().add_(1),
  int_div: () => torch.tensor([1, 2]).div(2),
  int_mul_float: () => torch.tensor([1, 2]).mul(1.5),
  int_add_int: () => torch.tensor([1, 2]).add(3),
  bool_add: () => torch.tensor([true, false]).add(torch.tensor([true, true])),
  bool_sum: () => torch.tensor([true, false, true]).sum(),
  int_sum: () => torch.tensor([[1, 2], [3, 4]]).sum(0),
  arange_int: () => torch.arange(5),
  arange_float: () => torch.arange(0, 1, 0.25),
  linspace: () => torch.linspace(0, 1, 5),
  linspace_long: () => torch.linspace(-3, 7, 23),
  full_int: () => torch.full([2], 3),
  full_bool: () => torch.full([2], true),
  tolist_float: () => pyList(torch.tensor([[1.5, 2.0], [3.0, 0.1]]).tolist()),
  float_div_zero: () => torch.tensor([1, -1, 0], f32).div(0),
};

describe('errors and results match PyTorch 1.13.1 (fixtures/engine/errors.json)', () => {
  it('covers every fixture case', () => {
    expect(Object.keys(CASES).sort()).toEqual(fixture.cases.map((c) => c.label).sort());
  });
  for (const c of fixture.cases) {
    it(c.label, () => {
      const run = CASES[c.label];
      if (c.ok) {
        const r = run();
        expect(typeof r === 'string' ? r : String(r)).toBe(c.repr);
      } else {
        let caught: unknown;
        try {
          run();
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(TorchError);
        expect((caught as TorchError).pyType).toBe(c.error);
        expect((caught as TorchError).message).toBe(c.message);
      }
    });
  }
});
