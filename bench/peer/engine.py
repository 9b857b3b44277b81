"""Plain PyTorch's passes alone, the engine half of EngineBenchmark (bench/run.sh engine).

Loads the TorchScript file once and answers one line per command read from stdin, so that the
benchmark can alternate its figures with DJL's in the JVM (this machine drifts by a tenth over a
minute):

  fwd N          N batch-1 forward passes under inference_mode (what a classification needs)
  fb N           N batch-1 forward+backward passes to the input (one attack step)
  prof KIND N P  the same with PyTorch's profiler on, its Chrome trace written to P

Each runs one unmeasured pass first (inside the profiler too, as DJL's side does) and answers
``peer KIND ms=M`` with the median milliseconds of the N passes after it. The input is one
fixed random image in [0, 1] with the normalization inside the graph, as advlab feeds the network.

  /usr/bin/python3 bench/peer/engine.py --model DIR [--threads N] [--interop N]
"""
import argparse
import statistics
import sys
import time

import torch

from common import load_model, preprocessing, set_threads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model folder with serving.properties")
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--interop", type=int, default=0, help="inter-op threads; 0 keeps PyTorch's default")
    a = ap.parse_args()
    set_threads(a.threads, a.interop)
    f, props = load_model(a.model)
    width, height = preprocessing(props)[:2]
    x = torch.rand(1, 3, height, width, generator=torch.Generator().manual_seed(1))

    def forward():
        with torch.inference_mode():
            f(x)

    def forward_backward():
        xa = x.clone().requires_grad_(True)
        loss = -torch.log_softmax(f(xa), 1)[:, 0].sum()
        grad, = torch.autograd.grad(loss, xa)
        grad.numpy()

    passes = {"fwd": forward, "fb": forward_backward}
    print(f"peer settings torch={torch.__version__} threads={torch.get_num_threads()}"
          f" interop={torch.get_num_interop_threads()}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            profile = words[0] == "prof"
            kind, n = (words[1], int(words[2])) if profile else (words[0], int(words[1]))
            work = passes[kind]
            if n < 1:
                raise ValueError("N must be at least 1")
            profiler = torch.autograd.profiler.profile() if profile else None
            if profiler:
                profiler.__enter__()
            work()
            times = []
            for _ in range(n):
                start = time.perf_counter()
                work()
                times.append((time.perf_counter() - start) * 1e3)
            if profiler:
                profiler.__exit__(None, None, None)
                profiler.export_chrome_trace(words[3])
            print(f"peer {kind} ms={statistics.median(times):.3f}", flush=True)
        except (KeyError, IndexError, ValueError) as e:
            print(f"peer error {line.strip()!r}: {e!r}", flush=True)


if __name__ == "__main__":
    main()
