# Lesson 6's loop: nn.Linear(1, 1), nn.MSELoss and optim.SGD (zero_grad, backward, step).
import time
import torch
from torch import nn, optim
torch.manual_seed(0)
n = 65536
epochs = 200
x = torch.rand(n, 1)
y = 2 * x + 4
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
start = time.perf_counter()
for epoch in range(epochs):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
elapsed = time.perf_counter() - start
print(f"loss {loss.item()}")
print(f"us_per_epoch {elapsed / epochs * 1e6:.1f}")
