#!/usr/bin/env bash
# Runs on the GPU machine (bare: python3 with torch 2.11+cu130, nvcc, cmake, no Java, no
# network), from the repository root, with the folder prepare.sh made (default .gpu) beside it.
#   1. builds DJL 0.33.0's PyTorch JNI against the machine's torch (skipped when G/libdjl_torch.so
#      was carried back from an earlier run);
#   2. unpacks the carried JRE and the advlab application (without the CPU natives);
#   3. points DJL at torch's own libraries (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR)
#      and puts the JNI where LibUtils looks first: <DJL_CACHE_DIR>/pytorch/<version>-<flavor>-
#      linux-x86_64/0.33.0-libdjl_torch.so, so nothing is downloaded;
#   4. starts advlab on the GPU with the digits model and a resnet18 (same architecture as
#      ../shared/models/resnet18-untrained, traced here with seeded random weights: 45 MB would not
#      travel), runs bench/gpu/scenario.py against it and copies what came back to $OUT.
# With PROFILE=1 it runs bench/gpu/pgd_profile.py under async-profiler for each thin advlab.jar in
# G/variants (so a change and its baseline run on the same card), then DJL alone (BareLoop.java)
# and the peer.
# With FINETUNE=1 it runs bench/gpu/finetune.py (the pgd fine-tuning recipe on the 4000 training
# digits, FT_EPOCHS epochs, default 5) instead of scenario.py and the peer.
# Usage: bash bench/gpu/device.sh [G] [EVAL_LIMIT]
set -uo pipefail
G=${1:-.gpu}; LIMIT=${2:-200}; OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
py() { python3 -c "$1"; }
TORCH=$(py 'import torch,os;print(os.path.dirname(torch.__file__))')
SITE=$(dirname "$TORCH")
{ nvidia-smi -L; uname -r; nproc; which java || echo 'no java'; py 'import torch;print(torch.__version__, torch.version.cuda, torch.compiled_with_cxx11_abi())'
  nvcc --version | tail -1; cmake --version | head -1; ls "$TORCH/lib"; } > "$OUT/device.txt" 2>&1
cat "$OUT/device.txt"

JNI="$G/libdjl_torch.so"
if [ ! -f "$JNI" ]; then
  t0=$(date +%s)
  cmake -S "$G/native" -B /tmp/djlbuild -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSE_CUDA=1 \
    -DCMAKE_PREFIX_PATH="$(py 'import torch;print(torch.utils.cmake_prefix_path)')" > "$OUT/build.log" 2>&1 \
    && cmake --build /tmp/djlbuild -j 16 -- -k 0 >> "$OUT/build.log" 2>&1
  rc=$?; echo "build rc=$rc in $(( $(date +%s) - t0 )) s"
  grep -E 'error|Error' "$OUT/build.log" | head -40
  [ $rc -eq 0 ] || exit 1
  JNI=/tmp/djlbuild/libdjl_torch.so; cp "$JNI" "$OUT/"
fi
ldd "$JNI" | grep -E 'not found|torch|c10|cuda' ; echo

mkdir -p /tmp/app && tar -xJf "$G/jre.tar.xz" -C /tmp && tar -xJf "$G/app.tar.xz" -C /tmp/app
CACHE=/tmp/djlcache; VER=$(py 'import torch;print(torch.__version__.split("+")[0])')
mkdir -p "$CACHE/pytorch/$VER-cu130-linux-x86_64" && cp "$JNI" "$CACHE/pytorch/$VER-cu130-linux-x86_64/0.33.0-libdjl_torch.so"
# DJL's CudaUtils loads "cudart" through JNA: give it torch's own runtime under the plain name.
CUDART=$(find "$SITE/nvidia" -name 'libcudart.so*' | head -1); mkdir -p /tmp/cudart && ln -sf "$CUDART" /tmp/cudart/libcudart.so
echo "cudart: $CUDART"

M=/tmp/models; mkdir -p $M && cp -r "$G/models/"* $M/
py "import torch,torchvision;torch.manual_seed(0);m=torchvision.models.resnet18().eval();torch.jit.trace(m,torch.rand(1,3,224,224)).save('$M/resnet18-untrained/resnet18-untrained.pt')"

export PYTORCH_LIBRARY_PATH="$TORCH/lib" PYTORCH_VERSION=$VER PYTORCH_FLAVOR=cu130 DJL_CACHE_DIR=$CACHE \
  LD_LIBRARY_PATH=/tmp/cudart:/tmp/jre/syslib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
  SERVER_PORT=8080 ADVLAB_STORE_DIR=/tmp/store ADVLAB_DATASETS_DIR=/tmp/images ADVLAB_MODEL_DEVICE=gpu \
  ADVLAB_MODELS_0_NAME=digits ADVLAB_MODELS_0_URL=$M/digits \
  ADVLAB_MODELS_1_NAME=resnet18 ADVLAB_MODELS_1_URL=$M/resnet18-untrained ADVLAB_ADMIN_TOKEN=gpu-proof-token
