#!/usr/bin/env bash
# Checks ClipLab on a GPU machine that has PyTorch (CUDA) but no .NET, from the folder scripts/gpu-pack.sh prepared:
#   1. unpacks the carried .NET runtime and ClipLab's GPU build (which takes libtorch from python3's PyTorch),
#   2. runs the demo on CUDA (expect zero-shot top-1 >= 0.75),
#   3. times the ViT-B/32 step (224 px, 12x768 text, 16 tokens, embed 512, batch 512, bf16) in ClipLab
#      (`cliplab bench train`: Trainer and minimal loop) and in scripts/torch_clip_reference.py (eager with fused AdamW,
#      and torch.compile), and prints the ratios.
# Usage (on the GPU machine, in the copied .gpu folder):  bash scripts/gpu-check.sh    (SKIP_DEMO=1 skips step 2)
#        (here, to check the script itself on the CPU with tiny sizes):  bash scripts/gpu-check.sh --cpu-dry-run
set -euo pipefail
PACK=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
DRY=0
[ "${1:-}" = "--cpu-dry-run" ] && DRY=1
WORK=${GPU_CHECK_WORK:-$(mktemp -d)}
mkdir -p "$WORK"
say() { echo "== $*"; }

if [ $DRY = 1 ]; then
  DEVICE=cpu; BATCH=${BATCH:-16}; STEPS=2; DEMO_FLAGS=--quick; MIN_TOP1=0
  STEP_CONFIG="$WORK/step-tiny.json"
  # The same commands on a tiny model, so that the dry run takes minutes on two cores.
  cat > "$STEP_CONFIG" <<'JSON'
{ "modelConfig": { "vision": { "type": "vit", "imageSize": 32, "patchSize": 8, "width": 64, "depth": 2, "heads": 2 },
                   "text": { "width": 64, "depth": 2, "heads": 2 }, "embedDim": 64 } }
JSON
  REF_SIZES="--img 32 --patch 8 --vw 64 --vd 2 --vh 2 --tw 64 --td 2 --th 2 --embed 64"
else
  DEVICE=cuda; BATCH=${BATCH:-512}; STEPS=${STEPS:-10}; DEMO_FLAGS=; MIN_TOP1=0.75
  STEP_CONFIG="$PACK/configs/bench/vit-b-32-text-768.json"
  REF_SIZES="--img 224 --patch 32 --vw 768 --vd 12 --vh 12 --tw 768 --td 12 --th 12 --embed 512"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
fi
PYTHON=${PYTHON:-python3}

say "unpacking .NET and ClipLab into $WORK"
mkdir -p "$WORK/dn"
tar -C "$WORK/dn" -xJf "$PACK/dotnet-rt.tar.xz"
tar -C "$WORK" -xJf "$PACK/app.tar.xz"
export DOTNET_ROOT="$WORK/dn" DOTNET_CLI_TELEMETRY_OPTOUT=1
cliplab() { "$WORK/dn/dotnet" "$WORK/app/ClipLab.Cli.dll" "$@"; }

