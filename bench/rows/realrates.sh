#!/bin/bash
# Real rates for bench/run.sh (or alone: bench/rows/realrates.sh): CPU per event at the rates boards and
# cameras really run, EdgeGate and the seed side by side in one run. Serial: one pty board at 1, 10 and
# 100 lines/s and flat out (the gateway bare but for the native and state endpoints); cameras: 4 x 480x320
# MJPG passthrough at 5 and 25 fps, one non-decoding subscriber per camera; the idle gateway as the floor.
# EdgeGate: the gateway JVM's CPU (realrates.py, per-thread schedstat); the seed: its serial reader
# (serial_bench.py --mode array) and all its camera processes (cam_bench.py --mode seed, whose receivers
# decode: the seed has no other kind). Prints JSON rows (bench/table.py renders them).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd -P)
REPO=$(dirname "$BENCH")
PY=${BENCH_PY:-/usr/bin/python3}
RUNTIME=${BENCH_RUNTIME:-$REPO/runtime/target/edgegate}
SEED=${BENCH_SEED:-$REPO/../shared/bench/seed-python}
DUR=${BENCH_DUR:-10}; WARMUP=${BENCH_WARMUP:-3}; REP=${BENCH_REP:-1}; SMOKE=${BENCH_SMOKE:-0}
command -v socat >/dev/null || { echo "real-rates rows left out: needs socat" >&2; exit 0; }
[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME" >&2; exit 1; }
WORK=${BENCH_WORK:-$(mktemp -d -t edgegate-realrates.XXXXXX)}/realrates
VIDEOS=${BENCH_VIDEOS:-$WORK/video}
HOME_DIR=$WORK/home; RAW=$WORK/raw.jsonl; PIDS=(); GW_PID=
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
rm -rf "$HOME_DIR" "$WORK/pty"; mkdir -p "$WORK/pty"; : > "$RAW"
[ -f "$VIDEOS/test_480x320.avi" ] || $PY "$BENCH/clip.py" "$VIDEOS" 100 >&2
read -r P_NATIVE P_STATE P_HTTP < <($PY -c 'import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
ADDRESS=tcp://127.0.0.1:$P_NATIVE
cli() { "$HOME_DIR/bin/edgegate-cli" "$@" 2>/dev/null; }
tag() { sed "s|^{|{\"row\": \"$1\", \"side\": \"$2\", |" >> "$RAW"; }

gateway() {  # CONDITION: a fresh home from the runtime (etc/ already holds the row's sensor or cameras)
    "$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
    for _ in $(seq 240); do eval "$1" && return 0; kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
    echo "gateway did not come up, see $WORK/gateway.log" >&2; exit 1
}
stop_gw() { kill "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; GW_PID=; }
new_home() {  # HWM BATCH_WINDOW
    rm -rf "$HOME_DIR"; cp -a "$RUNTIME" "$HOME_DIR"
    local etc=$HOME_DIR/etc
    rm -f "$etc"/org.edgegate.camera-*.cfg "$etc"/org.edgegate.serial.sensor-*.cfg
    printf 'id = native\nmode = native\naddress = %s\nhwm = %s\nbatch.window = %s\n' "$ADDRESS" "$1" "$2" \
        > "$etc/org.edgegate.zmq.endpoint-native.cfg"
    printf 'id = state\nmode = state\naddress = tcp://127.0.0.1:%s\n' "$P_STATE" > "$etc/org.edgegate.zmq.endpoint-state.cfg"
    sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$etc/config.properties"
}

RATES=(1 10 100); [ "$SMOKE" = 1 ] && RATES=(100)
FPSS=(5 25); [ "$SMOKE" = 1 ] && FPSS=(25)
# The native endpoint's batch.window ([zmq](../../docs/zmq.md)) for the extra rows: the readings of a window
# (cameras: under a 25 fps frame interval) go out with one wake of ZeroMQ's I/O thread.
SERIAL_WINDOW=${BENCH_SERIAL_WINDOW:-100}; CAMERA_WINDOW=${BENCH_CAMERA_WINDOW:-20}
# EdgeGate, serial
serial_rows() {  # BATCH_WINDOW RATE...
    local window=$1 suffix= board; shift; [ "$window" = 0 ] || suffix=", batch.window $window ms"
    new_home 10000 "$window"
    rm -f "$WORK/pty/dev" "$WORK/pty/board"
    socat pty,raw,echo=0,link="$WORK/pty/dev" pty,raw,echo=0,link="$WORK/pty/board" 2>/dev/null & board=$!; PIDS+=($board)
    for _ in $(seq 100); do [ -e "$WORK/pty/dev" ] && [ -e "$WORK/pty/board" ] && break; sleep 0.05; done
    printf 'id = bench\nport = %s\nparser = dash\nchannels = T:temperature, H:humidity\n' "$WORK/pty/board" \
        > "$HOME_DIR/etc/org.edgegate.serial.sensor-bench.cfg"
    gateway "cli gw:endpoints | grep -q '^native .*OPEN' && cli gw:sensors | grep -q '^bench .*OPEN'"
    if [ "$window" = 0 ]; then
        $PY "$BENCH/realrates.py" idle --gateway-pid "$GW_PID" --warmup "$WARMUP" --duration "$DUR" \
            | tag "idle (bare gateway, 1 s)" edgegate
    fi
    for rate in "$@"; do
        $PY "$BENCH/realrates.py" serial --gateway-pid "$GW_PID" --address "$ADDRESS" --dev "$WORK/pty/dev" --rate "$rate" \
            --warmup "$WARMUP" --duration "$DUR" | tag "serial $rate lines/s$suffix" edgegate
    done
    if [ "$SMOKE" != 1 ]; then
        $PY "$BENCH/serial.py" --gateway-pid "$GW_PID" --dev "$WORK/pty/dev" --address "$ADDRESS" --rate 0 \
            --warmup "$WARMUP" --duration "$DUR" | tag "serial flat out$suffix" edgegate
    fi
    stop_gw; kill "$board" 2>/dev/null || true
}
serial_rows 0 "${RATES[@]}"
[ "$SMOKE" = 1 ] || serial_rows "$SERIAL_WINDOW" 10 100
# EdgeGate, cameras
camera_row() {  # FPS BATCH_WINDOW
    local fps=$1 window=$2 suffix=; [ "$window" = 0 ] || suffix=", batch.window $window ms"
    new_home 20 "$window"
    for i in 0 1 2 3; do
        printf 'id = cam%s\nsource = %s\nwidth = 480\nheight = 320\nfps = %s\npaced = true\njpeg = passthrough\nenabled = true\n' \
            "$i" "$VIDEOS/test_480x320.avi" "$fps" > "$HOME_DIR/etc/org.edgegate.camera-cam$i.cfg"
    done
    gateway "[ \"\$(cli gw:cameras | grep -c '^cam[0-3] .*OPEN')\" = 4 ] && cli gw:endpoints | grep -q '^native .*OPEN'"
    $PY "$BENCH/realrates.py" camera --gateway-pid "$GW_PID" --address "$ADDRESS" --cameras cam0,cam1,cam2,cam3 \
        --warmup "$WARMUP" --duration "$DUR" | tag "4 cameras @ $fps fps passthrough$suffix" edgegate
    stop_gw
}
for fps in "${FPSS[@]}"; do camera_row "$fps" 0; done
[ "$SMOKE" = 1 ] || camera_row 25 "$CAMERA_WINDOW"
# The seed, same points
if [ -f "$SEED/serial_bench.py" ] && $PY -c 'import serial' 2>/dev/null; then
    for rate in "${RATES[@]}"; do
        $PY "$SEED/serial_bench.py" --mode array --rate "$rate" --warmup 1 --duration "$DUR" 2>/dev/null | tail -1 \
            | tag "serial $rate lines/s" seed
    done
    [ "$SMOKE" = 1 ] || $PY "$SEED/serial_bench.py" --mode array --rate 0 --warmup 1 --duration "$DUR" 2>/dev/null \
        | tail -1 | tag "serial flat out" seed
fi
if [ -f "$SEED/cam_bench.py" ]; then
    P_SEED=$($PY -c 'import random; print(random.randrange(30000, 40000, 10))')
    for fps in "${FPSS[@]}"; do
        $PY "$SEED/cam_bench.py" --mode seed --size 480x320 --n 4 --fps "$fps" --warmup "$WARMUP" --duration "$DUR" \
            --data "$VIDEOS" --port "$P_SEED" 2>/dev/null | tail -1 | tag "4 cameras @ $fps fps passthrough" seed
    done
fi

# One row per point, both sides' figures in it: CPU per event (µs), events/s, % of a core.
$PY - "$RAW" "$REP" "$DUR" <<'PYEOF'
import json, math, sys
raw, rep, dur = sys.argv[1], sys.argv[2], float(sys.argv[3])
rows = {}
for line in open(raw):
    if not line.strip().startswith('{'):
        continue
    r = json.loads(line)
    out = rows.setdefault(r['row'], {'bench': 'realrates', 'table': 'Real rates: CPU per event, EdgeGate JVM and the seed',
                                     'row': r['row'], 'rep': rep})
    if r['side'] == 'edgegate':
        if r.get('bench') == 'edgegate-serial':                      # flat out, serial.py
            out['EdgeGate µs/event'] = r['cpu_us_per_line_gateway']; out['EdgeGate events/s'] = r['lines_per_s']
            out['EdgeGate % core'] = r['cpu_pct_gateway']
        else:
            out['EdgeGate µs/event'] = r['us_per_event_gateway'] if r['kind'] != 'idle' else float('nan')
            out['EdgeGate events/s'] = r['events_per_s']; out['EdgeGate % core'] = r['cpu_pct_gateway']
            out['EdgeGate wakes/event'] = r['wakes_per_event_gateway'] if r['kind'] != 'idle' else r['wakes_per_s_gateway']
    elif r.get('bench') == 'serial':                                   # the seed's reader process
        n = r['lines_per_s'] * dur
        out['seed µs/event'] = 1e6 * r['cpu_pct_reader'] / 100 * dur / n if n else float('nan')
        out['seed events/s'] = r['lines_per_s']; out['seed % core'] = r['cpu_pct_reader']
    else:                                                              # the seed's camera processes, all
        out['seed µs/event'] = 1000 * r['cpu_ms_per_frame']
        out['seed events/s'] = r['delivered_fps']; out['seed % core'] = r['cpu_pct']
keys = ['EdgeGate µs/event', 'seed µs/event', 'EdgeGate events/s', 'seed events/s', 'EdgeGate % core', 'seed % core',
        'EdgeGate wakes/event']
for row in rows.values():
    for k in keys:
        row.setdefault(k, float('nan'))
    print(json.dumps({**{k: row[k] for k in ('bench', 'table', 'row', 'rep')}, **{k: row[k] for k in keys}}))
PYEOF
