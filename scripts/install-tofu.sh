#!/usr/bin/env bash
# Builds the OpenTofu CLI from the Go module proxy: its module has a replace directive, so
# `go install module@version` refuses it, but a build inside a copy of the module works.
# Usage: install-tofu.sh VERSION BIN_DIR
set -euo pipefail
version=$1
bin=$2
dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "could not download OpenTofu $version from the Go module proxy" >&2; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
cp -R "$dir/." "$src"
chmod -R u+w "$src"
mkdir -p "$bin"
# dev=no drops the "-dev" marker, so version checks see the release it is.
(cd "$src" && go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$bin/tofu" ./cmd/tofu)
"$bin/tofu" version
