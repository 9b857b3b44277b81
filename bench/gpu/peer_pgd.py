#!/usr/bin/env python3
"""Plain-PyTorch reference for advlab's resnet18 PGD-10 timing on the same machine: the same
TorchScript file, ten forward+backward passes on one 224x224 input (L-inf, eps 8/255, step eps/4,
no early stop), median of 10 after 3 warm-ups, CUDA synchronised; then a batch of N at once. Then
L2 DeepFool (10 candidates, overshoot 0.02, at most 10 iterations): bench/peer/attacks.py's loop,
on the device: per iteration one forward, one backward for the original class and one per
candidate (retain_graph); its ms per call and per iteration, batch 1.
    python3 bench/gpu/peer_pgd.py MODEL.pt [cuda|cpu] [N]
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'peer'))
from attacks import deepfool  # noqa: E402  (beside this file on the GPU machine: prepare.sh copies it)

path, dev = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'cuda')
n = int(sys.argv[3]) if len(sys.argv) > 3 else 16
m = torch.jit.load(path, map_location=dev).eval()
for p in m.parameters():
    p.requires_grad_(False)
mean = torch.tensor([0.485, 0.456, 0.406], device=dev).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=dev).view(1, 3, 1, 1)


def pgd(x0, eps=8 / 255, steps=10):
    x, label, step = x0.clone(), None, eps / 4
    for _ in range(steps):
        x.requires_grad_(True)
        logits = m((x - mean) / std)
        if label is None:
            label = logits.argmax(1).detach()
        grad, = torch.autograd.grad(F.cross_entropy(logits, label, reduction='sum'), x)
        with torch.no_grad():
            x = (x0 + (x + step * grad.sign() - x0).clamp(-eps, eps)).clamp(0, 1)
    return x


def timed(attack, batch, runs=10):
    x0 = torch.rand(batch, 3, 224, 224, device=dev)
    for _ in range(3):
        attack(x0)
    ms, out = [], None
    for _ in range(runs):
        if dev == 'cuda':
            torch.cuda.synchronize()
        t = time.perf_counter()
        out = attack(x0)
        if dev == 'cuda':
            torch.cuda.synchronize()
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms), out


print(f'peer {dev} torch {torch.__version__} pgd10 batch1 ms={timed(pgd, 1)[0]:.1f}')
b = timed(pgd, n)[0]
print(f'peer {dev} pgd10 batch{n} ms={b:.1f} ms_per_image={b / n:.1f}')
d, iterations = timed(lambda x0: deepfool(lambda x: m((x - mean) / std), x0, max_iter=10)[1], 1)
print(f'peer {dev} deepfool batch1 ms={d:.1f} iterations={iterations} ms_per_iteration={d / max(1, iterations):.1f}')
