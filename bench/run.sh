#!/usr/bin/env bash
# Runs a benchmark main class from the test sources against ../shared models.
#   bench/run.sh classify            -> io.advlab.model.ClassificationBenchmark
#   bench/run.sh attack              -> io.advlab.attack.AttackBenchmark
#   bench/run.sh peer [s] [n]        -> io.advlab.peer.PeerBenchmark (next to plain PyTorch, bench/peer)
#   bench/run.sh evaluate [n] [steps] -> io.advlab.evaluate.EvaluationBenchmark (an evaluation next to a
#                                       bare Java loop and a plain PyTorch loop, bench/peer/evaluate.py)
#   bench/run.sh finetune [m] [e] [n] -> io.advlab.training.FineTuningBenchmark (s/epoch next to bench/peer/finetune.py)
#   bench/run.sh engine [m] [r] [n]  -> io.advlab.model.EngineBenchmark (DJL's passes alone next to
#                                       bench/peer/engine.py, and each operator's time in both)
#   bench/run.sh <fully.qualified.Class> [args...]
# Extra JVM flags (e.g. settings: -Dadvlab.model.threads=1) go in BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bench/run.sh classify|attack|peer|evaluate|finetune|engine|<class> [args]}"; shift
case "$name" in
  classify) main=io.advlab.model.ClassificationBenchmark ;;
  attack) main=io.advlab.attack.AttackBenchmark ;;
  peer) main=io.advlab.peer.PeerBenchmark ;;
  evaluate) main=io.advlab.evaluate.EvaluationBenchmark ;;
  finetune) main=io.advlab.training.FineTuningBenchmark ;;
  engine) main=io.advlab.model.EngineBenchmark ;;
  *) main="$name" ;;
esac
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
shared="${ADVLAB_SHARED_DIR:-$(cd .. && pwd)/shared}"
# glibc malloc as the service runs with it (Dockerfile, pom.xml; README "Native memory").
for v in MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ MALLOC_TOP_PAD_; do
  p="malloc.$(echo "${v#MALLOC_}" | tr 'A-Z_' 'a-z.' | sed 's/\.$//')"
  [ -n "${!v:-}" ] || export "$v=$(sed -n "s:.*<$p>\([0-9]*\)</$p>.*:\1:p" pom.xml)"
done
exec java -Dai.djl.offline=true -Xss4m ${BENCH_JAVA_OPTS:-} -Dadvlab.shared.dir="$shared" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
