#!/usr/bin/env bash
# What the tests need beyond npm: the one place that lists it. `npm test` (pretest),
# `npm run test:engine` and .ci/run all call this, so a fresh machine gets the same tools whichever
# command it starts with.
#
# Missing Debian packages are installed when this may (root, apt-get present), with a
# policy-rc.d that keeps every service from starting. Whatever it cannot install, it names in one
# message, with how to install it, and exits 1 before anything runs.
#
# usage: bash tools/prerequisites.sh          check, install what it may, or explain and exit 1
#        bash tools/prerequisites.sh --list   print the Debian packages, one a line
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive for real.
packages=(
  openssl        # checks the generated PKI; the engine suite's control plane PKI
  openssh-server # sshd runs the generated jump-host and VM sshd configs (test/ssh.e2e.test.ts)
  openssh-client # ssh and ssh-keygen
  libnss-wrapper # maps test host names and users to loopback inside the OpenSSH tests
  cloud-init     # `cloud-init schema` validates the generated user-data
  iproute2       # the engine suite's loopback-only network namespace (ip netns); netboot's test namespaces
  dnsmasq-base   # npm run netboot's proxy-DHCP and TFTP server (the binary only, no system service)
  ipxe           # the iPXE loaders netboot serves over TFTP (/usr/lib/ipxe)
  curl           # the netboot test's TFTP and HTTP client
)

# Talos's config validator (test/talos-validate) and the engine suite's control plane are built
# with Go; its go.mod says which version at least. Debian's golang-go is older, so Go is not
# installed here: Go's own release goes into /usr/local/go.
go_module=test/talos-validate/go.mod
# DPKG_ROOT is where invoke-rc.d looks for policy-rc.d (empty: the running system).
policy_rc_d=${DPKG_ROOT:-}/usr/sbin/policy-rc.d

# Prints the packages of the list that are not installed, one a line.
missing_packages() {
  local package
  for package in "${packages[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" = installed ] || echo "$package"
  done
}

# Prints the go the tests use: the one on PATH, else /usr/local/go's (test/harness/tools.ts
# looks the same way).
find_go() {
  command -v go || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true
}

# Prints "1.26.8" for a go binary ("go version go1.26.8 linux/amd64"), nothing when it does not run.
go_version() {
  { "$1" version 2>/dev/null || true; } | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p'
}

# True when version $1 >= version $2 (dotted numbers).
at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# One message naming everything missing and how to install it. Arguments: the missing packages
# (space-separated, may be empty), the Go problem (may be empty), other problems (lines, may be empty).
explain() {
  local missing=$1 go_problem=$2 others=$3
  echo "ironcloud prerequisites: this machine lacks what the tests need; nothing was run."
  if [ -n "$missing" ]; then
    echo "  - Debian packages: $missing"
    if command -v dpkg-query >/dev/null; then
      echo "    install them as root (\`npm test\` run as root installs them itself):"
      echo "      apt-get update && apt-get install -y --no-install-recommends $missing"
    else
      echo "    no dpkg-query here, so they cannot be checked: install their equivalents, then run"
      echo "    the tests without this check: npx tsc --noEmit -p . && npx mocha"
    fi
  fi
  if [ -n "$go_problem" ]; then
    echo "  - $go_problem"
    echo "    install the Go release for this platform into /usr/local/go (https://go.dev/doc/install),"
    echo "    or put a Go that new first on PATH; Debian's golang-go is older."
  fi
  if [ -n "$others" ]; then printf '%s\n' "$others" | sed 's/^/  - /'; fi
}

# Installs the packages with apt-get; no service starts (policy-rc.d exits 101: "action forbidden").
install_packages() {
  local saved=""
  if [ -e "$policy_rc_d" ]; then
    saved=$(mktemp)
    cp -p "$policy_rc_d" "$saved"
  fi
  # shellcheck disable=SC2064 # expand now: restore exactly what was there before.
  trap "if [ -n '$saved' ]; then mv -f '$saved' '$policy_rc_d'; else rm -f '$policy_rc_d'; fi" EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy_rc_d"
  chmod 755 "$policy_rc_d"
  echo "ironcloud prerequisites: installing $*" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

main() {
  if [ "${1:-}" = --list ]; then
    printf '%s\n' "${packages[@]}"
    return 0
  fi

  local missing="" go_problem="" others=""
  if command -v dpkg-query >/dev/null; then
    missing=$(missing_packages | tr '\n' ' ' | sed 's/ $//')
  else
    missing="${packages[*]}"
  fi

  local wanted go found
  wanted=$(sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' "$go_module")
  go=$(find_go)
  found=${go:+$(go_version "$go")}
  if [ -z "$go" ]; then
    go_problem="Go >= $wanted ($go_module): no go on PATH nor in /usr/local/go/bin"
  elif [ -z "$found" ] || ! at_least "$found" "$wanted"; then
    go_problem="Go >= $wanted ($go_module): $go is ${found:-not a working go}"
  fi

  [ -d ../shared/schemas ] || others+="../shared/schemas: the project's shared/ folder must sit beside this checkout"$'\n'
  [ -x node_modules/.bin/mocha ] || others+="npm dependencies: npm ci --ignore-scripts"$'\n'
  others=${others%$'\n'}

  local can_install=false
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg-query >/dev/null && can_install=true
  # Install only when that is all there is to do, so a run that must stop stops before it changes anything.
  if [ -n "$missing" ] && $can_install && [ -z "$go_problem$others" ]; then
    # shellcheck disable=SC2086 # one word per package
    install_packages $missing
    missing=$(missing_packages | tr '\n' ' ' | sed 's/ $//')
    [ -z "$missing" ] || { echo "ironcloud prerequisites: apt-get did not install: $missing" >&2; return 1; }
  fi
  if [ -n "$missing$go_problem$others" ]; then
    explain "$missing" "$go_problem" "$others" >&2
    return 1
  fi
}

main "$@"
