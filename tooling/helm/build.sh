#!/usr/bin/env bash
# Builds helm from its Go module (no release binary can be downloaded here), cached outside
# the repo keyed by (helm version, Go version), so a warm machine skips the ~2 minute build.
# Prints the binary's path; QHC_HELM overrides the whole thing.
set -euo pipefail

HELM_VERSION=v4.3.1
export GOTOOLCHAIN=local CGO_ENABLED=0

if [ -n "${QHC_HELM:-}" ]; then echo "$QHC_HELM"; exit 0; fi
go_version=$(go env GOVERSION)
root=${XDG_CACHE_HOME:-$HOME/.cache}/qhc/helm
bin=$root/helm-${HELM_VERSION}_${go_version}/bin

record_current() {
  printf '{"binary":"%s","version":"%s"}\n' "$bin/helm" "$HELM_VERSION" >"$root/current.json.tmp"
  mv "$root/current.json.tmp" "$root/current.json"
}

mkdir -p "$root"
if [ -x "$bin/helm" ]; then
  echo "[helm] cached: $bin/helm" >&2
  record_current
  echo "$bin/helm"
  exit 0
fi

echo "[helm] building helm ${HELM_VERSION} into $bin (cold: ~2 minutes on 2 cores)" >&2
work=$(mktemp -d "$root/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS
GOBIN=$work go install -trimpath -ldflags '-s -w' "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}" >&2
mkdir -p "$bin"
# Atomic: a build cut off half-way never looks cached.
mv "$work/helm" "$bin/helm.tmp" && mv "$bin/helm.tmp" "$bin/helm"
echo "[helm] built in $((SECONDS - start))s: $("$bin/helm" version --short)" >&2
record_current
echo "$bin/helm"
