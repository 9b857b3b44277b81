#!/usr/bin/env python3
"""Where a resnet18 attack's time goes on a GPU: drives a running advlab over HTTP and reads its
own timers around the runs, so the gradient passes (advlab_gradient_step_seconds) can be set
against the whole step. Standard library only (it runs on the GPU machine), with scenario.py's
HTTP helpers beside it.

    python3 bench/gpu/pgd_profile.py BASE_URL PHOTO OUT_DIR TAG [REPEATS] [CONCURRENCY] [EVAL_LIMIT]

Runs, after 5 warm-ups: REPEATS sequential PGD-10 (eps 8/255, no early stop), FGSM and DeepFool
(L2, L-inf, and L2 with EOT through 4 randomization draws) on resnet18; two rounds of CONCURRENCY
PGD-10 at once, then of CONCURRENCY DeepFool; with EVAL_LIMIT, an evaluation of that many
`test` digits (FGSM and PGD-20 at eps 0.1, 0.2, 0.3). Writes OUT_DIR/profile-TAG.json and prints
a summary: medians of the attack part of each request, and per PGD step the mean pass time, the
mean rows per pass and the rest of the step (queue, hops, the attack's own update); a digest of
each method's adversarial PNG and the evaluation's CSV, to compare variants' results.
"""
import base64
import concurrent.futures
import hashlib
import json
import os
import statistics
import sys
import time

from scenario import call, evaluation, wait_ready


def gradient_timer(base, model='resnet18'):
    """Sum (s) and count of the model's gradient passes, and the rows they held."""
    prom = call(base, '/actuator/prometheus')
    out = {}
    for name in ('advlab_gradient_step_seconds_sum', 'advlab_gradient_step_seconds_count',
                 'advlab_gradient_batch_size_sum', 'advlab_gradient_batch_size_count'):
        total = 0.0
        for line in prom.splitlines():
            if line.startswith(name + '{') and f'model="{model}"' in line:
                total += float(line.rsplit(' ', 1)[1])
        out[name] = total
    return out


def delta(a, b):
    d = {k: b[k] - a[k] for k in a}
    passes = d['advlab_gradient_step_seconds_count']
    return {'passes': passes,
            'passMs': round(1000 * d['advlab_gradient_step_seconds_sum'] / passes, 2) if passes else None,
            'rowsPerPass': round(d['advlab_gradient_batch_size_sum'] / d['advlab_gradient_batch_size_count'], 2)
            if d['advlab_gradient_batch_size_count'] else None}


def main():
    base, photo, out, tag = sys.argv[1:5]
    repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    concurrency = int(sys.argv[6]) if len(sys.argv) > 6 else 16
    os.makedirs(out, exist_ok=True)
    with open(photo, 'rb') as f:
        img = base64.b64encode(f.read()).decode()
    res = {'tag': tag, 'readyAfterS': round(wait_ready(base), 1)}

    digests = {}

    def attack(method, params, key=None, defence=None):
        body = {'imageBase64': img, 'method': method, 'params': params, 'model': 'resnet18'}
        if defence:
            body['defence'] = defence
        r = call(base, '/api/v1/attacks', body)
        digests.setdefault(key or method, hashlib.sha256(r['adversarialImage'].encode()).hexdigest()[:16])
        return r['timingsMs'], r.get('iterations')

    pgd = {'eps': 8 / 255, 'steps': 10, 'earlyStop': False, 'seed': 1}
    for _ in range(240):  # readiness is up once one model is: wait for resnet18 too
        try:
            attack('pgd', pgd)
            break
        except RuntimeError as e:
            if 'HTTP 503' not in str(e):
                raise
            time.sleep(0.5)
    for _ in range(5):
        attack('pgd', pgd)
    randomization = {'type': 'randomization', 'draws': 4, 'seed': 1}
    for key, method, params, defence in (
            ('pgd', 'pgd', pgd, None), ('fgsm', 'fgsm', {'eps': 8 / 255}, None),
            ('deepfool', 'deepfool', {'maxIter': 10}, None),
            ('deepfoolLinf', 'deepfool', {'maxIter': 10, 'norm': 'linf'}, None),
            ('deepfoolEot', 'deepfool', {'maxIter': 5, 'eot': 4}, randomization)):
        before = gradient_timer(base)
        runs = [attack(method, params, key, defence) for _ in range(repeats)]
        passes = delta(before, gradient_timer(base))
        attack_ms = [t['attack'] for t, _ in runs]
        iterations = statistics.median(i for _, i in runs)
        row = {'medianAttackMs': statistics.median(attack_ms), 'medianTotalMs': statistics.median(t['total'] for t, _ in runs),
               'iterations': iterations, 'timings': runs[0][0], **passes}
        if method == 'pgd' and passes['passes']:
            step = statistics.mean(attack_ms) * repeats / passes['passes']
            row['stepMs'] = round(step, 2)
            row['outsidePassMs'] = round(step - passes['passMs'], 2)
        res[key] = row
        print(tag, key, json.dumps(row))
    for method, params in (('pgd', pgd), ('deepfool', {'maxIter': 10})):
        rounds = []
        for _ in range(2):
            before = gradient_timer(base)
            with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
                start = time.time()
                runs = list(pool.map(lambda _: attack(method, params), range(concurrency)))
                wall = time.time() - start
            rounds.append({'wallS': round(wall, 3), 'attacksPerS': round(concurrency / wall, 1),
                           'medianAttackMs': statistics.median(t['attack'] for t, _ in runs),
                           **delta(before, gradient_timer(base))})
        res[method + 'Concurrent'] = {'concurrency': concurrency, 'rounds': rounds}
        print(tag, '%s c%d' % (method, concurrency), json.dumps(rounds))
    res['adversarialDigests'] = digests
    print(tag, 'adversarial PNG digests', digests)
    eval_limit = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    if eval_limit > 0:
        before = gradient_timer(base, 'digits')
        res['evaluation'] = evaluation(base, eval_limit)
        res['evaluation'].update(delta(before, gradient_timer(base, 'digits')))
        print(tag, 'evaluation', res['evaluation']['state'], res['evaluation']['wallS'], 's, running',
              res['evaluation']['runningS'], 's;', res['evaluation']['passes'], 'gradient passes of',
              res['evaluation']['rowsPerPass'], 'rows,', res['evaluation']['passMs'], 'ms each')
        print('\n'.join(','.join(c.split(',')[:8]) for c in res['evaluation']['csv'].splitlines()))
    with open(os.path.join(out, f'profile-{tag}.json'), 'w') as f:
        json.dump(res, f, indent=1)


if __name__ == '__main__':
    main()
