#!/usr/bin/env bash
# Makes a local stand-in for the `oven/bun` base image the Dockerfile names, for machines that build the
# image with podman but cannot pull from Docker Hub (CI). Debian bookworm (debootstrap --variant=minbase)
# + the official Bun binary from npm (@oven/bun-linux-x64, the project's Bun version) + a `bun` user with
# uid 1000, like the real image. The root file system is cached per Bun version, so only the first run
# pays for debootstrap (~25 s) and the download.
#   ops/image/bun-base.sh --tag docker.io/oven/bun:1.4-slim --bun-version 1.4.5 --cache DIR
# Extra podman options (storage, runtime) come from the PODMAN_OPTS environment variable.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ops/image/bun-base.sh --tag IMAGE --bun-version X.Y.Z --cache DIR [--help]

Creates IMAGE (e.g. docker.io/oven/bun:1.4-slim) in podman's local storage unless it already exists with
the same Bun version. Needs root (debootstrap), podman, debootstrap and npm or curl.
  --tag          the image name the Dockerfile's FROM lines use
  --bun-version  the Bun release to install (the project's: `bun --version`)
  --cache        directory for the cached root file system (one tarball per Bun version)
USAGE
}

tag="" version="" cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --bun-version) version="${2:?--bun-version needs a value}"; shift 2 ;;
    --cache) cache="${2:?--cache needs a value}"; shift 2 ;;
    *) echo "bun-base: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$tag" ] || [ -z "$version" ] || [ -z "$cache" ]; then usage >&2; exit 2; fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bun-base: --bun-version must be X.Y.Z" >&2; exit 2; }

read -r -a podman_opts <<<"${PODMAN_OPTS:-}"
podman_() { podman "${podman_opts[@]}" "$@"; }
log() { printf 'bun-base: %s\n' "$*" >&2; }

label=$(podman_ image inspect --format '{{ index .Labels "assembly.bun-version" }}' "$tag" 2>/dev/null || true)
if [ "$label" = "$version" ]; then
  log "$tag (Bun $version) already present"
  exit 0
fi

mkdir -p "$cache"
rootfs_tar="$cache/bun-base-$version.tar"
if [ ! -s "$rootfs_tar" ]; then
  work=$(mktemp -d "$cache/.work.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "debootstrap bookworm (minbase)"
  debootstrap --variant=minbase bookworm "$work/rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  log "Bun $version from npm (@oven/bun-linux-x64)"
  tarball="$work/oven-bun-linux-x64-$version.tgz"
  if command -v npm >/dev/null 2>&1; then
    (cd "$work" && npm pack --silent "@oven/bun-linux-x64@$version" >/dev/null)
  else
    curl -fsSL -o "$tarball" \
      "${NPM_REGISTRY:-https://registry.npmjs.org}/@oven/bun-linux-x64/-/bun-linux-x64-$version.tgz"
  fi
  tar -xzf "$tarball" -C "$work" package/bin/bun
  install -m 0755 "$work/package/bin/bun" "$work/rootfs/usr/local/bin/bun"
  ln -sf bun "$work/rootfs/usr/local/bin/bunx"
  # The real image's user: bun, uid/gid 1000, home /home/bun.
  chroot "$work/rootfs" groupadd --gid 1000 bun
  chroot "$work/rootfs" useradd --uid 1000 --gid bun --create-home --shell /bin/sh bun
  # This machine's extra CA certificates (a TLS-inspecting proxy), so `bun install` in the build works.
  mkdir -p "$work/rootfs/etc/ssl/certs"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
    cat /usr/local/share/ca-certificates/*.crt >"$work/rootfs/etc/ssl/certs/extra-ca.pem"
  fi
  rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
  tar -C "$work/rootfs" --numeric-owner -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
fi

changes=(
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --change "WORKDIR /home/bun/app"
  --change "CMD [\"/usr/local/bin/bun\"]"
  --change "LABEL assembly.bun-version=$version"
)
if tar -tf "$rootfs_tar" ./etc/ssl/certs/extra-ca.pem >/dev/null 2>&1; then
  changes+=(--change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/extra-ca.pem")
fi
log "podman import as $tag"
podman_ import "${changes[@]}" "$rootfs_tar" "$tag" >/dev/null
log "$tag ready"
