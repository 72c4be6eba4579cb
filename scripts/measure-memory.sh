#!/usr/bin/env bash
# Trains configs/tiny-2000-steps.json (2,000 steps) and prints resident memory (RSS) along the run,
# read from the run's own metrics.jsonl. A flat column means no tensor leak.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
OUT=${1:-$(mktemp -d)/memcheck}
"$ROOT/cliplab" train --config "$ROOT/configs/tiny-2000-steps.json" --out "$OUT" >/dev/null
echo "step  rss_mb"
grep '"kind":"train"' "$OUT/metrics.jsonl" | sed -E 's/.*"step":([0-9]+).*"rss_mb":([0-9.]+).*/\1 \2/' |
  awk '$1==50 || $1%250==0 { printf "%5d  %.1f\n", $1, $2 }'
