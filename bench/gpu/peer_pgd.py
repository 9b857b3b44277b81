#!/usr/bin/env python3
"""Plain-PyTorch reference for advlab's resnet18 PGD-10 timing on the same machine: the same
TorchScript file, ten forward+backward passes on one 224x224 input (L-inf, eps 8/255, step eps/4,
no early stop), median of 10 after 3 warm-ups, CUDA synchronised; then a batch of N at once. Then
L2 DeepFool (10 candidates, overshoot 0.02, at most 10 iterations) as bench/peer/attacks.py writes
it, on the device: per iteration one forward, one backward for the original class and one per
candidate (retain_graph); its ms per call and per iteration, batch 1.
    python3 bench/gpu/peer_pgd.py MODEL.pt [cuda|cpu] [N]
"""
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

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


def deepfool(x0, overshoot=0.02, max_iter=10, candidates=10):
    """bench/peer/attacks.py's DeepFool loop, with its bookkeeping on the device; returns iterations."""
    f = lambda x: m((x - mean) / std)
    with torch.no_grad():
        logits = f(x0)
    label = logits.argmax(1)
    top = logits.topk(candidates, 1).indices
    others = torch.stack([row[row != l][: candidates - 1] for row, l in zip(top, label)])
    rows = torch.arange(x0.shape[0], device=dev)
    r_tot = torch.zeros_like(x0)
    it = 0
    while it < max_iter:
        x = (x0 + (1 + overshoot) * r_tot).clamp(0, 1).requires_grad_(True)
        logits = f(x)
        if not (logits.argmax(1) == label).any():
            break
        g_orig, = torch.autograd.grad(logits[rows, label].sum(), x, retain_graph=True)
        best = torch.full((x0.shape[0],), math.inf, device=dev)
        step = torch.zeros_like(x0)
        for j in range(others.shape[1]):
            k = others[:, j]
            g_k, = torch.autograd.grad(logits[rows, k].sum(), x, retain_graph=True)
            w = (g_k - g_orig).detach()
            norm = w.flatten(1).norm(dim=1) + 1e-8
            dist = (logits[rows, k] - logits[rows, label]).detach().abs() / norm
            closer = dist < best
            best = torch.where(closer, dist, best)
            step[closer] = ((dist + 1e-4) / norm)[closer].view(-1, 1, 1, 1) * w[closer]
        r_tot += step
        it += 1
    return it


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
d, iterations = timed(deepfool, 1)
print(f'peer {dev} deepfool batch1 ms={d:.1f} iterations={iterations} ms_per_iteration={d / max(1, iterations):.1f}')
