#!/usr/bin/env bash
# Builds Ory Hydra from its Go module (go/go.mod pins it; no release binary can be downloaded
# here) for the tests' OpenID Connect provider. Cached outside the repo keyed by (Hydra version,
# Go version, go.sum), so a warm machine skips the build. Prints the binary's path;
# QHC_HYDRA overrides the whole thing.
set -euo pipefail

HYDRA_VERSION=v2.3.0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# CGO: Hydra's in-memory store (DSN=memory) is SQLite through mattn/go-sqlite3.
export GOTOOLCHAIN=local CGO_ENABLED=1

if [ -n "${QHC_HYDRA:-}" ]; then echo "$QHC_HYDRA"; exit 0; fi
go_version=$(go env GOVERSION)
sum=$(sha256sum "$here/go/go.sum" | cut -c1-12)
root=${XDG_CACHE_HOME:-$HOME/.cache}/qhc/oidc-provider
bin=$root/hydra-${HYDRA_VERSION}_${go_version}_${sum}/bin

record_current() {
  printf '{"binary":"%s","version":"%s"}\n' "$bin/hydra" "$HYDRA_VERSION" >"$root/current.json.tmp"
  mv "$root/current.json.tmp" "$root/current.json"
}

mkdir -p "$root"
if [ -x "$bin/hydra" ]; then
  echo "[oidc-provider] cached: $bin/hydra" >&2
  record_current
  echo "$bin/hydra"
  exit 0
fi

pinned=$(cd "$here/go" && go list -m -f '{{.Version}}' github.com/ory/hydra/v2)
if [ "$pinned" != "$HYDRA_VERSION" ]; then
  echo "[oidc-provider] go/go.mod pins hydra $pinned but build.sh says $HYDRA_VERSION" >&2
  exit 1
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "[oidc-provider] Hydra's SQLite store needs cgo: install gcc (Debian: build-essential)" >&2
  exit 1
fi

echo "[oidc-provider] building hydra ${HYDRA_VERSION} into $bin (cold: 5 to 9 minutes on 2 busy cores)" >&2
work=$(mktemp -d "$root/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS
# The tags are the ones Hydra's own Makefile and Dockerfiles build with.
(cd "$here/go" && go build -trimpath -tags sqlite,sqlite_omit_load_extension \
  -ldflags "-s -w -X github.com/ory/hydra/v2/driver/config.Version=$HYDRA_VERSION" \
  -o "$work/hydra" github.com/ory/hydra/v2) >&2
mkdir -p "$bin"
# Atomic: a build cut off half-way never looks cached.
mv "$work/hydra" "$bin/hydra.tmp" && mv "$bin/hydra.tmp" "$bin/hydra"
echo "[oidc-provider] built in $((SECONDS - start))s: $("$bin/hydra" version 2>/dev/null | head -1)" >&2
record_current
echo "$bin/hydra"
