#!/usr/bin/env bash
# Builds the kube sandbox from Go modules, unchanged upstream sources: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubelet of the pinned Kubernetes release, our
# embedded-etcd launcher, kwok, and the real node's pause image (an OCI archive: no registry
# here serves registry.k8s.io/pause). Binaries are cached outside the repo, keyed by
# (Kubernetes, etcd, kwok and Go versions, go.sum), so a warm machine skips the build.
# Prints where they are; QHC_SANDBOX_BIN overrides the whole thing for the harness.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=go/versions.env
. "$here/go/versions.env"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath

go_version=$(go env GOVERSION)
sum=$(sha256sum "$here/go/go.sum" | cut -c1-12)
key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${go_version}_${sum}"
root=${XDG_CACHE_HOME:-$HOME/.cache}/qhc/kube-sandbox
bin=$root/$key/bin
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubelet sandbox-etcd kwok pause.tar)
# The tag the real node's containerd is told to use as its sandbox image (real-node.ts).
pause_ref=registry.k8s.io/pause:3.10

log() { printf '[kube-sandbox] %s\n' "$*"; }

record_current() {
  mkdir -p "$root"
  printf '{"binDir":"%s","kubernetesVersion":"%s","etcdVersion":"%s","kwokVersion":"%s"}\n' \
    "$bin" "$K8S_VERSION" "$ETCD_VERSION" "$KWOK_VERSION" >"$root/current.json.tmp"
  mv "$root/current.json.tmp" "$root/current.json"
  # The real node's files on their own: a checkout whose build has no kubelet (an older one)
  # rewrites current.json, and must not take the kubelet away from this one.
  printf '{"binDir":"%s"}\n' "$bin" >"$root/real-node.json.tmp"
  mv "$root/real-node.json.tmp" "$root/real-node.json"
}

missing=()
for b in "${binaries[@]}"; do [ -e "$bin/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then
  log "cached: $bin"
  record_current
  exit 0
fi

log "building ${missing[*]} into $bin (cold: ~8 minutes on 2 cores)"
work=$(mktemp -d "$root.build.XXXXXX" 2>/dev/null || { mkdir -p "$root" && mktemp -d "$root.build.XXXXXX"; })
trap 'rm -rf "$work"' EXIT

minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
done

timed() {
  local name=$1; shift
  local start=$SECONDS
  log "  $name ..."
  "$@"
  log "  $name done in $((SECONDS - start))s"
}

cd "$here/go"
go mod download
# A static Go program that waits for SIGTERM, alone in a scratch image (buildah, vfs storage
# as everywhere on these machines), saved as an archive the real node imports into containerd.
build_pause() {
  go build -ldflags "-s -w" -o "$work/pause" ./cmd/sandbox-pause
  local ctr
  ctr=$(buildah --storage-driver vfs from scratch)
  buildah --storage-driver vfs copy "$ctr" "$work/pause" /pause >/dev/null
  buildah --storage-driver vfs config --entrypoint '["/pause"]' --user 65535:65535 "$ctr"
  buildah --storage-driver vfs commit -q "$ctr" "localhost/qhc-sandbox-pause:$K8S_VERSION" >/dev/null
  buildah --storage-driver vfs rm "$ctr" >/dev/null
  buildah --storage-driver vfs push -q "localhost/qhc-sandbox-pause:$K8S_VERSION" "oci-archive:$work/pause.tar:$pause_ref"
}
build_one() {
  case $1 in
    pause.tar) timed "$1" build_pause ;;
    sandbox-etcd) timed "$1" go build -ldflags "-s -w" -o "$work/$1" ./cmd/sandbox-etcd ;;
    kwok) timed "$1" env GOBIN="$work" GOFLAGS=-trimpath go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" ;;
    *) timed "$1" go build -ldflags "$ldflags" -o "$work/$1" "k8s.io/kubernetes/cmd/$1" ;;
  esac
}
for b in "${missing[@]}"; do build_one "$b"; done

mkdir -p "$bin"
for b in "${missing[@]}"; do mv "$work/$b" "$bin/$b"; done
record_current
log "built: $bin"
"$bin/kube-apiserver" --version
