"""Plain-PyTorch peer of advlab's fine-tuning (docs/fine-tuning.md): the same TorchScript file, the
same images, the same recipes (pgd, fgsm-rs, semantic, clean; Adam, L-inf PGD from a random start
crafted in eval mode), so accuracy and seconds per epoch can be set beside advlab's.

  /usr/bin/python3 bench/peer/finetune.py --model ../shared/models/digits \
      --train ../shared/images/digits/train --test ../shared/images/digits/test \
      --method pgd --eps 0.1 --step 0.025 --steps 7 --epochs 5 [--threads 2] [--save out.pt]

Prints one line per epoch: "epoch N seconds S loss L train_acc A" (training time only), then
"test clean C pgd20 R negative G" on the whole test folder (PGD-20, step eps/4, random start).
"""
import argparse
import os
import struct
import time
import zlib

import torch

from common import load_model, read_properties, preprocessing, set_threads


def read_png(path):
    """A non-interlaced 8-bit RGB/RGBA/gray PNG as a 3xHxW float tensor in [0,1] (no PIL needed)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0, path
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    t = torch.frombuffer(bytearray(b"".join(rows)), dtype=torch.uint8).view(height, width, channels)
    t = t[:, :, :3] if channels >= 3 else t[:, :, :1].expand(height, width, 3)
    return t.permute(2, 0, 1).float() / 255


def load_folder(folder, labels):
    """ImageFolder layout whose class folders are label names or indices, as advlab matches them."""
    xs, ys = [], []
    for name in sorted(os.listdir(folder), key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n)):
        label = labels.index(name) if name in labels else int(name)
        for file in sorted(os.listdir(f"{folder}/{name}")):
            xs.append(read_png(f"{folder}/{name}/{file}"))
            ys.append(label)
    return torch.stack(xs), torch.tensor(ys)


def pgd(net, x, y, eps, step, steps, generator):
    lower, upper = (x - eps).clamp(0, 1), (x + eps).clamp(0, 1)
    adv = (x + (torch.rand(x.shape, generator=generator) * 2 - 1) * eps).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(net(adv), y, reduction="sum")
        grad, = torch.autograd.grad(loss, adv)
        adv = torch.max(torch.min(adv.detach() + step * grad.sign(), upper), lower)
    return adv.detach()


def accuracy(net, x, y):
    with torch.no_grad():
        return (net(x).argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--method", default="pgd", choices=["pgd", "fgsm-rs", "semantic", "clean"])
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--step", type=float, default=None)
    ap.add_argument("--steps", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--clean-share", type=float, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images of a seeded shuffle")
    ap.add_argument("--save", default=None)
    ap.add_argument("--no-test", action="store_true", help="skip the final test figures (timing runs)")
    ap.add_argument("--graph-optimize", action="store_true",
                    help="keep TorchScript's profiling graph optimizer on (advlab turns it off while training: it"
                         " re-specializes the graph whenever requires_grad flips between crafting and updating)")
    args = ap.parse_args()
    set_threads(args.threads, 0)
    torch._C._set_graph_executor_optimize(args.graph_optimize)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    props = read_properties(args.model)
    name = props.get("option.modelName", args.model.rstrip("/").split("/")[-1])
    module = torch.jit.load(f"{args.model}/{name}.pt")
    _, _, _, _, mean, std = preprocessing(props)
    mean, std = torch.tensor(mean).view(1, 3, 1, 1), torch.tensor(std).view(1, 3, 1, 1)
    net = lambda pixels: module((pixels - mean) / std)
    with open(f"{args.model}/synset.txt") as f:
        labels = [line.strip() for line in f if line.strip()]
    x_train, y_train = load_folder(args.train, labels)
    x_test, y_test = load_folder(args.test, labels)
    if args.limit:
        keep = torch.randperm(len(y_train), generator=generator)[:args.limit]
        x_train, y_train = x_train[keep], y_train[keep]

    step = args.step if args.step is not None else (1.25 * args.eps if args.method == "fgsm-rs" else args.eps / 4)
    steps = 1 if args.method == "fgsm-rs" else args.steps
    share = args.clean_share if args.clean_share is not None else (0.5 if args.method == "semantic" else 0.0)
    optimizer = torch.optim.Adam(module.parameters(), lr=args.lr)
    print(f"settings threads={torch.get_num_threads()} method={args.method} eps={args.eps} step={step} steps={steps}"
          f" epochs={args.epochs} batch={args.batch} lr={args.lr} clean_share={share} images={len(y_train)}"
          f" graph_optimize={args.graph_optimize}",
          flush=True)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(y_train), generator=generator)
        loss_sum, correct, rows = 0.0, 0, 0
        for first in range(0, len(order), args.batch):
            idx = order[first:first + args.batch]
            x, y = x_train[idx], y_train[idx]
            if args.method == "clean":
                rows_x, rows_y = x, y
            else:
                module.eval()
                for p in module.parameters():
                    p.requires_grad_(False)
                crafted = 1 - x if args.method == "semantic" else pgd(net, x, y, args.eps, step, steps, generator)
                for p in module.parameters():
                    p.requires_grad_(True)
                clean = min(len(y), round(len(y) * share / (1 - share)))
                rows_x = torch.cat([x[:clean], crafted]) if clean else crafted
                rows_y = torch.cat([y[:clean], y]) if clean else y
            module.train()
            logits = net(rows_x)
            loss = torch.nn.functional.cross_entropy(logits, rows_y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(rows_y)
            correct += (logits.argmax(1) == rows_y).sum().item()
            rows += len(rows_y)
        seconds = time.perf_counter() - start
        print(f"epoch {epoch} seconds {seconds:.2f} loss {loss_sum / rows:.4f} train_acc {correct / rows:.4f}",
              flush=True)
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    if args.no_test:
        return
    robust = []
    for first in range(0, len(y_test), 200):
        x, y = x_test[first:first + 200], y_test[first:first + 200]
        robust.append((net(pgd(net, x, y, args.eps, args.eps / 4, 20, generator)).argmax(1) == y).float().sum())
    print(f"test clean {accuracy(net, x_test, y_test):.4f} pgd20 {sum(robust).item() / len(y_test):.4f}"
          f" negative {accuracy(net, 1 - x_test, y_test):.4f}", flush=True)
    if args.save:
        module.save(args.save)


if __name__ == "__main__":
    main()
