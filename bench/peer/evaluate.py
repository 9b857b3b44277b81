"""Plain-PyTorch peer of an advlab evaluation cell: L-inf PGD with random start over a whole
ImageFolder data set, in batches, as a user would write it in a notebook.

Per batch: a clean forward, PGD (random start in the eps ball, sign steps, projection, no early
stop), the adversarial image rounded to 8 bits (what advlab delivers and judges) and a forward on
it. Images are decoded and preprocessed before the clock starts (advlab decodes inside its timing,
which is in its disfavour). Prints one line, e.g.
``peer evaluate images=1000 seconds=12.3 images_per_s=81.3 clean=0.977 robust=0.012``.

  /usr/bin/python3 bench/peer/evaluate.py --model DIR --data DIR [--limit N] [--batch 16]
      [--eps 0.1] [--step 0.025] [--steps 20] [--seed 0]
"""
import argparse
import os
import time

import torch
import torch.nn.functional as F
from PIL import Image

from common import load_model, set_threads, to_pixels


def image_folder(root, labels, props, limit):
    """(pixels, label) for every image under root/<class>/ in sorted order, the first `limit`."""
    pixels = to_pixels(props)
    xs, ys = [], []
    for folder in sorted(os.listdir(root)):
        klass = labels.index(folder) if folder in labels else int(folder)
        for name in sorted(os.listdir(os.path.join(root, folder))):
            xs.append(pixels(Image.open(os.path.join(root, folder, name)).convert("RGB")))
            ys.append(klass)
    if limit:
        xs, ys = xs[:limit], ys[:limit]
    return torch.stack(xs), torch.tensor(ys)


def pgd(f, x0, y, eps, step, steps, generator):
    x = (x0 + torch.empty_like(x0).uniform_(-eps, eps, generator=generator)).clamp(0, 1)
    for _ in range(steps):
        x.requires_grad_(True)
        grad, = torch.autograd.grad(F.cross_entropy(f(x), y, reduction="sum"), x)
        with torch.no_grad():
            x = (x0 + (x + step * grad.sign() - x0).clamp(-eps, eps)).clamp(0, 1)
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--step", type=float, default=0.025)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--interop", type=int, default=0)
    a = ap.parse_args()
    set_threads(a.threads, a.interop)
    f, props = load_model(a.model)
    model_dir = a.model.rstrip("/")
    with open(os.path.join(model_dir, "synset.txt")) as s:
        labels = [line.strip() for line in s if line.strip()]
    xs, ys = image_folder(a.data, labels, props, a.limit)
    generator = torch.Generator().manual_seed(a.seed)
    clean = robust = 0
    f(xs[: a.batch])  # warm-up
    start = time.perf_counter()
    for i in range(0, len(xs), a.batch):
        x0, y = xs[i:i + a.batch], ys[i:i + a.batch]
        with torch.no_grad():
            clean += (f(x0).argmax(1) == y).sum().item()
        adv = pgd(f, x0, y, a.eps, a.step, a.steps, generator)
        delivered = (adv * 255).round() / 255
        with torch.no_grad():
            robust += (f(delivered).argmax(1) == y).sum().item()
    seconds = time.perf_counter() - start
    n = len(xs)
    print(f"peer evaluate images={n} seconds={seconds:.2f} images_per_s={n / seconds:.1f}"
          f" clean={clean / n:.3f} robust={robust / n:.3f} torch={torch.__version__}"
          f" threads={torch.get_num_threads()} batch={a.batch}", flush=True)


if __name__ == "__main__":
    main()
