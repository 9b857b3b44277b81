#!/usr/bin/env bash
# Makes a PostgreSQL server available on a fresh Debian 12 machine for the two-replica test
# (TwoReplicasOnPostgresIT): Debian's postgresql package (PostgreSQL 15), its cluster started, a
# user advlab / password advlab (allowed to create databases: the test makes a fresh one per run)
# and a database advlab. Idempotent: each step is skipped when already done.
#
#   sudo bash .ci/postgres-setup.sh        # prints the JDBC URL as its last line
#
# The last line of its output is the JDBC URL of the database (the cluster's own port).
set -euo pipefail

t0=$(date +%s)
step() { echo "[postgres-setup] $(( $(date +%s) - t0 ))s: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }
sql() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -tA -c "$1"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "[postgres-setup] must run as root" >&2
  exit 1
fi

# 1. The package.
if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q 'install ok installed'; then
  step "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  step "installed postgresql"
else
  step "postgresql already installed"
fi

# 2. A cluster, running. Debian's package creates <version>/main; a machine may have another.
cluster=$(pg_lsclusters -h | awk 'NR == 1 {print $1, $2, $3, $4}')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  step "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
  cluster=$(pg_lsclusters -h | awk 'NR == 1 {print $1, $2, $3, $4}')
fi
read -r version name port status <<<"$cluster"
if [ "$status" != online ]; then
  step "starting cluster $version/$name on port $port"
  pg_ctlcluster "$version" "$name" start
else
  step "cluster $version/$name already online on port $port"
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2

# 3. The user and the database.
if [ "$(sql "select count(*) from pg_roles where rolname = 'advlab'")" = 0 ]; then
  step "creating user advlab"
  sql "create user advlab password 'advlab' createdb"
else
  step "user advlab exists; making sure of its password and createdb"
  sql "alter user advlab password 'advlab' createdb"
fi
if [ "$(sql "select count(*) from pg_database where datname = 'advlab'")" = 0 ]; then
  step "creating database advlab"
  sql "create database advlab owner advlab"
else
  step "database advlab exists"
fi

echo "jdbc:postgresql://127.0.0.1:$port/advlab"
