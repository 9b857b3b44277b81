"""What the peer shares with advlab: the model folder's serving.properties and the threads."""
import torch
from torchvision import transforms

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def read_properties(model_dir):
    props = {}
    with open(f"{model_dir}/serving.properties") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                props[key.strip()] = value.strip()
    return props


def preprocessing(props):
    """(width, height, resize, center_crop, mean, std) with advlab's defaults (Preprocessing.java)."""
    width, height = int(props.get("width", 224)), int(props.get("height", 224))
    resize = props.get("resize", "256")
    resize = 0 if resize == "true" else -1 if resize == "false" else int(resize)
    center_crop = props.get("centerCrop", "true") == "true"
    mean, std = IMAGENET_MEAN, IMAGENET_STD
    if "mean" in props or "std" in props:
        mean = [float(v) for v in props.get("mean", "0,0,0").split(",")]
        std = [float(v) for v in props.get("std", "1,1,1").split(",")]
    elif props.get("normalize", "true") == "false":
        mean, std = [0.0] * 3, [1.0] * 3
    return width, height, resize, center_crop, mean, std


def to_pixels(props):
    """PIL image -> CHW tensor in [0,1], resized and cropped as serving.properties says (no normalization)."""
    width, height, resize, center_crop, _, _ = preprocessing(props)
    steps = [transforms.Resize(resize)] if resize > 0 else []
    steps.append(transforms.CenterCrop((height, width)) if center_crop else transforms.Resize((height, width)))
    return transforms.Compose(steps + [transforms.ToTensor()])


def load_model(model_dir):
    """The folder's TorchScript file in eval mode, weights frozen, normalization in front of it."""
    props = read_properties(model_dir)
    name = props.get("option.modelName", model_dir.rstrip("/").split("/")[-1])
    net = torch.jit.load(f"{model_dir}/{name}.pt").eval()
    for p in net.parameters():
        p.requires_grad_(False)
    _, _, _, _, mean, std = preprocessing(props)
    mean = torch.tensor(mean).view(1, 3, 1, 1)
    std = torch.tensor(std).view(1, 3, 1, 1)
    return (lambda pixels: net((pixels - mean) / std)), props


def set_threads(threads, interop):
    """advlab's threads: PyTorch's intra-op count, and one inter-op thread only when advlab sets it."""
    torch.set_num_threads(threads)
    if interop > 0:
        torch.set_num_interop_threads(interop)
