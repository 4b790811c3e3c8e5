#!/usr/bin/env bash
# Builds the .NET side of heapgate: the ClrMD dump reader (dotnet/Heapgate.DumpReader, which
# heapgate runs to read full dumps as whole object graphs), the test-only TraceEvent oracle
# (dotnet/tests/TraceOracle), packs the Heapgate.Testing library
# into dotnet/.feed (a local NuGet feed, nothing is published) and builds the example test
# suites against that package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build-dotnet: the .NET SDK (dotnet) is not on PATH; install it first" >&2
  exit 1
fi

dotnet build dotnet/Heapgate.DumpReader -c Release --nologo -v quiet
# Test-only: TraceEvent's reading of .nettrace files, the oracle heapgate's trace reader is compared with.
dotnet build dotnet/tests/TraceOracle -c Release --nologo -v quiet

version=$(sed -n 's:.*<HeapgateTestingVersion>\(.*\)</HeapgateTestingVersion>.*:\1:p' dotnet/Directory.Build.props)
dotnet pack dotnet/Heapgate.Testing -c Release -o dotnet/.feed --nologo -v quiet

# NuGet caches a package by id and version: drop our own (only) so the examples get this build.
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
rm -rf "$cache/heapgate.testing/$version"

for project in dotnet/examples/*Tests dotnet/bench/*Tests; do
  dotnet build "$project" -c Release --nologo -v quiet
done
