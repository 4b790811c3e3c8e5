#!/usr/bin/env bash
# Installs the .NET diagnostics tools heapgate's tests and collection use into ./.tools
# (project-local, pinned). Idempotent: tools already at the pinned version are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR="${HEAPGATE_TOOLS_DIR:-.tools}"
GCDUMP_VERSION="10.0.750501"
TRACE_VERSION="10.0.750501"
DUMP_VERSION="10.0.750501"
TRACE_VERSION="10.0.750501"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-dotnet-tools: the .NET SDK (dotnet) is not on PATH; install it first" >&2
  exit 1
fi

install_tool() {
  local name="$1" version="$2"
  if [ -x "$TOOLS_DIR/$name" ] && dotnet tool list --tool-path "$TOOLS_DIR" | grep -qi "^$name *$version"; then
    return 0
  fi
  dotnet tool uninstall --tool-path "$TOOLS_DIR" "$name" >/dev/null 2>&1 || true
  dotnet tool install --tool-path "$TOOLS_DIR" "$name" --version "$version"
}

install_tool dotnet-gcdump "$GCDUMP_VERSION"
install_tool dotnet-dump "$DUMP_VERSION"
install_tool dotnet-trace "$TRACE_VERSION"
