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

# Test-only: the scenario app (test/apps/LeakScenarios, its sources unchanged) built for .NET 8 and
# published self-contained, so the folder holds the .NET 8 runtime and its libmscordaccore.so and
# the dump tests read a .NET 8 process without a .NET 8 install (test/dump/net8.test.ts). The
# runtime pack's version is the one the SDK picks. Skipped, with the reason, where that pack cannot
# be restored; those tests then say they are skipped.
net8_app=test/apps/LeakScenarios.Net8
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "build-dotnet: skipping the .NET 8 build of the scenario app (published for linux-x64 only)" >&2
elif ! restore_log=$(dotnet restore "$net8_app" -r linux-x64 -p:SelfContained=true --nologo -v quiet 2>&1); then
  echo "build-dotnet: skipping the .NET 8 build of the scenario app: the .NET 8 runtime pack cannot be restored" >&2
  printf '%s\n' "$restore_log" | tail -n 5 >&2
else
  dotnet publish "$net8_app" -c Release -r linux-x64 --self-contained --no-restore \
    -o "$net8_app/bin/linux-x64" --nologo -v quiet
fi
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
