#!/usr/bin/env bash
# A stand-in for the image node:<major>-bookworm-slim, for checking the Docker image on a machine
# without a Docker engine (tests/docker-image.test.ts): Debian bookworm as debootstrap's minbase
# variant installs it, the given node binary in /usr/local/bin, and the user node (uid and gid
# 1000) created as the official image's Dockerfile creates it.
# Usage: scripts/debian-rootfs.sh <dir> <node binary>. Does nothing when <dir> already exists.
set -euo pipefail
dir=$1
node=$2
[ -d "$dir" ] && exit 0
mkdir -p "$(dirname "$dir")"
partial="$dir.partial.$$"
trap 'rm -rf "$partial"' EXIT
debootstrap --variant=minbase bookworm "$partial" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
rm -rf "$partial"/var/cache/apt/archives/*.deb "$partial"/var/lib/apt/lists/*
install -m 0755 "$node" "$partial/usr/local/bin/node"
chroot "$partial" groupadd --gid 1000 node
chroot "$partial" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
mv "$partial" "$dir"
