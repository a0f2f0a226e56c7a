// V8 runs fresh code in its interpreter and compiles hot functions only after many calls, so
// the first few thousand epochs of a fresh runner are several times slower than the rest.
// A runner that is about to be used runs this small lesson-shaped program first, so the
// learner's own loop starts on optimised code: the pyrun CLI before the user's program, and the
// app's Python workers while they wait as the spare for the next cell (a fresh worker runs
// each cell, so Stop can end it at once). Nothing of it is visible to the learner's program: it
// prints nowhere, the random generator is put back as it was, it changes no print options,
// and each runPython call starts with fresh modules and names.
import { defaultGenerator } from '../engine/random';
import { runPython } from './index';

/**
 * Exercises the paths the lessons use, at 2 values (plain JavaScript kernels) and at 1,024
 * (the arena, WebAssembly kernels and vectorised sums), alternating so the compiled code
 * expects both: torch.rand, the fused `w * x + b` and `w -= lr * w.grad`, both spellings of
 * the squared error, backward, no_grad, zero_, .item(), tensor printing and f-strings.
 */
/** One lesson loop on n values; x, y and w live at module level, as in the lessons. */
const phase = (n: number, epochs: string): string => `
x = torch.rand(${n})
y = torch.rand(${n})
w = torch.ones(${n}, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
for epoch in range(${epochs}):
    y_hat = w * x + b
    loss = (y_hat - y).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 500 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f}", w, b, ((y_hat - y) ** 2).mean())
`;

/**
 * Lesson 6's loops: torch.optim.SGD's zero_grad and step, nn.Linear with nn.MSELoss, and losses
 * written by hand that the fusion pass does not turn into one fused epoch (the lesson loops
 * above are fused whole), so the engine's op-by-op path (graph recording, broadcasting, the
 * backward pass) is compiled too. Without it, lesson 6's comparison loop took 240 µs of CPU per
 * epoch in a fresh runner (PyTorch: 240), with it 140; a 2-value loop with optimizer.step()
 * 90-98 µs, with it 37-39 (PyTorch: 75-82).
 */
const optimizerPhase = (n: number, epochs: string): string => `
x = torch.rand(${n}, 1)
y = torch.rand(${n}, 1)
w = torch.ones(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
hand_optimizer = torch.optim.SGD([w, b], lr=learning_rate)
model = torch.nn.Linear(1, 1)
loss_fn = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
x1 = torch.rand(${n})
y1 = torch.rand(${n})
w1 = torch.ones(${n}, requires_grad=True)
b1 = torch.tensor(0.0, requires_grad=True)
optimizer1 = torch.optim.SGD([w1, b1], lr=learning_rate)
for epoch in range(${epochs}):
    loss = (x * w + b - y).pow(2).mean()
    hand_optimizer.zero_grad()
    loss.backward()
    hand_optimizer.step()
    nn_loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    nn_loss.backward()
    optimizer.step()
    y_hat = w1 * x1 + b1
    loss = torch.mean((y_hat - y1) ** 2) + loss_fn(y_hat, y1)
    optimizer1.zero_grad()
    loss.backward()
    optimizer1.step()
`;

// Bigger sizes first, the longest phase last, so the code V8 settles on expects every size.
const WARM_UP_PROGRAM = `
import torch
torch.manual_seed(0)
learning_rate = 0.01
${optimizerPhase(1024, 'ROUNDS // 30')}${optimizerPhase(2, 'ROUNDS // 5')}${phase(16384, 'ROUNDS // 30')}${phase(1024, 'ROUNDS // 10')}${phase(2, 'ROUNDS')}`;

/** How many epochs of the 2-value loop the warm-up runs (the other loops run a fifth to a thirtieth as many each). */
export const WARM_UP_EPOCHS = 3000;

/** Epochs of the short last warm-up program: enough that each of its loops turns at least once. */
const FLUSH_ROUNDS = 30;

/**
 * Runs the warm-up program (twice, `epochs` in all); returns the milliseconds it took. Throws
 * if the program fails, which would mean the runner itself is broken.
 */
export function warmUpRunner(epochs = WARM_UP_EPOCHS): number {
  const start = performance.now();
  const generator = defaultGenerator.snapshot();
  try {
    // as two programs: what V8 recompiles when a new program starts is then recompiled here;
    // then a short third one: V8 compiles a function it marked as hot at its next call, and for
    // the functions marked near the end of the second program (the for-loop's driver, called
    // once per loop) that call would be the learner's timed loop (66 ms at load 16)
    const half = String(Math.ceil(epochs / 2));
    for (const rounds of [half, half, String(FLUSH_ROUNDS)]) {
      const result = runPython(WARM_UP_PROGRAM.replaceAll('ROUNDS', rounds), { write: () => {} });
      if (!result.ok) throw new Error(`the runner's warm-up program failed: ${result.errorLine}`);
    }
  } finally {
    defaultGenerator.restore(generator);
  }
  collectWarmUpGarbage();
  return performance.now() - start;
}

/**
 * Collects the warm-up's garbage now, where the process exposes gc() (the runner process runs
 * with --expose-gc; a Web Worker has none), so the learner's program starts with an empty young
 * generation and its own garbage decides when the next collection comes. Otherwise the warm-up's
 * leftovers filled the 16 MB young generation (host/runner-settings.ts) and its collection,
 * 1-15 ms, fell into the first loop: as long as a whole 2,000-epoch run at 2 values, and in some
 * runs but not others. A minor collection only: after a full one the next run was 10x slower
 * here (V8 drops code and feedback it takes for unused).
 */
function collectWarmUpGarbage(): void {
  const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
  gc?.({ type: 'minor' });
}

/**
 * The warm-up in slices, for a worker's idle time: one short run per `schedule` tick, so a
 * request that arrives waits for one slice at most; stops for good once `cancelled()` is true
 * (a program is about to run, and warms the JIT itself).
 */
export function warmUpWhileIdle(
  cancelled: () => boolean,
  schedule: (next: () => void) => void = (next) => setTimeout(next, 0),
  slices = 10,
): void {
  let done = 0;
  const step = (): void => {
    if (cancelled() || done >= slices) return;
    warmUpRunner(Math.ceil(WARM_UP_EPOCHS / slices));
    done++;
    schedule(step);
  };
  schedule(step);
}
