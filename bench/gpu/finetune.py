"""Runs the issue's pgd fine-tuning recipe through advlab's HTTP API (stdlib only) and prints each
epoch (seconds, loss, validation clean/robust accuracy), the result and the parent/child comparison
once the automatic evaluations end. Used on the GPU machine by device.sh (FINETUNE=1).

  python3 bench/gpu/finetune.py URL TOKEN OUT_DIR [EPOCHS]
"""
import json
import sys
import time
import urllib.request


def call(url, token=None, body=None, method=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"{}"), r.headers


def main():
    base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    body = {"dataset": "train", "validationDataset": "test", "method": "pgd", "seed": 1,
            "params": {"eps": 0.1, "stepSize": 0.025, "steps": 7, "epochs": epochs, "learningRate": 0.0001}}
    start = time.time()
    created, headers = call(base + "/api/v1/models/digits/fine-tunings", token, body)
    location = base + headers["Location"]
    seen = 0
    while True:
        view, _ = call(location)
        for e in view.get("epochs", [])[seen:]:
            print("epoch", json.dumps(e), flush=True)
        seen = len(view.get("epochs", []))
        if view["state"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(1)
    trained = time.time() - start
    print("state", view["state"], "result", json.dumps(view.get("result")), "error", view.get("error"),
          f"trained in {trained:.1f} s", flush=True)
    for _ in range(600):
        evals = [call(f"{base}/api/v1/evaluations/{i}")[0] for i in (view.get("evaluations") or {}).values()
                 if isinstance(i, str)]
        if evals and all(e["state"] in ("SUCCEEDED", "FAILED", "CANCELLED") for e in evals):
            break
        time.sleep(2)
    view, _ = call(location)
    print("comparison", json.dumps(view.get("comparison")), flush=True)
    with open(f"{out}/finetune.json", "w") as f:
        json.dump(view, f, indent=1)


if __name__ == "__main__":
    main()
