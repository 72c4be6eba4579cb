#!/usr/bin/env bash
# Peak resident memory of one global contrastive batch of 4,096 pairs (configs/batch-4096-accumulated.json),
# trained with gradient accumulation (16 micro-batches), with accumulation plus activation checkpointing,
# and in one piece. Prints one line per variant: variant, peak RSS (GiB), wall seconds per step.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh"
CLI="$ROOT/src/ClipLab.Cli/bin/Release/net10.0/ClipLab.Cli.dll"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
run() { # name, then JSON merged over the base config's training block
  local name=$1 training=$2 config="$WORK/$1.json"
  python3 - "$ROOT/configs/batch-4096-accumulated.json" "$config" "$training" <<'PY'
import json, re, sys
text = re.sub(r'^\s*//.*$', '', open(sys.argv[1]).read(), flags=re.M)
config = json.loads(text)
config["training"].update(json.loads(sys.argv[3]))
json.dump(config, open(sys.argv[2], "w"))
PY
  /usr/bin/time -f "%M %e" -o "$WORK/$name.time" dotnet "$CLI" train --config "$config" --out "$WORK/$name-run" > "$WORK/$name.log" 2>&1 \
    || { if grep -q "signal 9" "$WORK/$name.time"; then
           echo "$name: killed (signal 9, most likely the kernel's out-of-memory killer; see dmesg)"; return 0; fi
         echo "$name failed:"; tail -n 20 "$WORK/$name.log"; return 1; }
  local steps
  steps=$(python3 -c "import json;print(json.load(open('$WORK/$name-run/results.json'))['train']['steps'])")
  local train_seconds
  train_seconds=$(python3 -c "import json;print(json.load(open('$WORK/$name-run/results.json'))['train']['wall_seconds'])")
  read -r kb _ < "$WORK/$name.time"
  python3 -c "print(f'{\"$name\":<36} peak RSS {$kb/1048576:.2f} GiB   {$train_seconds/$steps:.1f} s per step of 4,096')"
}
run "accumulation-16x256" '{}'
run "accumulation-16x256+checkpointing" '{"activationCheckpointing": true}'
run "one-piece-4096" '{"accumulationSteps": 1}'
