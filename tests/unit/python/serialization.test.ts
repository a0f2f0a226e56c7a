// torch.save / torch.load keep files in a store of the program's own (modules/torch/serialization.ts).
// What a fixture cannot show: saving a whole model of the program's own class (run_torch.py execs
// the program outside __main__, so real pickle cannot find the class there: the expected output
// below is PyTorch 1.13's for the same program run as a script), and that one program never sees
// another's files.
import { describe, expect, it } from 'vitest';
import { runPythonToString } from '../../../src-main/python/index';

const WHOLE_MODEL = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.out = nn.Linear(3, 1)
        self.scale = 2.0

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x))) * self.scale


torch.manual_seed(1)
net = Net()
net.eval()
torch.save(net, 'net.pt')
loaded = torch.load('net.pt')
print(loaded)
print(type(loaded).__name__, loaded.training, loaded.scale, loaded is net)
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
print(loaded(x))
print(torch.equal(loaded(x), net(x)))
with torch.no_grad():
    net.out.bias.fill_(5.0)
print(loaded.out.bias, net.out.bias)
print([n for n, p in loaded.named_parameters()], all(p.requires_grad for p in loaded.parameters()))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


torch.save({'p': Point(1, torch.tensor([2.0]))}, 'point.pt')
p = torch.load('point.pt')['p']
print(type(p).__name__, p.x, p.y)
`;

/** /usr/bin/python3 whole_model.py with PyTorch 1.13 */
const WHOLE_MODEL_OUT = `Net(
  (hidden): Linear(in_features=2, out_features=3, bias=True)
  (out): Linear(in_features=3, out_features=1, bias=True)
)
Net False 2.0 False
tensor([[0.3467],
        [0.7625]], grad_fn=<MulBackward0>)
True
Parameter containing:
tensor([0.2109], requires_grad=True) Parameter containing:
tensor([5.], requires_grad=True)
['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias'] True
Point 1 tensor([2.])
`;

describe('torch.save / torch.load', () => {
  it("saves a whole model of the program's own class and a plain instance, copied with their attributes", () => {
    expect(runPythonToString(WHOLE_MODEL).output).toBe(WHOLE_MODEL_OUT);
  });

  it('keeps files per program: a later program cannot load what an earlier one saved', () => {
    expect(runPythonToString("import torch\ntorch.save(torch.ones(2), 'shared.pt')\nprint(torch.load('shared.pt'))").output).toBe('tensor([1., 1.])\n');
    expect(runPythonToString("import torch\ntorch.load('shared.pt')").output).toBe("FileNotFoundError: [Errno 2] No such file or directory: 'shared.pt'\n");
  });

  it('names what it cannot save', () => {
    const out = runPythonToString("import torch\ndef f():\n    return 1\ntorch.save({'f': f}, 'f.pt')").output;
    expect(out).toBe("NotImplementedError: GradLab's torch.save does not support saving a 'function' object yet; save tensors, numbers, strings and lists, tuples or dicts of them (a model's state_dict())\n");
  });

  it('copies at save time and again at every load, keeping views on one storage', () => {
    const out = runPythonToString(
      "import torch\nt = torch.zeros(3)\ntorch.save([t, t[1:]], 'v.pt')\nt.fill_(7)\na, b = torch.load('v.pt')\nb[0] = 1\nprint(t, a, torch.load('v.pt')[0])",
    ).output;
    expect(out).toBe('tensor([7., 7., 7.]) tensor([0., 1., 0.]) tensor([0., 0., 0.])\n');
  });
});
