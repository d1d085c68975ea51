#!/usr/bin/env bash
# Builds the Terraform CLI from the Go module proxy. Terraform 1.14 and later cannot be installed
# with `go install module@version`: their go.mod replaces the remote-state backends with nested
# modules that the proxy does not serve at the release's commit. A build inside a copy of the
# module works once those backends are dropped; the local backend and everything a provider's
# tests need remain. Idempotent: does nothing when BIN_DIR/NAME already reports VERSION.
# Usage: install-terraform.sh VERSION BIN_DIR [NAME]
set -euo pipefail
version=$1
bin=$2
name=${3:-terraform}
if [ -x "$bin/$name" ] && "$bin/$name" version 2>/dev/null | grep -q "^Terraform v$version\$"; then
  exit 0
fi
dir=$(go mod download -json "github.com/hashicorp/terraform@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "could not download Terraform $version from the Go module proxy" >&2; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
cp -R "$dir/." "$src"
chmod -R u+w "$src"

# The nested modules: drop their replace and require lines, and the backends that import them.
backends="azurerm:azure consul:consul cos:cos gcs:gcs kubernetes:kubernetes oss:oss pg:pg s3:s3 oci:oci"
sed -i -E '/^replace github\.com\/hashicorp\/terraform\/internal\//d; /^\s*github\.com\/hashicorp\/terraform\/internal\/[^ ]+ v0\.0\.0-00010101000000-000000000000/d' "$src/go.mod"
init="$src/internal/backend/init/init.go"
for backend in $backends; do
  key=${backend%%:*} pkg=${backend##*:}
  sed -i -E "/\"github\.com\/hashicorp\/terraform\/internal\/backend\/remote-state\/$pkg\"/d; /^\s*\"$key\":\s+func\(\) backend\.Backend/d" "$init"
done
mkdir -p "$bin"
# dev=no drops the "-dev" marker, so version checks see the release it is.
(cd "$src" && go build -trimpath -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$bin/$name" .)
"$bin/$name" version
