#!/usr/bin/env bash
# `npm run test:engine`: the engine suite. Runs ironcloud on the real Pulumi engine against a
# local Kubernetes control plane, inside a network namespace that has only `lo`, so no process
# of the suite can send a packet outside 127.0.0.0/8 (the stacks name 10.x and 192.168.x nodes).
#
# Uses the `pulumi` on PATH; when there is none, installs the offline engine from
# ../shared/engine. Never downloads a plugin. Builds the control plane once into a cache
# (IRONCLOUD_CACHE, default ~/.cache/ironcloud) outside the checkout.
#
# usage: npm run test:engine [-- test/engine/cluster/existingCluster.engine.ts …]
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=${IRONCLOUD_CACHE:-$HOME/.cache/ironcloud}

fail() { echo "test:engine: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root to create its network namespace (ip netns add); run it as root or in CI"
# iproute2 and openssl (installed when missing), Go for the control plane: the step `npm test` runs.
bash tools/prerequisites.sh

if ! command -v pulumi >/dev/null; then
  [ -x ../shared/engine/install.sh ] || [ -f ../shared/engine/install.sh ] ||
    fail "no pulumi on PATH and no ../shared/engine to install it from: install the Pulumi CLI 3.x"
  eval "$(bash ../shared/engine/install.sh "$cache/engine")"
fi
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
IRONCLOUD_CONTROL_PLANE_BIN=$(bash test/engine/env/build-control-plane.sh "$cache/control-plane")
export IRONCLOUD_CONTROL_PLANE_BIN

namespace=ironcloud-engine-$$
ip netns add "$namespace"
# Whatever the suite leaves running in its namespace ends with it.
cleanup() {
  ip netns pids "$namespace" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns delete "$namespace" 2>/dev/null || true
}
trap cleanup EXIT
ip -n "$namespace" link set lo up
export IRONCLOUD_ENGINE_NETNS=$namespace
# Files named on the command line run alone; otherwise the whole suite.
[ "$#" -gt 0 ] || set -- 'test/engine/**/*.engine.ts'
ip netns exec "$namespace" npx mocha --config .mocharc.engine.json "$@"
