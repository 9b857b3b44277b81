# advlab image: the layered Spring Boot jar on a glibc JRE, PyTorch natives pre-extracted, offline.
#
#   ./mvnw -B package -DskipTests                       # builds target/advlab.jar (CPU natives)
#   docker build -t advlab:cpu .                        # BASE_IMAGE defaults to eclipse-temurin:17-jre
#   docker run -p 8080:8080 -v "$PWD/../shared/models/digits:/models/digits:ro" \
#       -e ADVLAB_MODEL_URL=/models/digits advlab:cpu
#
# CUDA 12.4 variant (see docs/deploy.md):
#   ./mvnw -B -Pcuda package -DskipTests                # pytorch-native-cu124 instead of -cpu
#   docker build -t advlab:cuda --build-arg BASE_IMAGE=advlab/cuda-jre:12.4 .
# where advlab/cuda-jre:12.4 is built from docker/cuda-jre.Dockerfile (CUDA runtime + JRE 17).
#
# A model baked into the image instead of mounted, from a local folder (target `with-model`):
#   cp -r ../shared/models/digits target/model
#   docker build --target with-model --build-arg MODEL_DIR=target/model -t advlab:digits .
# or fetched at build time from any model URL, e.g. the DJL zoo's pretrained ResNet18 (target
# `with-fetched-model`):
#   docker build --target with-fetched-model \
#       --build-arg MODEL_URL=djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18 -t advlab:resnet18 .
#
# Without Docker Hub (CI): BASE_IMAGE=advlab/jre-base:17 from .ci/docker-setup.sh.

ARG BASE_IMAGE=eclipse-temurin:17-jre

# ---- 1. Unpack the jar into its layers and the PyTorch natives into DJL's cache layout. ----
FROM ${BASE_IMAGE} AS extract
WORKDIR /build
ARG JAR_FILE=target/advlab.jar
COPY ${JAR_FILE} app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination /extracted \
 && mkdir -p /extracted/dependencies /extracted/spring-boot-loader \
             /extracted/snapshot-dependencies /extracted/application
RUN java -cp "/extracted/application/BOOT-INF/classes:/extracted/dependencies/BOOT-INF/lib/*" \
        io.advlab.model.NativeLibraries /opt/advlab/engines \
 && chmod -R a+rX /opt/advlab

# ---- 2. The runtime image. ----
FROM ${BASE_IMAGE} AS runtime-base
# A numeric user that needs no useradd (not every base has it). Files stay root-owned and
# read-only; only the caches are writable, so the image also runs with a read-only root.
RUN { grep -q '^advlab:' /etc/passwd || echo 'advlab:x:10001:10001:advlab:/home/advlab:/usr/sbin/nologin' >> /etc/passwd; } \
 && { grep -q '^advlab:' /etc/group || echo 'advlab:x:10001:' >> /etc/group; } \
 && mkdir -p /home/advlab /var/cache/advlab /var/lib/advlab/models /models \
 && chown 10001:10001 /home/advlab /var/cache/advlab /var/lib/advlab/models
WORKDIR /app
# Least to most frequently changed, so a code change rebuilds only the last layer.
COPY --from=extract /opt/advlab/engines /opt/advlab/engines
COPY --from=extract /extracted/dependencies/ ./
COPY --from=extract /extracted/spring-boot-loader/ ./
COPY --from=extract /extracted/snapshot-dependencies/ ./
COPY --from=extract /extracted/application/ ./
# ENGINE_CACHE_DIR: the baked natives (read-only). DJL_CACHE_DIR: model zoo downloads (writable;
# an emptyDir in Kubernetes). ADVLAB_STORE_DIR: registered model versions (mount a volume there
# to keep them; a PVC in the Helm chart). DJL is not forced offline: a zoo model downloads when
# the container has a network, and is FAILED with the reason when it has none. -Xss4m: TorchScript's recursive JIT needs deeper native stacks
# than the 1 MB default (the tests run with it too). Memory follows the container's limit.
# MALLOC_*: libtorch's large tensors stay in glibc's heap between passes instead of being mapped,
# trimmed and faulted in again each time (README "Native memory"; the same values as pom.xml).
ENV MALLOC_MMAP_THRESHOLD_=134217728 \
    MALLOC_TRIM_THRESHOLD_=268435456 \
    MALLOC_TOP_PAD_=67108864 \
    ENGINE_CACHE_DIR=/opt/advlab/engines \
    DJL_CACHE_DIR=/var/cache/advlab/djl \
    ADVLAB_STORE_DIR=/var/lib/advlab/models \
    HOME=/home/advlab \
    JAVA_TOOL_OPTIONS="-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=75 -Xss4m"
USER 10001:10001
EXPOSE 8080
# Needs curl or wget in the base (the debootstrap base has curl); Kubernetes ignores it and
# probes the actuator groups itself (Helm chart).
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/readiness \
   || wget -q -O /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# ---- 3. Optional: a model folder baked in (docker build --target with-model). ----
FROM runtime-base AS with-model
ARG MODEL_DIR=docker/no-model
COPY ${MODEL_DIR} /models/baked/
ENV ADVLAB_MODEL_URL=/models/baked

# ---- 4. Optional: a model fetched at build time (needs network; on a machine whose Docker has no
# ---- iptables, add --network host): docker build --target with-fetched-model --build-arg MODEL_URL=...
# MODEL_URL is anything ADVLAB_MODEL_URL accepts, e.g. the DJL zoo's pretrained ResNet18
# djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18. The model is loaded once here, exactly as the
# service will load it, so a broken model fails the build. Without MODEL_URL this stage does nothing:
# the classic builder (DOCKER_BUILDKIT=0) builds every stage before the target, this one included.
FROM extract AS fetch-model
ARG MODEL_URL=
RUN mkdir -p /models/fetched \
 && if [ -n "$MODEL_URL" ]; then \
      ENGINE_CACHE_DIR=/opt/advlab/engines DJL_CACHE_DIR=/tmp/djl java -Xss4m -Dai.djl.offline=false \
        -cp "/extracted/application/BOOT-INF/classes:/extracted/dependencies/BOOT-INF/lib/*" \
        io.advlab.model.ModelFetcher "$MODEL_URL" /models/fetched \
      && rm -rf /tmp/djl; \
    else \
      echo "No model: build the with-fetched-model target with --build-arg MODEL_URL=..." > /models/fetched/README.md; \
    fi \
 && chmod -R a+rX /models/fetched

FROM runtime-base AS with-fetched-model
COPY --from=fetch-model /models/fetched /models/baked/
ENV ADVLAB_MODEL_URL=/models/baked

# ---- Default target: the image without a model (mount one, or use the DJL zoo URL). ----
FROM runtime-base AS runtime
