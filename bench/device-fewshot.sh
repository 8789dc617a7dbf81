#!/usr/bin/env bash
# One resumable piece of the few-shot benchmark on the lent GPU machine (or any machine with
# torch, torchvision, numpy, pillow, safetensors, tqdm and matplotlib, but not this project's
# venv): runs `python -m bench.fewshot` for at most LIMIT seconds, then copies the results file
# (and, once the grid is done, its report) to $OUT. The machine lacks faster-coco-eval: fetch its
# wheels here first (`bash bench/device-wheels.sh`) and carry .whl; bench/device-env.sh installs
# them there and stops before any work if a package is still missing.
#
# Run from the repository root, e.g. through the device tool (carry [".whl"]):
#   STEM=fewshot LIMIT=540 bash bench/device-fewshot.sh --task-batch 6
# Arguments after the script's name go to `python -m bench.fewshot`, whose defaults are the full
# grid (every method, both folds, K = 1, 5, 20, steps to 1000, 3 tasks per cell, 100 scored
# images).
# To resume on a fresh machine, put the returned bench/results/$STEM.json back in the working tree
# before the next call: the benchmark skips the runs it holds (results are written atomically
# after every adaptation or group of batched tasks, so a piece stopped at its limit loses only
# the work in flight). Once the grid is complete, `make bench-fewshot ARGS="... --update-cards"`
# here with the same arguments runs nothing and writes the cards' benchmark rows.
set -uo pipefail
STEM=${STEM:-fewshot}
LIMIT=${LIMIT:-540}
DEVICE=${DEVICE:-cuda}
OUT=${OUT:-bench/results}
PYTHON=${PYTHON:-python3}
# shellcheck source=bench/device-env.sh
source bench/device-env.sh || exit 1
timeout --signal=INT --kill-after=30 "$LIMIT" \
    "$PYTHON" -m bench.fewshot --device "$DEVICE" --stem "$STEM" "$@"
rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 130 ]; then
    echo "stopped at the ${LIMIT}s limit: resume with bench/results/$STEM.json in the tree"
fi
if [ "$OUT" != bench/results ]; then
    mkdir -p "$OUT"
    cp bench/results/"$STEM".json bench/results/"$STEM".md bench/results/"$STEM"_*.png "$OUT"/ 2>/dev/null
fi
ls -l "$OUT"/"$STEM"* 2>/dev/null
exit "$rc"