if [ -z "${CLIPLAB_LIBTORCH:-}" ] && ! "$PYTHON" -c "import torch" 2>/dev/null; then
  if [ $DRY = 1 ] && [ -n "${DRY_RUN_LIBTORCH:-}" ]; then
    # No PyTorch here: lay out the CPU libtorch of the NuGet cache like PyTorch's torch/lib, with its version.
    mkdir -p "$WORK/torch/lib"
    ln -sf "$DRY_RUN_LIBTORCH"/* "$WORK/torch/lib/"
    echo "__version__ = '2.10.0+cpu'" > "$WORK/torch/version.py"
    export CLIPLAB_LIBTORCH="$WORK/torch/lib"
  else
    echo "gpu-check: python3 has no torch module; install PyTorch 2.10 or 2.11 with CUDA, or set CLIPLAB_LIBTORCH" >&2; exit 1
  fi
fi
if "$PYTHON" -c "import torch" 2>/dev/null; then
  "$PYTHON" -c "import torch;print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())"
fi

# The demo reads Fashion-MNIST from Debian's folder; carry it there when the machine lacks it.
FM=/usr/share/datasets/fashion-mnist
if [ ! -f "$FM/train-images-idx3-ubyte.gz" ]; then
  mkdir -p "$(dirname "$FM")" && ln -sfn "$PACK/fashion-mnist" "$FM"
fi

if [ "${SKIP_DEMO:-0}" = 1 ]; then
  say "demo skipped (SKIP_DEMO=1)"; TOP1=nan
else
  say "demo on $DEVICE"
  cliplab demo $DEMO_FLAGS --device "$DEVICE" --out "$WORK/demo" | tail -n 25
  TOP1=$("$PYTHON" -c "import json,sys;r=json.load(open(sys.argv[1]));print(r['zeroshot']['top1'])" "$WORK/demo/results.json" 2>/dev/null || echo nan)
  echo "demo zero-shot top-1: $TOP1 (expected >= $MIN_TOP1)"
fi

say "ClipLab training step, $DEVICE, bf16, batch $BATCH"
cliplab bench train --config "$STEP_CONFIG" --device "$DEVICE" --precision bf16 --batch "$BATCH" --steps "$STEPS" --rounds 1 \
  --json "$WORK/cliplab-bf16.json" | tail -n 8

VOCAB=$("$PYTHON" - "$PACK" <<'PY' 2>/dev/null || echo 8192
import sys, glob, os
vocab = glob.glob(os.path.join(sys.argv[1], "**", "cliplab-spm-*.vocab"), recursive=True)
print(sum(1 for _ in open(vocab[0])) if vocab else 8192)
PY
)
REF="$PACK/scripts/torch_clip_reference.py"
if "$PYTHON" -c "import torch" 2>/dev/null; then
  say "PyTorch eager (fused AdamW), bf16 autocast"
  "$PYTHON" "$REF" --device "$DEVICE" --precision bf16 --batch "$BATCH" --steps "$STEPS" --vocab "$VOCAB" $REF_SIZES | tee "$WORK/torch-eager.json"
  say "PyTorch torch.compile, bf16 autocast"
  "$PYTHON" "$REF" --device "$DEVICE" --precision bf16 --batch "$BATCH" --steps "$STEPS" --vocab "$VOCAB" --compile $REF_SIZES | tee "$WORK/torch-compile.json" \
    || echo '{"samples_per_second": null}' > "$WORK/torch-compile.json"
else
  say "no PyTorch here: reference step skipped (dry run)"
  echo '{"samples_per_second": null}' > "$WORK/torch-eager.json"; cp "$WORK/torch-eager.json" "$WORK/torch-compile.json"
fi

say "summary"
"$PYTHON" - "$WORK" "$TOP1" "$MIN_TOP1" <<'PY'
import json, os, sys
work, top1, minimum = sys.argv[1], sys.argv[2], float(sys.argv[3])
c = json.load(open(os.path.join(work, "cliplab-bf16.json")))
eager = json.load(open(os.path.join(work, "torch-eager.json")))["samples_per_second"]
comp = json.load(open(os.path.join(work, "torch-compile.json")))["samples_per_second"]
trainer, minimal = c["TrainerSamplesPerSecond"], c["MinimalSamplesPerSecond"]
def ratio(x):
    return f"{trainer / x:.2f}" if x else "n/a"
print(f"demo zero-shot top-1            {top1}  (>= {minimum}: {'yes' if top1 != 'nan' and float(top1) >= minimum else 'NO'})")
print(f"ClipLab Trainer, bf16 mixed      {trainer:,.0f} samples/s")
print(f"ClipLab minimal loop, pure bf16  {minimal:,.0f} samples/s")
print(f"PyTorch eager, fused AdamW       {eager:,.0f} samples/s   Trainer/eager {ratio(eager)} (target >= 0.9)" if eager else "PyTorch eager: n/a")
print(f"PyTorch torch.compile            {comp:,.0f} samples/s   Trainer/compile {ratio(comp)}" if comp else "PyTorch torch.compile: n/a")
PY
