#!/usr/bin/env python3
"""Drives a running advlab over HTTP and writes what it answered, so a CPU run and a GPU run can
be compared line by line (bench/gpu/compare.py). Standard library only: it runs on the GPU
machine, which has no network and no curl guarantee.

    python3 bench/gpu/scenario.py BASE_URL SAMPLES_DIR PHOTO OUT_DIR [EVAL_LIMIT] [PGD_REPEATS] [CONCURRENCY]

Expects the models `digits` and `resnet18` to be served and the data set `test` (the 1000
held-out digits) to be there. Writes OUT_DIR/scenario.json (everything) and
OUT_DIR/prometheus.txt; prints a short summary.
"""
import base64
import concurrent.futures
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request


def call(base, path, body=None, timeout=600):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data,
                                 headers={'Content-Type': 'application/json'} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read().decode()
    except urllib.error.HTTPError as e:
        raw = e.read().decode()
        raise RuntimeError(f'{path}: HTTP {e.code}: {raw[:2000]}')
    return json.loads(raw) if raw.lstrip().startswith(('{', '[')) else raw


def b64(path):
    with open(path, 'rb') as f:
        return base64.b64encode(f.read()).decode()


def wait_ready(base, limit_s=300):
    start = time.time()
    while time.time() - start < limit_s:
        try:
            h = call(base, '/actuator/health/readiness', timeout=5)
            if h.get('status') == 'UP':
                return time.time() - start
        except Exception:
            pass
        time.sleep(1)
    raise RuntimeError('not ready in time')


def evaluation(base, limit):
    """Evaluates FGSM and PGD-20 at eps 0.1, 0.2, 0.3 on `limit` of the `test` digits; waits for it."""
    start = time.time()
    job = call(base, '/api/v1/evaluations', {
        'model': 'digits', 'dataset': 'test', 'seed': 1, 'limit': limit,
        'attacks': [{'method': 'fgsm', 'eps': [0.1, 0.2, 0.3]},
                    {'method': 'pgd', 'params': {'steps': 20}, 'eps': [0.1, 0.2, 0.3]}]})
    while True:
        e = call(base, f"/api/v1/evaluations/{job['id']}")
        if e['state'] not in ('QUEUED', 'RUNNING'):
            break
        time.sleep(0.5)
    return {'state': e['state'], 'wallS': round(time.time() - start, 1),
            'runningS': e['progress'].get('elapsedSeconds'),
            'csv': call(base, f"/api/v1/evaluations/{job['id']}/results.csv")}


def top(p):
    return p['predictions'][0]['index']


def attack(base, image, method, params, model='digits'):
    r = call(base, '/api/v1/attacks', {'imageBase64': image, 'method': method, 'params': params,
                                       'model': model})
    return {'success': r['success'], 'iterations': r.get('iterations'),
            'original': top(r['original']), 'adversarial': top(r['adversarial']),
            'quantizedSuccess': r.get('quantizedSuccess'),
            'linf': round(r['perturbation']['linf'], 4), 'l2': round(r['perturbation']['l2'], 3),
            'attackMs': r['timingsMs']['attack'], 'totalMs': r['timingsMs']['total']}


def main():
    base, samples, photo, out = sys.argv[1:5]
    eval_limit = int(sys.argv[5]) if len(sys.argv) > 5 else 200
    repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 10
    concurrency = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    os.makedirs(out, exist_ok=True)
    res = {'readyAfterS': round(wait_ready(base), 1)}
    res['models'] = {m: call(base, f'/api/v1/model?model={m}') for m in ('digits', 'resnet18')}

    digits = {d: b64(os.path.join(samples, f'{d}.png')) for d in range(10)}
    res['classify'] = {}
    for d, img in digits.items():
        r = call(base, '/api/v1/classifications', {'imageBase64': img, 'model': 'digits', 'topK': 3})
        res['classify'][d] = {'top': [(p['index'], round(p['logit'], 3)) for p in r['predictions']],
                              'inferenceMs': r['timingsMs'].get('inference')}

    methods = {'fgsm': {'eps': 0.1},
               'pgd': {'eps': 0.1, 'steps': 20, 'seed': 1},
               'deepfool': {'overshoot': 0.02, 'maxIter': 50}}
    res['attacks'] = {m: {d: attack(base, img, m, p) for d, img in digits.items()}
                      for m, p in methods.items()}

    # PGD-10 on resnet18, all ten steps (no early stop), after one warm-up.
    img = b64(photo)
    params = {'eps': 8 / 255, 'steps': 10, 'earlyStop': False, 'seed': 1}
    attack(base, img, 'pgd', params, 'resnet18')
    runs = [attack(base, img, 'pgd', params, 'resnet18') for _ in range(repeats)]
    res['resnet18Pgd10'] = {'attackMs': [r['attackMs'] for r in runs],
                            'medianAttackMs': statistics.median(r['attackMs'] for r in runs),
                            'medianTotalMs': statistics.median(r['totalMs'] for r in runs),
                            'iterations': runs[0]['iterations']}

    # Steady state: 50 sequential classifications per model after the ones above.
    res['steadyInferenceMs'] = {}
    for model, image in (('digits', digits[7]), ('resnet18', img)):
        ms = [call(base, '/api/v1/classifications', {'imageBase64': image, 'model': model})['timingsMs']
              for _ in range(50)]
        res['steadyInferenceMs'][model] = {k: statistics.median(t[k] for t in ms) for k in ('inference', 'total')}

    # Throughput: CONCURRENCY PGD-10 attacks on resnet18 at once (the gradient batcher's case).
    if concurrency > 0:
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            start = time.time()
            runs = list(pool.map(lambda _: attack(base, img, 'pgd', params, 'resnet18'), range(concurrency)))
            wall = time.time() - start
        res['resnet18Pgd10Concurrent'] = {
            'concurrency': concurrency, 'wallS': round(wall, 2),
            'attacksPerS': round(concurrency / wall, 2),
            'medianAttackMs': statistics.median(r['attackMs'] for r in runs)}

    if eval_limit > 0:
        res['evaluation'] = evaluation(base, eval_limit)

    prom = call(base, '/actuator/prometheus')
    with open(os.path.join(out, 'prometheus.txt'), 'w') as f:
        f.write(prom)
    res['gpuGauges'] = [l for l in prom.splitlines() if l.startswith('gpu_')]
    with open(os.path.join(out, 'scenario.json'), 'w') as f:
        json.dump(res, f, indent=1)

    print('ready after', res['readyAfterS'], 's; devices',
          {m: v.get('device') for m, v in res['models'].items()})
    print('digits top-1:', [c['top'][0][0] for c in res['classify'].values()])
    for m, rows in res['attacks'].items():
        print(m, 'success', sum(r['success'] for r in rows.values()), '/10, median attack ms',
              statistics.median(r['attackMs'] for r in rows.values()))
    print('resnet18 PGD-10 attack ms', res['resnet18Pgd10'])
    print('steady classify ms', res['steadyInferenceMs'])
    print('concurrent', res.get('resnet18Pgd10Concurrent'))
    if 'evaluation' in res:
        print('evaluation', res['evaluation']['state'], res['evaluation']['wallS'], 's')
        print(res['evaluation']['csv'])
    print('\n'.join(res['gpuGauges']))


if __name__ == '__main__':
    main()
