#!/usr/bin/env bash
# Writes a synthetic ImageNet-style validation folder (class folders named by WordNet id, JPEGs) for measuring
# `cliplab eval --imagenet` at ImageNet size. Not a benchmark: the pixels are random colour waves.
# Usage: scripts/make-synthetic-imagefolder.sh OUT [IMAGES=50000] [SIZE=224]
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
exec dotnet run --file "$ROOT/scripts/make-synthetic-imagefolder.cs" -c Release -- "$@"
