# Base image for the CUDA variant of advlab: the CUDA 12.4 runtime (what DJL's
# pytorch-native-cu124:2.5.1 natives link against) plus a headless Java 17 runtime and curl
# (the root Dockerfile's HEALTHCHECK uses it). Needs Docker Hub (nvidia/cuda) and the Ubuntu
# archive at build time.
#
#   docker build -f docker/cuda-jre.Dockerfile -t advlab/cuda-jre:12.4 docker
#   ./mvnw -B -Pcuda package -DskipTests
#   docker build -t advlab:cuda --build-arg BASE_IMAGE=advlab/cuda-jre:12.4 .
#   docker run --gpus all -p 8080:8080 -e ADVLAB_MODEL_DEVICE=gpu ... advlab:cuda
#
# The cu124 natives bundle their own cuDNN 9, cuBLAS and cudart (see native/lib/pytorch.properties
# in the jar), so the plain runtime image is enough; CUDA_IMAGE=...-cudnn-runtime-ubuntu22.04 is the
# larger alternative (system cuDNN too). The nvidia/cuda images already set NVIDIA_VISIBLE_DEVICES=all and
# NVIDIA_DRIVER_CAPABILITIES=compute,utility for the NVIDIA container toolkit.

ARG CUDA_IMAGE=nvidia/cuda:12.4.1-runtime-ubuntu22.04
FROM ${CUDA_IMAGE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && java -version

ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    LANG=C.UTF-8
