#!/usr/bin/env bash
# Prepares .gpu/, the folder to copy to a GPU machine that has PyTorch but no .NET (see scripts/gpu-check.sh):
#   .gpu/dotnet-rt.tar.xz   the .NET runtime of this machine (host + Microsoft.NETCore.App)
#   .gpu/app.tar.xz         ClipLab's GPU build: framework-dependent, linux-x64, TorchSharp's bindings without libtorch
#                           (-p:ClipLabTorch=cuda), so that PyTorch's CUDA libtorch is the only one loaded
#   .gpu/fashion-mnist/     the four Fashion-MNIST IDX files the demo trains and evaluates on
#   .gpu/scripts/, .gpu/configs/bench/   gpu-check.sh, the PyTorch reference and the benchmark config
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
OUT=${GPU_PACK_OUT:-$ROOT/.gpu}
DOTNET_HOME=$(dirname "$(readlink -f "$(command -v dotnet)")")
DATA=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
rm -rf "$OUT" && mkdir -p "$OUT/scripts" "$OUT/configs/bench" "$OUT/fashion-mnist"
# Keep the pack out of git (it is build output).
if [ "$OUT" = "$ROOT/.gpu" ] && git -C "$ROOT" rev-parse --git-path info/exclude >/dev/null 2>&1; then
  exclude=$(git -C "$ROOT" rev-parse --git-path info/exclude)
  mkdir -p "$(dirname "$exclude")"; grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >> "$exclude"
fi
echo "[gpu-pack] .NET runtime from $DOTNET_HOME" >&2
tar -C "$DOTNET_HOME" -cJf "$OUT/dotnet-rt.tar.xz" dotnet host shared/Microsoft.NETCore.App
echo "[gpu-pack] publishing the GPU build (-p:ClipLabTorch=cuda) ..." >&2
PUB=$(mktemp -d)
trap 'rm -rf "$PUB"' EXIT
# From a copy of the sources, so that the CPU build's restore and outputs (obj/, bin/) are neither reused nor disturbed.
mkdir -p "$PUB/src"
tar -C "$ROOT" --exclude=bin --exclude=obj -cf - src assets Directory.Build.props | tar -C "$PUB/src" -xf -
dotnet publish "$PUB/src/src/ClipLab.Cli/ClipLab.Cli.csproj" -c Release -r linux-x64 --self-contained false \
  -p:ClipLabTorch=cuda -nologo -v q "-clp:ErrorsOnly;NoSummary" -o "$PUB/app" >&2
if ls "$PUB/app" | grep -q '^libtorch_cpu'; then echo "[gpu-pack] the GPU build carries a CPU libtorch; aborting" >&2; exit 1; fi
rm -f "$PUB/app"/*.pdb
tar -C "$PUB" -cJf "$OUT/app.tar.xz" app
cp "$DATA"/*-ubyte.gz "$OUT/fashion-mnist/"
cp "$ROOT/scripts/gpu-check.sh" "$ROOT/scripts/torch_clip_reference.py" "$OUT/scripts/"
cp "$ROOT/configs/bench/vit-b-32-text-768.json" "$OUT/configs/bench/"
du -sh "$OUT" >&2
