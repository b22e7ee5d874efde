#!/usr/bin/env bash
# One command that installs everything qhc needs on a fresh Debian machine:
#   Node 24 and pnpm (from the npm registry) when the machine's Node is older,
#   the workspace's dependencies, the kube sandbox binaries (with a kubelet and its pause image), helm and Ory Hydra (built from Go
#   modules, cached outside the repo), and the Debian packages the tests need.
# Idempotent: a warm machine finishes in seconds.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/qhc
node_major=24
pnpm_version=12.21.0
toolchain=$cache/toolchain/node${node_major}-pnpm${pnpm_version}

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Where the node/pnpm shims go: /usr/local/bin precedes /usr/bin on Debian's PATH,
# so a fresh shell finds Node 24 without sourcing anything.
if [ -w /usr/local/bin ]; then bindir=/usr/local/bin; else bindir=$HOME/.local/bin; mkdir -p "$bindir"; fi

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major; major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" -ge "$node_major" ]
}

link_tool() { ln -sf "$1" "$bindir/$2"; }

debian_packages() {
  # openssl: sandbox PKI. git: changesets and the staleness tests. ca-certificates: npm/Go.
  # postgresql: the control plane's tests run on PostgreSQL as well as SQLite.
  # buildah, podman, runc, skopeo, docker-registry: the images are built, run, pushed and mirrored
  # in the tests (apache2-utils' htpasswd makes the test registry's bcrypt password entry).
  # chromium: the console's browser test drives it with playwright-core (Playwright cannot
  # download its own browser builds here).
  # containerd, containernetworking-plugins: the sandbox's real kubelet node runs qhc's own
  # images as pods (containerd 1.6 from Debian; the bridge CNI only makes the node Ready).
  local missing=()
  for p in openssl git ca-certificates postgresql buildah podman runc skopeo docker-registry apache2-utils chromium containerd containernetworking-plugins; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}";
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; fi
  fi
}

install_toolchain() {
  if [ ! -x "$toolchain/node_modules/.bin/pnpm" ] || [ ! -x "$toolchain/node_modules/.bin/node" ]; then
    log "installing Node ${node_major} and pnpm ${pnpm_version} into $toolchain"
    mkdir -p "$toolchain"
    # One npm call: a second --no-save install would remove the first one's packages.
    npm install --prefix "$toolchain" --no-audit --no-fund --loglevel=error \
      "node@${node_major}" "pnpm@${pnpm_version}" >/dev/null
  fi
  link_tool "$toolchain/node_modules/.bin/node" node
  link_tool "$toolchain/node_modules/.bin/pnpm" pnpm
  link_tool "$toolchain/node_modules/.bin/pnpx" pnpx 2>/dev/null || true
  hash -r
  log "node $(node --version), pnpm $(pnpm --version) on $bindir"
}

debian_packages
if node_ok && command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$pnpm_version" ]; then
  log "node $(node --version) and pnpm $(pnpm --version) already present"
else
  install_toolchain
fi
export PATH="$bindir:$PATH"

cd "$here"
log "installing workspace dependencies"
# Frozen: the lockfile is the truth; a drift fails here rather than installing something else.
CI=true pnpm install --frozen-lockfile --reporter=append-only

if [ -x tooling/kube-sandbox/build.sh ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: the kube sandbox is built from Go modules and needs Go >= 1.26 on PATH (none found)" >&2
    exit 1
  fi
  log "building the kube sandbox (cached by version)"
  tooling/kube-sandbox/build.sh
fi

# helm: the chart's tests render, lint, package, push and install it (Go modules, cached by version).
log "building helm (cached by version)"
tooling/helm/build.sh >/dev/null

# Ory Hydra: the OpenID Connect provider of the SSO tests (Go module with cgo for its in-memory
# SQLite store, so gcc too; cached by version).
if ! command -v gcc >/dev/null 2>&1; then
  log "installing gcc (Hydra's SQLite store is cgo)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev;
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev; fi
fi
log "building Ory Hydra for the OIDC tests (cached by version)"
tooling/oidc-provider/build.sh >/dev/null

log "building workspace packages"
pnpm build
log "done"
