# The lessons' loop with b of shape [1] (torch.zeros(1)) instead of a 0-d b.
import time
import torch
torch.manual_seed(0)
n = 2
epochs = 2000
x = torch.rand(n)
y = torch.rand(n)
w = torch.ones(n, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
learning_rate = 0.01
start = time.perf_counter()
for epoch in range(epochs):
    y_hat = w * x + b
    loss = (y_hat - y).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
elapsed = time.perf_counter() - start
print(f"loss {loss.item()}")
print(f"us_per_epoch {elapsed / epochs * 1e6:.1f}")
