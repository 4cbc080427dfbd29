#!/bin/bash
# Event-clip rows for bench/run.sh (or alone: bench/rows/clips.sh): the gateway's CPU per frame (µs, for
# bench/table.py's two digits) with four 480x320 @ 25 passthrough cameras, without a clip rule, with a rule
# buffering them and while a clip of all four is written (bench/clips_bench.py, docs/BENCHMARKS.md "Event clips").
# Prints JSON rows; needs OpenCV for the test clip.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd -P)
PY=${BENCH_PY:-/usr/bin/python3}
$PY -c 'import cv2' 2>/dev/null || { echo "clips rows left out: needs OpenCV for $PY (python3-opencv)" >&2; exit 0; }
exec $PY "$BENCH/clips_bench.py" --json --rep "${BENCH_REP:-1}" --dur "${BENCH_DUR:-10}" --warmup "${BENCH_WARMUP:-3}" \
    --runtime "${BENCH_RUNTIME:-$(dirname "$BENCH")/runtime/target/edgegate}" \
    --work "${BENCH_WORK:-$(mktemp -d -t edgegate-clips.XXXXXX)}/clips"
