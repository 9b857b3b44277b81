#!/usr/bin/env bash
# Makes a Docker engine and a local JRE base image available on a fresh Debian 12 machine, without
# Docker Hub (unreachable from CI). Idempotent: each step is skipped when already done.
#
#   sudo bash .ci/docker-setup.sh          # then: ./mvnw -B verify
#
# Environment (all optional):
#   ADVLAB_BASE_IMAGE   name of the JRE base image to build       (default advlab/jre-base:17)
#   ADVLAB_SUITE        Debian suite for debootstrap               (default bookworm)
#   ADVLAB_MIRROR       Debian mirror for debootstrap              (default http://deb.debian.org/debian)
#
# The image is a debootstrap'ed minimal Debian with openjdk-17-jre-headless, ca-certificates and
# curl (for HEALTHCHECK), imported with `docker import`. ContainerIT and the Dockerfile take it as
# the BASE_IMAGE build argument (ContainerIT reads ADVLAB_BASE_IMAGE, default advlab/jre-base:17).
set -euo pipefail

BASE_IMAGE="${ADVLAB_BASE_IMAGE:-advlab/jre-base:17}"
SUITE="${ADVLAB_SUITE:-bookworm}"
MIRROR="${ADVLAB_MIRROR:-http://deb.debian.org/debian}"
DOCKER=/usr/bin/docker   # Debian's client (20.10) does BuildKit; /usr/local/bin/docker may lack buildx

t0=$(date +%s)
step() { echo "[docker-setup] $(( $(date +%s) - t0 ))s: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "[docker-setup] must run as root" >&2
  exit 1
fi

# 1. Packages.
missing=()
for pkg in docker.io debootstrap docker-compose; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step "installed ${missing[*]}"
else
  step "docker.io, debootstrap, docker-compose already installed"
fi

# 2. The engine. No iptables on CI machines: containers reach the host through published ports.
if ! $DOCKER info >/dev/null 2>&1; then
  step "starting dockerd"
  mkdir -p /var/log
  nohup dockerd --iptables=false >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    $DOCKER info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! $DOCKER info >/dev/null 2>&1; then
    echo "[docker-setup] dockerd did not answer within 60 s; log:" >&2
    tail -n 50 /var/log/dockerd.log >&2
    exit 1
  fi
  step "dockerd answers ($($DOCKER info --format '{{.ServerVersion}} {{.Driver}}'))"
else
  step "dockerd already running ($($DOCKER info --format '{{.ServerVersion}} {{.Driver}}'))"
fi

# 3. The JRE base image, built from Debian packages instead of pulled from Docker Hub.
if $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  step "base image $BASE_IMAGE already present"
else
  rootfs=$(mktemp -d /var/tmp/advlab-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  step "debootstrap $SUITE into $rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,curl \
    "$SUITE" "$rootfs" "$MIRROR" >/var/log/advlab-debootstrap.log 2>&1 \
    || { tail -n 50 /var/log/advlab-debootstrap.log >&2; exit 1; }
  step "debootstrap done"
  # (java cannot run inside the bare chroot: it finds libjli.so through /proc/self/exe.)
  # Slim it: package caches and lists, docs, man pages, locales other than the C locale.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
  tar -C "$rootfs" -c . | $DOCKER import \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'CMD ["java", "-version"]' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  step "imported $BASE_IMAGE ($($DOCKER image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
fi

# sed -n (not head): head would exit early and the pipe's SIGPIPE would fail the script under pipefail.
$DOCKER run --rm "$BASE_IMAGE" java -version 2>&1 | sed -n '1s/^/[docker-setup] base image: /p'
step "done"
