#!/usr/bin/env bash
# Installs the Debian packages the ops tests need when they are missing: nginx (config test and
# loopback proxy test), shellcheck (script lint), docker-compose (compose file validation), zstd and
# openssl (backups, test certificates), a PostgreSQL client whose major version is at least the
# server's (pg_dump refuses newer servers), and podman, buildah, runc, catatonit, debootstrap and curl (the
# production image is built and run by ops/image.test.ts).
# Safe to run any number of times: it does nothing when everything is present.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ops/ci/install-tools.sh [--dry-run] [--help]

Installs, with apt-get, whichever of these are missing: nginx, shellcheck, docker-compose, zstd,
openssl, awscli, postgresql-client-<server major>, podman, buildah, runc, catatonit, debootstrap,
curl. Services
are never started by the installation.
  --dry-run   print what would be installed and exit
USAGE
}

dry_run=false
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -n | --dry-run) dry_run=true ;;
    *) echo "install-tools: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf 'install-tools: %s\n' "$*"; }

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# The image test (ops/image.test.ts): podman with runc (crun refuses mixed cgroup v1/v2 hosts).
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
# `init: true` in docker-compose.yml is `podman run --init`, which runs podman's catatonit.
[ -x /usr/libexec/podman/catatonit ] || command -v catatonit >/dev/null 2>&1 || missing+=(catatonit)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
command -v aws >/dev/null 2>&1 || missing+=(awscli) # the offsite upload test (ops/offsite.test.ts)

# The server's major version: from the running server if it answers, else from the installed server.
server_major=""
if command -v psql >/dev/null 2>&1; then
  server_num=$(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d postgres \
    -tAc 'show server_version_num' 2>/dev/null || true)
  [ -n "$server_num" ] && server_major=$((server_num / 10000))
fi
if [ -z "$server_major" ] && [ -d /usr/lib/postgresql ]; then
  server_major=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n1)
fi
client_major=""
if command -v pg_dump >/dev/null 2>&1; then
  client_major=$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
fi
if [ -n "$server_major" ] && { [ -z "$client_major" ] || [ "$client_major" -lt "$server_major" ]; }; then
  missing+=("postgresql-client-$server_major")
elif [ -z "$client_major" ]; then
  missing+=(postgresql-client)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  log "all tools present"
  exit 0
fi
log "missing: ${missing[*]}"
if [ "$dry_run" = true ]; then
  log "dry run: would run apt-get install -y --no-install-recommends ${missing[*]}"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: install ${missing[*]} by hand" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

# Package installation must not start nginx on port 80: a policy-rc.d that forbids starting services,
# put in place only if none exists, and removed afterwards.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  created_policy=true
fi
cleanup() { if [ "$created_policy" = true ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
log "installed: ${missing[*]}"
