#!/usr/bin/env bash
# Builds, on this (CPU) machine, the folder that travels to the GPU machine (at most 64 MiB):
#   native/        DJL v0.33.0's PyTorch JNI sources (engines/pytorch/pytorch-native/src/main/native,
#                  api/src/main/native/djl/utils.h), the JNI header javac -h makes from that
#                  release's PyTorchLibrary.java, jni.h + jni_md.h, and bench/gpu/CMakeLists.txt
#   jre.tar.xz     a jlink'd JRE 17 (+ libjpeg/lcms2/gif/png that Debian's java.desktop links to)
#   app.tar.xz     target/advlab.jar extracted (jarmode tools) without pytorch-native-cpu and
#                  pytorch-jni; each jar re-stored uncompressed so xz squeezes it (51 -> 25 MB)
#   models/, samples/, digits-test.tar.xz   the digits model, resnet18's synset and settings,
#                  the sample images and the 1000 held-out digits
#   digits-train.tar.xz                       the 4000 training digits (fine-tuning)
#   device.sh, scenario.py, peer_pgd.py, finetune.py, pgd_profile.py   what runs there
#   attacks.py, common.py                     bench/peer's loops, which peer_pgd.py imports
#   libasyncProfiler.so, variants/current.jar            for PROFILE=1 (device.sh)
#   BareLoop.class                            DJL's PGD-10 alone (bench/gpu/BareLoop.java), for PROFILE=1
# Put libdjl_torch.so from a first run's output into OUT_DIR to skip the 42 s build next time.
# Usage: bench/gpu/prepare.sh DJL_GIT_DIR OUT_DIR   (DJL_GIT_DIR: a clone of deepjavalibrary/djl)
# Needs target/advlab.jar (./mvnw -B -ntp -o -q package -DskipTests) and ../shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
DJL=${1:?DJL git dir}; G=${2:?out dir}; SHARED=${ADVLAB_SHARED_DIR:-../shared}
J=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
rm -rf "$G"; mkdir -p "$G/native/src" "$G/native/include/djl" "$G/native/jni" "$G/models" "$G/samples"

git -C "$DJL" archive v0.33.0 engines/pytorch/pytorch-native/src/main/native engines/pytorch/pytorch-engine/src/main/java \
  api/src/main/native/djl/utils.h | tar -x -C "$TMP"
cp "$TMP"/engines/pytorch/pytorch-native/src/main/native/* "$G/native/src/"
# upstream fix after 0.33.0 (a82f2a9e5): write into a reserved-only vector was undefined behaviour
sed -i 's/jptrs.reserve(len);/jptrs.resize(len);/' "$G/native/src/ai_djl_pytorch_jni_PyTorchLibrary_ivalue.cc"
cp "$TMP/api/src/main/native/djl/utils.h" "$G/native/include/djl/"
cp bench/gpu/CMakeLists.txt "$G/native/"
cp "$J/include/jni.h" "$J/include/linux/jni_md.h" "$G/native/jni/"
api=$(find ~/.m2/repository/ai/djl/api/0.33.0 -name 'api-0.33.0.jar'); slf=$(find ~/.m2/repository/org/slf4j/slf4j-api -name '*.jar' | head -1)
"$J/bin/javac" -cp "$api:$slf" -sourcepath "$TMP/engines/pytorch/pytorch-engine/src/main/java" -h "$G/native/include" -d "$TMP/classes" \
  "$TMP/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"

"$J/bin/jlink" --add-modules java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,java.compiler,java.rmi,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.management,jdk.zipfs,jdk.charsets,jdk.jfr,jdk.naming.dns,jdk.net,jdk.httpserver \
  --compress=0 --strip-debug --no-header-files --no-man-pages --output "$TMP/jre"
mkdir -p "$TMP/jre/syslib"
for l in libjpeg.so.62 liblcms2.so.2 libgif.so.7 libpng16.so.16; do cp -L "$(ldconfig -p | grep -m1 "$l " | awk '{print $NF}')" "$TMP/jre/syslib/"; done
tar -C "$TMP" -cf - jre | xz -T0 -6 > "$G/jre.tar.xz"

"$J/bin/java" -Djarmode=tools -jar target/advlab.jar extract --destination "$TMP/app" > /dev/null
rm "$TMP"/app/lib/pytorch-native-*.jar "$TMP"/app/lib/pytorch-jni-*.jar
mkdir "$TMP/stored"
for j in "$TMP"/app/lib/*.jar "$TMP/app/advlab.jar"; do
  rel=${j#"$TMP/app/"}; mkdir -p "$TMP/x" "$(dirname "$TMP/stored/$rel")"
  (cd "$TMP/x" && unzip -q "$j" && zip -q -0 -r -X "$TMP/stored/$rel" .); rm -rf "$TMP/x"
done
tar -C "$TMP/stored" -cf - . | xz -T0 -6 > "$G/app.tar.xz"

cp -r "$SHARED/models/digits" "$G/models/"
mkdir -p "$G/models/resnet18-untrained"; cp "$SHARED"/models/resnet18-untrained/{synset.txt,serving.properties} "$G/models/resnet18-untrained/"
cp -r samples/digits "$G/samples/"; mkdir -p "$G/samples/photos"; cp samples/photos/butterfly.jpg "$G/samples/photos/"
tar -C "$SHARED/images/digits" -cf - test | xz -T0 -6 > "$G/digits-test.tar.xz"
tar -C "$SHARED/images/digits" -cf - train | xz -T0 -6 > "$G/digits-train.tar.xz"
# async-profiler's native agent and this build's thin jar, for PROFILE=1 (device.sh): add a
# baseline's thin jar to $G/variants to run both on the same card.
./mvnw -q -B dependency:get -Dartifact=tools.profiler:async-profiler:4.1 > /dev/null
unzip -p ~/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar linux-x64/libasyncProfiler.so \
  > "$G/libasyncProfiler.so"
mkdir -p "$G/variants"; "$J/bin/java" -Djarmode=tools -jar target/advlab.jar extract --destination "$TMP/thin" > /dev/null
cp "$TMP/thin/advlab.jar" "$G/variants/current.jar"
"$J/bin/javac" --release 17 -cp "$TMP/app/lib/*" -d "$G" bench/gpu/BareLoop.java
cp bench/gpu/device.sh bench/gpu/scenario.py bench/gpu/peer_pgd.py bench/gpu/finetune.py bench/gpu/pgd_profile.py \
  bench/peer/attacks.py bench/peer/common.py "$G/"
du -sh "$G"; du -sh "$G"/*
