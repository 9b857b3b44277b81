"""Plain-PyTorch peer of advlab's attacks: FGSM and PGD-10 (L-inf), DeepFool (L2).

Same TorchScript file, eval mode, pixels in [0,1] with the normalization inside the graph. Prints
one line per figure, e.g. ``peer pgd10 batch1 ms_per_image=473.2 iterations=10``; batch 8 (eight
copies of the image attacked at once) is the peer's answer to advlab at concurrency 8.

  /usr/bin/python3 bench/peer/attacks.py --model DIR (--input x.f32 | --image photo.jpg) [--requests 8]

With ``--serve`` it loads the model once and then answers one line per command read from stdin,
``METHOD BATCH REPEATS`` (e.g. ``pgd10 8 1``), with ``peer METHOD batchB ms_per_image=M
iterations=I samples=a,b,...`` (every attack's ms per image): PeerBenchmark runs its rounds
alternating with advlab's, so that the machine's drift over minutes falls on both sides alike.
"""
import argparse
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from common import load_model, preprocessing, set_threads, to_pixels


def pgd(f, x0, eps, step, steps):
    """L-inf PGD without random start or early stop; the label is the clean input's top-1 (first pass)."""
    x, label = x0.clone(), None
    for _ in range(steps):
        x.requires_grad_(True)
        logits = f(x)
        if label is None:
            label = logits.argmax(1).detach()
        grad, = torch.autograd.grad(F.cross_entropy(logits, label, reduction="sum"), x)
        with torch.no_grad():
            x = (x0 + (x + step * grad.sign() - x0).clamp(-eps, eps)).clamp(0, 1)
    return x, steps


def deepfool(f, x0, overshoot=0.02, max_iter=50, candidates=10):
    """L2 DeepFool, the straightforward loop: per iteration one forward, then one backward for the
    original class and one per candidate (retain_graph). Rows of a batch are independent (eval mode),
    so summing a logit over the batch gives every row's gradient in one backward. Runs on x0's
    device (bench/gpu/peer_pgd.py uses it on a GPU)."""
    with torch.no_grad():
        logits = f(x0)
    label = logits.argmax(1)
    top = logits.topk(candidates, 1).indices
    others = torch.stack([row[row != l][: candidates - 1] for row, l in zip(top, label)])
    rows = torch.arange(x0.shape[0], device=x0.device)
    r_tot = torch.zeros_like(x0)
    active = torch.ones(x0.shape[0], dtype=torch.bool, device=x0.device)
    it = 0
    while it < max_iter:
        x = (x0 + (1 + overshoot) * r_tot).clamp(0, 1).requires_grad_(True)
        logits = f(x)
        active &= logits.argmax(1) == label
        if not active.any():
            break
        g_orig, = torch.autograd.grad(logits[rows, label].sum(), x, retain_graph=True)
        best = torch.full((x0.shape[0],), math.inf, device=x0.device)
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
        r_tot += step * active.view(-1, 1, 1, 1)
        it += 1
    return (x0 + (1 + overshoot) * r_tot).clamp(0, 1), it


def timed(attack, x, repeats):
    """Median ms per call and median iterations of ``repeats`` calls, and every call's ms."""
    times, iters = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        _, it = attack(x)
        times.append((time.perf_counter() - start) * 1000)
        iters.append(it)
    return statistics.median(times), statistics.median(iters), times


def serve(attacks, x):
    """Answers ``METHOD BATCH REPEATS`` lines from stdin until it closes (see the module doc)."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        name, batch, repeats = words[0], int(words[1]), int(words[2])
        if name not in attacks or batch < 1 or repeats < 1:
            print(f"peer error unknown command: {line.strip()}", flush=True)
            continue
        ms, it, times = timed(attacks[name], x.repeat(batch, 1, 1, 1), repeats)
        samples = ",".join(f"{t / batch:.1f}" for t in times)
        print(f"peer {name} batch{batch} ms_per_image={ms / batch:.1f} iterations={it} samples={samples}",
              flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model folder with serving.properties")
    ap.add_argument("--input", help="raw float32 CHW pixels in [0,1] (what advlab preprocessed)")
    ap.add_argument("--image", help="or an image file, preprocessed here with torchvision")
    ap.add_argument("--requests", type=int, default=8, help="batch-1 attacks per figure (median)")
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--interop", type=int, default=0, help="inter-op threads; 0 keeps PyTorch's default")
    ap.add_argument("--methods", default="pgd10,fgsm,deepfool")
    ap.add_argument("--serve", action="store_true", help="answer commands from stdin (module doc)")
    a = ap.parse_args()
    set_threads(a.threads, a.interop)
    f, props = load_model(a.model)
    width, height = preprocessing(props)[:2]
    if a.input:
        x = torch.from_numpy(np.fromfile(a.input, dtype="<f4").reshape(1, 3, height, width).copy())
    else:
        x = to_pixels(props)(Image.open(a.image).convert("RGB")).unsqueeze(0)
    attacks = {"pgd10": lambda v: pgd(f, v, 8 / 255, 2 / 255, 10),
               "fgsm": lambda v: pgd(f, v, 8 / 255, 8 / 255, 1),
               "deepfool": lambda v: deepfool(f, v)}
    print(f"peer settings torch={torch.__version__} threads={torch.get_num_threads()}"
          f" interop={torch.get_num_interop_threads()} deepfool=loop", flush=True)
    x8 = x.repeat(8, 1, 1, 1)
    pgd(f, x8, 8 / 255, 2 / 255, 1)  # warm-up: one batch-8 forward+backward
    if a.serve:
        serve(attacks, x)
        return
    for name in a.methods.split(","):
        ms, it, _ = timed(attacks[name], x, a.requests)
        print(f"peer {name} batch1 ms_per_image={ms:.1f} iterations={it}", flush=True)
        ms, it, _ = timed(attacks[name], x8, max(1, math.ceil(a.requests / 8)))
        print(f"peer {name} batch8 ms_per_image={ms / 8:.1f} iterations={it}", flush=True)


if __name__ == "__main__":
    main()
