// `w -= lr * w.grad` runs as one fused engine pass (fusion.ts fusedScaledUpdate, engine
// addScaledInPlace): the values must be exactly those of the two steps PyTorch runs, and every
// case the fused kernel does not cover must behave as written.
import { describe, expect, it } from 'vitest';
import { runPythonToString } from '../../../src-main/python/index';

// `w * x + b` runs as one engine pass too (fusion.ts fusedMulAdd, engine Tensor.mulAdd).
const MUL_ADD_PROGRAM = "import torch\ntorch.manual_seed(0)\nn = 4099\nx = torch.rand(n) * 4 - 2\nw = torch.randn(n, requires_grad=True)\nb = torch.tensor(0.25, requires_grad=True)\ny_hat = w * x + b\nprint(y_hat.grad_fn.name(), y_hat.requires_grad, y_hat.shape)\nloss = (y_hat ** 2).mean()\nloss.backward()\nprint(repr(sum(y_hat.tolist())), repr(sum(w.grad.tolist())), b.grad)\nz = w * w + b\nz.sum().backward()\nprint(z.grad_fn.name(), repr(sum(z.tolist())), repr(sum(w.grad.tolist())), b.grad)\nk = 3\nc = x * x + k\nprint(c.grad_fn is None, c.requires_grad, repr(sum(c.tolist())))\nd = x * w + 1.5\nprint(d.grad_fn.name(), repr(sum(d.tolist())))\nwith torch.no_grad():\n    e = w * x + b\nprint(e.grad_fn is None, e.requires_grad, repr(sum(e.tolist())))\nm = torch.ones(3, n)\nf = m * x + b\nprint(f.shape, f.grad_fn.name())\ntry:\n    g = w * torch.ones(5) + b\nexcept RuntimeError as err:\n    print(\"RuntimeError:\", err)\ntry:\n    g = w * x + undefined_name\nexcept NameError as err:\n    print(\"NameError:\", err)\n";
const MUL_ADD_EXPECTED = "AddBackward0 True torch.Size([4099])\n984.4470597058535 -0.016446921499529754 tensor(0.4803)\nAddBackward0 5117.109287828207 99.82501795061398 tensor(4099.4805)\nTrue False 17710.05247783661\nAddBackward0 6108.197056591511\nTrue False 984.4470597058535\ntorch.Size([3, 4099]) AddBackward0\nRuntimeError: The size of tensor a (4099) must match the size of tensor b (5) at non-singleton dimension 0\nNameError: name 'undefined_name' is not defined\n";

// Output of real PyTorch 1.13.1 (../shared/torch-reference/run_torch.py) for this program.
const PROGRAM = "import torch\ntorch.manual_seed(0)\nn = 4099\nx = torch.rand(n)\ny = torch.rand(n)\nw = torch.ones(n, requires_grad=True)\nb = torch.tensor(0.0, requires_grad=True)\nfor epoch in range(25):\n    loss = ((w * x + b - y) ** 2).mean()\n    loss.backward()\n    with torch.no_grad():\n        w -= 0.37 * w.grad\n        b -= w.grad.mean() * 0.5\n        w += w.grad * 3\n        w -= 2 * w.grad\n    w.grad.zero_()\n    b.grad.zero_()\nprint(f\"{loss.item():.8f} {w.sum().item():.6f} {b.item():.8f}\")\nprint(w.sum())\nprint(repr(sum(w.tolist())), repr(sum(v * v for v in w.tolist())))\ntry:\n    w -= 0.1 * x\nexcept RuntimeError as e:\n    print(\"RuntimeError:\", e)\nz = torch.ones(300)\nz -= 0.5 * torch.tensor(2.0)\nprint(z.sum())\nk = 10\nk -= 2 * 3\nprint(k)\n";
const EXPECTED = "0.16650875 4101.493164 -0.00048276\ntensor(4101.4932, grad_fn=<SumBackward0>)\n4101.493343055248 4104.000920047909\nRuntimeError: a leaf Variable that requires grad is being used in an in-place operation.\ntensor(0.)\n4\n";

describe('fused in-place update x -= a * b', () => {
  it('prints exactly what PyTorch prints (float32 bits of every weight, errors, fallbacks)', () => {
    expect(runPythonToString(PROGRAM).output).toBe(EXPECTED);
  });

  it('gives the same bits as the unfused two-step form', () => {
    const fused = PROGRAM;
    const twoStep = PROGRAM.replace('w -= 0.37 * w.grad', 'step = 0.37 * w.grad\n        w -= step')
      .replace('w += w.grad * 3', 'step = w.grad * 3\n        w += step');
    expect(twoStep).not.toBe(fused);
    expect(runPythonToString(twoStep).output).toBe(runPythonToString(fused).output);
  });
});

describe('fused a * b + c', () => {
  it('prints exactly what PyTorch prints (values, grad_fn, gradients through both ops, fallbacks, errors in order)', () => {
    expect(runPythonToString(MUL_ADD_PROGRAM).output).toBe(MUL_ADD_EXPECTED);
  });
});
