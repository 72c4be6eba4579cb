#!/usr/bin/env bash
# Fault injection: one tiny training run is killed with SIGKILL at N random moments, resumed after each kill, and
# its final weights and optimizer state are compared byte for byte with an uninterrupted run of the same config.
#
#   scripts/fault-injection.sh [--kills N] [--seed S] [--out DIR]
#
# Checkpoints are written every few steps, so some kills land while a checkpoint is being written. Prints one line
# per kill and a verdict; writes DIR/fault-injection.json. Exit code 0 only when every file matches.
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
KILLS=20
SEED=1
OUT=${TMPDIR:-/tmp}/cliplab-fault-injection
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) KILLS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--kills N] [--seed S] [--out DIR]" >&2; exit 2 ;;
  esac
done
bash "$ROOT/scripts/setup.sh" || exit 1
bash "$ROOT/scripts/build.sh" || exit 1
CLI=(dotnet "$ROOT/src/ClipLab.Cli/bin/Release/net10.0/ClipLab.Cli.dll")
rm -rf "$OUT"; mkdir -p "$OUT"
RANDOM=$SEED

# A tiny model, 600 steps (TOTAL below), a checkpoint every 10 steps and the last 3 kept: kills hit steps, writes and renames.
cat >"$OUT/config.json" <<'JSON'
{
  "modelConfig": {
    "vision": { "type": "vit", "imageSize": 16, "patchSize": 8, "width": 32, "depth": 1, "heads": 2 },
    "text": { "width": 32, "depth": 1, "heads": 2 },
    "embedDim": 32
  },
  "data": { "trainSubset": 4096 },
  "training": { "batchSize": 64, "samplesSeen": 38400, "learningRate": 0.003, "weightDecay": 0.1, "threads": 1,
                "warmupSteps": 20, "checkpointEverySteps": 10, "keepCheckpoints": 3, "logEverySteps": 10 },
  "evaluation": { "retrievalImages": 200 }
}
JSON

latest_step() { # the step of the run's newest complete checkpoint, or 0
  local f="$1/checkpoints/latest.json"
  [ -f "$f" ] || { echo 0; return; }
  grep -o '"step-[0-9]*' "$f" | grep -o '[0-9]*$' | sed 's/^0*//;s/^$/0/'
}

echo "[fault-injection] reference run (uninterrupted) ..."
start=$(date +%s.%N)
"${CLI[@]}" train --config "$OUT/config.json" --out "$OUT/reference" >"$OUT/reference.log" 2>&1 \
  || { echo "reference run failed: see $OUT/reference.log"; exit 1; }
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
echo "[fault-injection] reference took ${wall}s"

logged_step() { # the last step in the run's metrics log, or 0
  local f="$1/metrics.jsonl"
  [ -f "$f" ] || { echo 0; return; }
  tail -n 1 "$f" | grep -o '"step":[0-9]*' | grep -o '[0-9]*$' || echo 0
}

# The kill points: N distinct random steps of the 600, sorted. Each kill waits until the run has logged that step,
# then a random 0-250 ms more, so kills land in steps, in checkpoint writes and, after resumes, in start-up.
TOTAL=600
mapfile -t targets < <(for _ in $(seq 1 $((KILLS * 4))); do echo $((1 + (RANDOM * 32768 + RANDOM) % (TOTAL - 10))); done \
  | awk '!seen[$0]++' | head -n "$KILLS" | sort -n)
run="$OUT/faulted"
rows=()
kills=0
for target in "${targets[@]}"; do
  if [ -f "$run/results.json" ]; then break; fi
  if [ -f "$run/checkpoints/latest.json" ]; then args=(train --resume "$run")
  else rm -rf "$run"; args=(train --config "$OUT/config.json" --out "$run"); fi
  before=$(latest_step "$run")
  "${CLI[@]}" "${args[@]}" >>"$OUT/faulted.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$(logged_step "$run")" -lt "$target" ]; do sleep 0.02; done
  extra_ms=$((RANDOM % 250))
  sleep "$(awk -v d="$extra_ms" 'BEGIN{printf "%.3f", d/1000}')"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"; wait "$pid" 2>/dev/null
    kills=$((kills + 1))
    at=$(logged_step "$run"); after=$(latest_step "$run")
    printf '[fault-injection] kill %2d at step ~%3d (+%3d ms): checkpoint step %3d -> %3d\n' "$kills" "$at" "$extra_ms" "$before" "$after"
    rows+=("{\"kill\":$kills,\"target_step\":$target,\"logged_step\":$at,\"extra_ms\":$extra_ms,\"checkpoint_before\":$before,\"checkpoint_after\":$after}")
  else
    wait "$pid"; echo "[fault-injection] the run finished before kill $((kills + 1)) (exit $?)"; break
  fi
done

if [ ! -f "$run/results.json" ]; then
  echo "[fault-injection] final resume ..."
  "${CLI[@]}" train --resume "$run" >>"$OUT/faulted.log" 2>&1 || { echo "final resume failed: see $OUT/faulted.log"; exit 1; }
fi

final() { # the newest checkpoint folder of a run
  local f="$1/checkpoints/latest.json"; local name
  name=$(grep -o '"step-[0-9]*' "$f" | tr -d '"')
  echo "$1/checkpoints/$name"
}
ref=$(final "$OUT/reference"); got=$(final "$run")
identical=true
for file in model.bin optimizer.bin; do
  a=$(sha256sum "$ref/$file" | cut -d' ' -f1); b=$(sha256sum "$got/$file" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then echo "[fault-injection] $file identical ($a)"
  else echo "[fault-injection] $file DIFFERS: reference $a, faulted $b"; identical=false; fi
done
[ "$(basename "$ref")" = "$(basename "$got")" ] || { echo "[fault-injection] final steps differ: $(basename "$ref") vs $(basename "$got")"; identical=false; }

joined=$(IFS=,; echo "${rows[*]}")
cat >"$OUT/fault-injection.json" <<JSON
{ "kills": $kills, "seed": $SEED, "reference_seconds": $wall, "final_checkpoint": "$(basename "$got")",
  "identical": $identical, "events": [ $joined ] }
JSON
if [ "$identical" = true ]; then
  echo "[fault-injection] $kills kills: final weights and optimizer state identical to the uninterrupted run"
  exit 0
fi
echo "[fault-injection] $kills kills: final state differs from the uninterrupted run"
exit 1
