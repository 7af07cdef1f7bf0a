#!/usr/bin/env bash
# Refreshes .ci/advisory-db.tar.gz, the snapshot of the RustSec advisory database that
# `cargo deny` reads in CI (which has no network beyond the package registries). Run it where
# GitHub is reachable and commit the result with its new commit line in advisory-db.SOURCE.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --depth 1 https://github.com/rustsec/advisory-db "$work/repo"
commit=$(git -C "$work/repo" rev-parse HEAD)
date=$(git -C "$work/repo" log -1 --format=%cs)
git -C "$work/repo" archive --format=tar --prefix=advisory-db/ HEAD crates rust LICENSE.txt README.md \
  | gzip -9n >advisory-db.tar.gz
sed -i "s/^commit: .*/commit: $commit ($date)/" advisory-db.SOURCE
echo "advisory-db.tar.gz: rustsec/advisory-db @ $commit ($date)"
