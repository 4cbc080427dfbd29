#!/bin/bash
# Start-up and rest rows for bench/run.sh (or alone: bench/rows/startup.sh): launch to "All OK" from gw:status
# (first start and restart, wall and CPU) and the gateway's CPU at rest afterwards, for the shipped demo (two
# sim: boards, a pattern: camera at 25 fps) and bare (no sensor, no camera). See bench/startup.py.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd -P)
REPO=$(dirname "$BENCH")
PY=${BENCH_PY:-/usr/bin/python3}
RUNTIME=${BENCH_RUNTIME:-$REPO/runtime/target/edgegate}
DUR=${BENCH_DUR:-10}; WARMUP=${BENCH_WARMUP:-3}; REP=${BENCH_REP:-1}
[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME" >&2; exit 1; }
WORK=${BENCH_WORK:-$(mktemp -d -t edgegate-startup.XXXXXX)}/startup
# At rest at least 20 s after the start (the JIT compiler settles), measured over at least 20 s: a
# fraction of a percent needs the length.
[ "${BENCH_SMOKE:-0}" = 1 ] || { [ "$DUR" -ge 20 ] || DUR=20; [ "$WARMUP" -ge 20 ] || WARMUP=20; }
for mode in demo bare; do
    $PY "$BENCH/startup.py" --runtime "$RUNTIME" --work "$WORK" --mode $mode --rep "$REP" \
        --warmup "$WARMUP" --duration "$DUR"
done
