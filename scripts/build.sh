#!/usr/bin/env bash
# Builds the CLI in Release when any source, project or asset is newer than the last successful build.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
STAMP="$ROOT/src/ClipLab.Cli/bin/Release/.built"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "[cliplab] the .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian (apt-get install dotnet-sdk-10.0)" >&2
  exit 1
fi
changed=1
if [ -f "$STAMP" ]; then
  changed=$(find "$ROOT/src" "$ROOT/assets" "$ROOT/Directory.Build.props" -newer "$STAMP" -type f \
    -not -path '*/bin/*' -not -path '*/obj/*' -print -quit | wc -l)
fi
if [ "$changed" != 0 ]; then
  echo "[cliplab] building ClipLab (Release; the first build restores NuGet packages and takes a few minutes) ..." >&2
  dotnet build "$ROOT/src/ClipLab.Cli/ClipLab.Cli.csproj" -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary" >&2
  touch "$STAMP"
fi
