"""The classification server a user writes in ten lines: FastAPI + uvicorn, PIL, torchvision, no batching.

  /usr/bin/python3 bench/peer/server.py --model DIR --port 8123 [--threads 2]

A plain ``def`` endpoint, so FastAPI runs requests on its thread pool and forward passes of
concurrent requests overlap (an ``async def`` one would run them one at a time on the event loop).
"""
import argparse
import io

import torch
import uvicorn
from fastapi import FastAPI, File, UploadFile
from PIL import Image

from common import load_model, set_threads, to_pixels

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--threads", type=int, default=torch.get_num_threads())
ap.add_argument("--interop", type=int, default=0)
a = ap.parse_args()
set_threads(a.threads, a.interop)
model, props = load_model(a.model)
transform = to_pixels(props)
labels = open(f"{a.model}/synset.txt").read().splitlines()
app = FastAPI()


@app.post("/classify")
def classify(image: UploadFile = File(...)):
    x = transform(Image.open(io.BytesIO(image.file.read())).convert("RGB")).unsqueeze(0)
    with torch.inference_mode():
        probs = model(x).softmax(1)[0]
    top = probs.topk(5)
    return [{"label": labels[i], "probability": p} for p, i in zip(top.values.tolist(), top.indices.tolist())]


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=a.port, log_level="warning")
