#!/bin/bash
# EdgeGate's camera pipeline against the seed's, in one session on one machine; prints a markdown table.
# Usage: [REPS=3] [DUR=10] [SEED_BENCH=dir] bench/run.sh [WORKDIR]     (see bench/README.md)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd -P)
REPO=$(dirname "$BENCH")
REPS=${REPS:-3}; DUR=${DUR:-10}; WARMUP=${WARMUP:-3}
PY=/usr/bin/python3                                  # Debian's, with python3-zmq/-opencv/-numpy
RUNTIME=$REPO/runtime/target/edgegate
SEED=${SEED_BENCH:-$REPO/../shared/bench/seed-python}
WORK=${1:-$(mktemp -d -t edgegate-bench.XXXXXX)}
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd -P)
HOME_DIR=$WORK/home; OUT=$WORK/results-$(date +%Y%m%d-%H%M%S).jsonl; GW_PID=

[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME: run mvn -B package -DskipTests" >&2; exit 1; }
[ -f "$SEED/cam_bench.py" ] || { echo "no seed bench in $SEED: set SEED_BENCH" >&2; exit 1; }

stop_gw() {
    [ -n "$GW_PID" ] || return 0
    kill "$GW_PID" 2>/dev/null || true
    while kill -0 "$GW_PID" 2>/dev/null; do sleep 0.2; done
    GW_PID=
}
trap stop_gw EXIT
trap 'exit 130' INT TERM

# Free loopback ports: 3 for the gateway, 4 consecutive ones for the seed's receivers (base + camera).
read -r P_NATIVE P_STATE P_HTTP P_SEED < <($PY - <<'PYEOF'
import random, socket
def bound(port):
    s = socket.socket(); s.bind(('127.0.0.1', port)); return s
held = [bound(0) for _ in range(3)]
ports = [s.getsockname()[1] for s in held]
while True:
    base = random.randrange(20000, 30000)
    try: held += [bound(base + i) for i in range(4)]; break
    except OSError: pass
print(*ports, base)
PYEOF
)
ADDRESS=tcp://127.0.0.1:$P_NATIVE

# The seed's test video (its gen_video.py, run in place), kept in WORKDIR for later runs.
VIDEO=$WORK/video/test_480x320.avi
[ -f "$VIDEO" ] || $PY "$SEED/gen_video.py" "$WORK/video" 300 >&2

# A fresh gateway home per run: the shipped runtime, its demo camera replaced by 4 cameras on $1.
start_gw() {
    rm -rf "$HOME_DIR"; cp -a "$RUNTIME" "$HOME_DIR"
    local etc=$HOME_DIR/etc
    rm -f "$etc"/org.edgegate.camera-*.cfg
    for i in 0 1 2 3; do
        printf 'id = cam%s\nsource = %s\nwidth = 480\nheight = 320\nfps = 25\nquality = 95\nenabled = true\n' \
            "$i" "$1" > "$etc/org.edgegate.camera-cam$i.cfg"
    done
    printf 'id = native\nmode = native\naddress = %s\n' "$ADDRESS" > "$etc/org.edgegate.zmq.endpoint-native.cfg"
    printf 'id = state\nmode = state\naddress = tcp://127.0.0.1:%s\n' "$P_STATE" > "$etc/org.edgegate.zmq.endpoint-state.cfg"
    sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$etc/config.properties"
    "$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 &
    GW_PID=$!
    # Up when the native endpoint is open and 4 cameras report frames.
    for _ in $(seq 120); do
        if "$HOME_DIR/bin/edgegate-cli" gw:endpoints 2>/dev/null | grep -q "^native .*OPEN" &&
           [ "$("$HOME_DIR/bin/edgegate-cli" gw:cameras 2>/dev/null | grep -c '^cam[0-3] .* OPEN ')" = 4 ]; then
            return 0
        fi
        kill -0 "$GW_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "gateway did not come up, see $WORK/gateway.log" >&2; exit 1
}

for rep in $(seq "$REPS"); do
    echo "== rep $rep/$REPS" >&2
    for src in pattern: "$VIDEO"; do
        label=$([ "$src" = pattern: ] && echo 'pattern:' || echo 'MJPG .avi')
        start_gw "$src"
        for rx in java py; do
            $PY "$BENCH/measure.py" --gateway-pid "$GW_PID" --home "$HOME_DIR" --address "$ADDRESS" \
                --receiver "$rx" --label "$label" --warmup "$WARMUP" --duration "$DUR" >> "$OUT"
        done
        stop_gw
    done
    for mode in seed izmq; do
        $PY "$SEED/cam_bench.py" --mode "$mode" --size 480x320 --n 4 --fps 25 --warmup "$WARMUP" \
            --duration "$DUR" --data "$WORK/video" --port "$P_SEED" --out "$OUT" > /dev/null
    done
done
echo "results: $OUT" >&2
$PY "$BENCH/table.py" "$OUT" | tee "$WORK/table.md"
