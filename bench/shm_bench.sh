#!/bin/bash
# Frames for a local Python consumer, three ways in one run (bench/shm_bench.py): EdgeGate's shared
# memory, EdgeGate's ZeroMQ JPEG stream + cv2.imdecode, the seed's sharedmem + Manager dict.
# Usage: bench/shm_bench.sh [--reps 3] [--dur 10] [--work DIR]      (--torn 1000000: the torn-frame run)
# Needs a built runtime (mvn -B package -DskipTests) and Debian's python3-numpy python3-opencv python3-zmq.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd -P)
PY=/usr/bin/python3
SEED=${SEED_BENCH:-$BENCH/../../shared/bench/seed-python}
args=("$@")
# The seed's frames come from the seed's own test clip when its bench is at hand (else random pixels).
if [[ " $* " != *" --video "* && " $* " != *" --torn "* && -f "$SEED/gen_video.py" ]]; then
    clip=$(mktemp -d -t edgegate-shm-clip.XXXXXX)
    trap 'rm -rf "$clip"' EXIT
    $PY "$SEED/gen_video.py" "$clip" 30 >/dev/null 2>&1 && args+=(--video "$clip/test_480x320.avi")
fi
$PY "$BENCH/shm_bench.py" "${args[@]}"