mkdir -p /tmp/images && tar -xJf "$G/digits-test.tar.xz" -C /tmp/images
[ -f "$G/digits-train.tar.xz" ] && tar -xJf "$G/digits-train.tar.xz" -C /tmp/images
if [ "${PROFILE:-0}" = 1 ]; then
  # Each G/variants/NAME.jar (a thin advlab.jar, `java -Djarmode=tools -jar advlab.jar extract`)
  # in turn, on the same machine, under async-profiler (G/libasyncProfiler.so, CPU samples per
  # thread; PROFILE_EVENT=wall for wall-clock samples), driven by pgd_profile.py; then the
  # plain-PyTorch peer.
  # PROFILE_EVENT=off runs the variants without the agent (timings without its overhead).
  for v in "$G"/variants/*.jar; do
    [ -f "$v" ] || continue
    name=$(basename "$v" .jar); cp "$v" /tmp/app/advlab.jar; AP=$(realpath "$G/libasyncProfiler.so")
    AGENT=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
      "-agentpath:$AP=start,event=${PROFILE_EVENT:-itimer},interval=${PROFILE_INTERVAL:-1ms},threads,collapsed,file=$OUT/cpu-$name.txt")
    [ "${PROFILE_EVENT:-}" = off ] && AGENT=()
    (cd /tmp/app && exec /tmp/jre/bin/java -Xss4m -XX:+ExitOnOutOfMemoryError "${AGENT[@]}" \
      -jar advlab.jar > "$OUT/server-$name.log" 2>&1) &
    JPID=$!
    PYTHONUNBUFFERED=1 timeout 240 python3 "$(dirname "$0")/pgd_profile.py" http://localhost:8080 \
      "$G/samples/photos/butterfly.jpg" "$OUT" "$name" "${REPEATS:-20}" "${CONC:-16}" "$LIMIT"
    echo "$name rc=$?"; kill $JPID; wait $JPID; [ -f "$OUT/cpu-$name.txt" ] && xz -T0 "$OUT/cpu-$name.txt"
    ls /tmp/app/hs_err*.log 2>/dev/null && mv /tmp/app/hs_err*.log "$OUT/"
  done
  # DJL alone on the same file and card (BareLoop.java): the engine's share of the gap to the peer;
  # BARE_OPTS="-Da=b -Dc=d;-De=f" runs it again with each ;-separated set of JVM options.
  if [ -f "$G/BareLoop.class" ]; then
    IFS=';' read -ra sets <<< "-Dbare.label=default;${BARE_OPTS:-}"
    for opts in "${sets[@]}"; do
      [ -n "$opts" ] || continue
      # shellcheck disable=SC2086  # each set is several options
      timeout 120 /tmp/jre/bin/java $opts -cp "$G:/tmp/app/lib/*" BareLoop $M/resnet18-untrained gpu \
        2>> "$OUT/bare.log" | tee -a "$OUT/bare.txt"
    done
  fi
  python3 "$(dirname "$0")/peer_pgd.py" $M/resnet18-untrained/resnet18-untrained.pt cuda "${CONC:-16}"
  exit 0
fi
(cd /tmp/app && /tmp/jre/bin/java -Xss4m -XX:+ExitOnOutOfMemoryError -jar advlab.jar > "$OUT/server.log" 2>&1) &
JPID=$!
if [ "${FINETUNE:-0}" = 1 ]; then
  py "import time,urllib.request
for i in range(120):
    try:
        urllib.request.urlopen('http://localhost:8080/actuator/health/readiness', timeout=5); break
    except Exception: time.sleep(2)"
  PYTHONUNBUFFERED=1 timeout 480 python3 "$(dirname "$0")/finetune.py" http://localhost:8080 gpu-proof-token "$OUT" \
    "${FT_EPOCHS:-5}"
  echo "finetune rc=$?"
else
PYTHONUNBUFFERED=1 timeout 400 python3 "$(dirname "$0")/scenario.py" http://localhost:8080 "$G/samples/digits" \
  "$G/samples/photos/butterfly.jpg" "$OUT" "$LIMIT" 10 "${CONC:-16}"
echo "scenario rc=$?"
python3 "$(dirname "$0")/peer_pgd.py" $M/resnet18-untrained/resnet18-untrained.pt cuda "${CONC:-16}"
fi
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv
grep -E 'PyTorch|Loaded model|cuda|CUDA|ERROR|Exception' "$OUT/server.log" | head -30
kill $JPID
