# Lesson 5's loop (six frog pixels): a print between the loss and backward() on some epochs.
import time
import torch
torch.manual_seed(0)
n = 6
epochs = 2000
x = torch.rand(n)
y = torch.rand(n)
w = torch.ones(n, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
start = time.perf_counter()
for epoch in range(epochs):
    y_hat = w * x + b
    loss = (y_hat - y).pow(2).mean()
    if epoch == 0 or epoch == 9 or epoch == 99 or epoch == 999:
        print(f"frog, epoch {epoch + 1}: loss {loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad.zero_()
    b.grad.zero_()
elapsed = time.perf_counter() - start
print(f"loss {loss.item()}")
print(f"us_per_epoch {elapsed / epochs * 1e6:.1f}")
