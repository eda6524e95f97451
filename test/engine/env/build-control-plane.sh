#!/usr/bin/env bash
# Builds the local Kubernetes control plane the engine suite runs against, from the Go module
# proxy only: kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from
# k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3, and kwok for fake nodes.
#
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces every k8s.io staging module by a
# local path. A wrapper module that requires it and maps each staging module to its published
# v0.x tag builds it instead. Everything lands in a cache outside the checkout and is reused
# while the versions below stay the same (a cold build takes ~17 minutes on 2 cores).
#
# usage: build-control-plane.sh [CACHE_DIR]     prints the bin directory on stdout
set -euo pipefail

KUBERNETES_VERSION=v1.36.3
STAGING_VERSION=v0.36.3
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0

CACHE=${1:-${IRONCLOUD_CACHE:-$HOME/.cache/ironcloud}/control-plane}
BIN=$CACHE/bin-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

[ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

have_all() { for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done; }
if have_all; then echo "$BIN"; exit 0; fi
mkdir -p "$BIN"

log() { echo "build-control-plane: $*" >&2; }

# wrapper MODULE_DIR MODULE VERSION: a module that requires MODULE@VERSION.
wrapper() {
  local dir=$1 module=$2 version=$3
  mkdir -p "$dir"
  printf 'module ironcloud.test/%s\n\ngo 1.26\n' "$(basename "$dir")" > "$dir/go.mod"
  (cd "$dir" && go mod edit -require="$module@$version")
}

build_kubernetes() {
  local dir=$CACHE/src/kubernetes
  wrapper "$dir" k8s.io/kubernetes "$KUBERNETES_VERSION"
  local gomod
  gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  # Every `k8s.io/x => ./staging/src/k8s.io/x` of upstream becomes `k8s.io/x => k8s.io/x v0.N.M`.
  local staging
  staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod")
  [ -n "$staging" ] || { log "no staging replaces found in $gomod"; exit 1; }
  for module in $staging; do
    (cd "$dir" && go mod edit -replace="$module=$module@$STAGING_VERSION")
  done
  log "building Kubernetes $KUBERNETES_VERSION ($(wc -w <<<"$staging") staging modules mapped to $STAGING_VERSION)"
  (cd "$dir" && go build -trimpath -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION \
      -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION" \
    -o "$BIN/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  local dir=$CACHE/src/etcd
  wrapper "$dir" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  log "building etcd $ETCD_VERSION"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  local dir=$CACHE/src/kwok
  wrapper "$dir" sigs.k8s.io/kwok "$KWOK_VERSION"
  log "building kwok $KWOK_VERSION"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$BIN/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

[ -x "$BIN/etcd" ] || build_etcd
[ -x "$BIN/kwok" ] || build_kwok
[ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kubectl" ] || build_kubernetes
have_all || { log "missing binaries in $BIN"; exit 1; }
echo "$BIN"
