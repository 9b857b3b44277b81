"""Logits of a TorchScript classifier folder for PNG files, with plain PyTorch (Debian's python3-torch):
   /usr/bin/python3 bench/peer/logits.py MODEL_DIR a.png b.png ...
prints one line per image: the logits separated by spaces (preprocessing from serving.properties;
the images must already have the model's input size)."""
import sys

import torch

from common import read_properties, preprocessing
from finetune import read_png


def main():
    model_dir, files = sys.argv[1], sys.argv[2:]
    props = read_properties(model_dir)
    name = props.get("option.modelName", model_dir.rstrip("/").split("/")[-1])
    net = torch.jit.load(f"{model_dir}/{name}.pt").eval()
    _, _, _, _, mean, std = preprocessing(props)
    mean, std = torch.tensor(mean).view(1, 3, 1, 1), torch.tensor(std).view(1, 3, 1, 1)
    with torch.no_grad():
        x = torch.stack([read_png(f) for f in files])
        for row in net((x - mean) / std):
            print(" ".join(f"{v:.6f}" for v in row.tolist()))


if __name__ == "__main__":
    main()
