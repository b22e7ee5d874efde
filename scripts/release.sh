#!/usr/bin/env bash
# pnpm release: one version for every package and app (changesets' fixed group), changelogs,
# then, once the images are built and the chart lints and packages, the npm packages, the
# images and the Helm chart, under the names installations reference and `qhc mirror` copies.
#   QHC_RELEASE_REGISTRY    where images go, e.g. registry.example.com/qdrant (required)
#   QHC_RELEASE_CHARTS      where the chart goes (default: $QHC_RELEASE_REGISTRY/charts)
#   QHC_RELEASE_PLAIN_HTTP  set to 1 for a registry without TLS
# Logins: npm's for the packages; podman/buildah login (or docker's config) for the registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${QHC_RELEASE_REGISTRY:-}" ]; then
  echo "release: set QHC_RELEASE_REGISTRY to where the images go (e.g. registry.example.com/qdrant); nothing was published" >&2
  exit 2
fi
command -v buildah >/dev/null || { echo "release: buildah is missing (scripts/setup.sh installs it); nothing was published" >&2; exit 2; }
QHC_HELM=$(tooling/helm/build.sh)
export QHC_HELM

pnpm changeset version
pnpm install --no-frozen-lockfile
# The default registry of every region is where this release pushes: written into @qhc/schemas
# (and the chart's defaults) before anything is built, so what is published names it.
node scripts/release-registry.mjs "$QHC_RELEASE_REGISTRY" "${QHC_RELEASE_CHARTS:-$QHC_RELEASE_REGISTRY/charts}" "${QHC_RELEASE_PLAIN_HTTP:-}"
pnpm --filter @qhc/schemas generate
pnpm --filter @qhc/helm generate
pnpm turbo run build
# Everything that can fail without a registry fails here, before anything is published.
pnpm images
"$QHC_HELM" lint --strict charts/qhc -f charts/qhc/ci/minimal-values.yaml

pnpm changeset publish
args=(--push "$QHC_RELEASE_REGISTRY" --no-build)
[ -n "${QHC_RELEASE_CHARTS:-}" ] && args+=(--charts "$QHC_RELEASE_CHARTS")
[ "${QHC_RELEASE_PLAIN_HTTP:-}" = 1 ] && args+=(--plain-http)
pnpm images "${args[@]}"
