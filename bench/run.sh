#!/bin/bash
# EdgeGate against the seed's pipelines, in one run on one machine: cameras (ZeroMQ receivers decoding
# every frame or not; MJPEG-over-HTTP clients), the serial line, the per-frame floor; prints one markdown
# report and, for a full run, puts it into docs/BENCHMARKS.md.
# Usage: [REPS=3] [DUR=10] [WARMUP=3] [SMOKE=1] [SEED_BENCH=dir] [DOCS=0] bench/run.sh [WORKDIR]
# (see bench/README.md)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd -P)
REPO=$(dirname "$BENCH")
SMOKE=${SMOKE:-0}
if [ "$SMOKE" = 1 ]; then REPS=${REPS:-1}; DUR=${DUR:-2}; WARMUP=${WARMUP:-1}; else REPS=${REPS:-3}; DUR=${DUR:-10}; WARMUP=${WARMUP:-3}; fi
PY=/usr/bin/python3                                  # Debian's, with python3-zmq/-opencv/-numpy(/-serial)
RUNTIME=${RUNTIME:-$REPO/runtime/target/edgegate}
SEED=${SEED_BENCH:-$REPO/../shared/bench/seed-python}
WORK=${1:-$(mktemp -d -t edgegate-bench.XXXXXX)}
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd -P)
HOME_DIR=$WORK/home; OUT=$WORK/results-$(date +%Y%m%d-%H%M%S).jsonl; GW_PID=; SOCAT_PID=
TOKEN=bench-$RANDOM$RANDOM

[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME: run mvn -B package -DskipTests" >&2; exit 1; }
$PY -c 'import zmq, cv2, numpy' 2>/dev/null || {
    echo "$PY lacks zmq, cv2 or numpy: apt-get install python3-zmq python3-opencv python3-numpy" >&2; exit 1; }
HAVE_SEED=0; [ -f "$SEED/cam_bench.py" ] && HAVE_SEED=1
[ $HAVE_SEED = 1 ] || echo "no seed bench in $SEED (set SEED_BENCH): the seed's rows are left out" >&2
HAVE_SERIAL=0; command -v socat >/dev/null && HAVE_SERIAL=1
[ $HAVE_SERIAL = 1 ] || echo "no socat: the serial rows are left out (apt-get install socat)" >&2

stop_gw() {
    if [ -n "$GW_PID" ]; then
        kill "$GW_PID" 2>/dev/null || true
        while kill -0 "$GW_PID" 2>/dev/null; do sleep 0.2; done
        GW_PID=
    fi
    if [ -n "$SOCAT_PID" ]; then kill "$SOCAT_PID" 2>/dev/null || true; wait "$SOCAT_PID" 2>/dev/null || true; SOCAT_PID=; fi
}
trap stop_gw EXIT
trap 'exit 130' INT TERM

# Free loopback ports: 3 for the gateway, 8 consecutive ones for the seed's receivers (base + camera).
read -r P_NATIVE P_STATE P_HTTP P_SEED < <($PY - <<'PYEOF'
import random, socket
def bound(port):
    s = socket.socket(); s.bind(('127.0.0.1', port)); return s
held = [bound(0) for _ in range(3)]
ports = [s.getsockname()[1] for s in held]
while True:
    base = random.randrange(20000, 30000)
    try: held += [bound(base + i) for i in range(8)]; break
    except OSError: pass
print(*ports, base)
PYEOF
)
ADDRESS=tcp://127.0.0.1:$P_NATIVE

# The test clips: the seed's gen_video.py (run in place) when present, else our clip.py; kept in WORKDIR.
VIDEOS=$WORK/video
CLIP_FRAMES=300; [ "$SMOKE" = 1 ] && CLIP_FRAMES=50
if [ ! -f "$VIDEOS/test_1280x720.avi" ]; then
    if [ $HAVE_SEED = 1 ]; then $PY "$SEED/gen_video.py" "$VIDEOS" $CLIP_FRAMES >&2; else $PY "$BENCH/clip.py" "$VIDEOS" $CLIP_FRAMES; fi
fi
$PY "$BENCH/machine.py" "$RUNTIME" | sed 's/^{/{"bench": "machine", /' >> "$OUT"

# A fresh gateway home: the shipped runtime without its demo sensors and camera, our endpoints and port.
new_home() {
    stop_gw
    rm -rf "$HOME_DIR"; cp -a "$RUNTIME" "$HOME_DIR"
    local etc=$HOME_DIR/etc
    rm -f "$etc"/org.edgegate.camera-*.cfg "$etc"/org.edgegate.serial.sensor-*.cfg
    printf 'id = native\nmode = native\naddress = %s\nhwm = %s\n' "$ADDRESS" "${1:-20}" > "$etc/org.edgegate.zmq.endpoint-native.cfg"
    printf 'id = state\nmode = state\naddress = tcp://127.0.0.1:%s\n' "$P_STATE" > "$etc/org.edgegate.zmq.endpoint-state.cfg"
    printf 'token = %s\n' "$TOKEN" > "$etc/org.edgegate.http.cfg"
    sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$etc/config.properties"
}
cli() { "$HOME_DIR/bin/edgegate-cli" "$@" 2>/dev/null; }
# Starts the gateway; up when the condition ($1, a shell command) holds.
launch() {
    "$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 &
    GW_PID=$!
    for _ in $(seq 240); do
        if eval "$1"; then return 0; fi
        kill -0 "$GW_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "gateway did not come up, see $WORK/gateway.log" >&2; exit 1
}
# Cameras cam0..cam(N-1): N SOURCE WIDTH HEIGHT FPS PACED JPEG
cameras_gw() {
    new_home
    local i
    for ((i = 0; i < $1; i++)); do
        printf 'id = cam%s\nsource = %s\nwidth = %s\nheight = %s\nfps = %s\npaced = %s\njpeg = %s\nquality = 95\nenabled = true\n' \
            "$i" "$2" "$3" "$4" "$5" "$6" "$7" > "$HOME_DIR/etc/org.edgegate.camera-cam$i.cfg"
    done
    launch "$PY $BENCH/ready.py $P_HTTP $P_NATIVE $TOKEN $(cam_ids "$1" | tr , ' ')"
    JPEG_PATH=$(cli gw:cameras | grep -m1 -o 'jpeg: [^(]*([^)]*)' || cli gw:cameras | grep -m1 -o 'jpeg: .*' || echo '?')
}
cam_ids() { local i s=; for ((i = 0; i < $1; i++)); do s+=${s:+,}cam$i; done; echo "$s"; }
tags() { $PY -c 'import json, sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }
measure() {  # ROW-TAGS-JSON then measure.py arguments
    local t=$1; shift
    $PY "$BENCH/measure.py" --gateway-pid "$GW_PID" --warmup "$WARMUP" --duration "$DUR" --tags "$t" "$@" >> "$OUT"
}

# Operating points: name N SIZE FPS PACED EdgeGate-SOURCES SEED-MODES. Free-running = as fast as each side goes.
# SET=full (default) runs every source and mode at every point; SET=core leaves pattern: out beyond the first
# point and runs free-running 1 and 8 cameras with passthrough against the seed mode only (for a busy day).
SET=${SET:-full}; [ "$SMOKE" = 1 ] && SET=smoke
case $SET in
    smoke) POINTS=("4x480x320@25 4 480x320 25 true passthrough seed") ;;
    core) POINTS=("4x480x320@25 4 480x320 25 true passthrough,encode,pattern seed,izmq"
                  "2x1280x720@25 2 1280x720 25 true passthrough,encode seed,izmq"
                  "4x480x320 free 4 480x320 0 false passthrough,encode seed,izmq"
                  "1x480x320 free 1 480x320 0 false passthrough seed"
                  "8x480x320 free 8 480x320 0 false passthrough seed") ;;
    *) POINTS=("4x480x320@25 4 480x320 25 true passthrough,encode,pattern seed,izmq"
               "2x1280x720@25 2 1280x720 25 true passthrough,encode,pattern seed,izmq"
               "1x480x320 free 1 480x320 0 false passthrough,encode,pattern seed,izmq"
               "4x480x320 free 4 480x320 0 false passthrough,encode,pattern seed,izmq"
               "8x480x320 free 8 480x320 0 false passthrough,encode,pattern seed,izmq") ;;
esac

camera_rows() {
    local point name n size fps paced sources modes w h src source jpeg
    for point in "${POINTS[@]}"; do
        read -r name n size fps paced sources modes <<< "$(echo "$point" | sed 's/ free / /')"
        case $point in *" free "*) name="$name free-running" ;; esac
        w=${size%x*}; h=${size#*x}
        for src in ${sources//,/ }; do
            case $src in
                passthrough) source=$VIDEOS/test_$size.avi; jpeg=passthrough ;;
                encode) source=$VIDEOS/test_$size.avi; jpeg=encode ;;
                pattern) source=pattern:; jpeg=auto ;;
            esac
            echo "== $name EdgeGate $src" >&2
            cameras_gw "$n" "$source" "$w" "$h" "$fps" "$paced" "$jpeg"
            for decode in 1 0; do
                [ "$SMOKE" = 1 ] && [ $decode = 0 ] && continue
                measure "$(tags point "$name" source "$src" jpeg_path "$JPEG_PATH" rep "$rep")" \
                    --cameras "$(cam_ids "$n")" --receiver zmq --address "$ADDRESS" --decode $decode
            done
            if [ "$src" = passthrough ] && [ "$name" = "4x480x320@25" ]; then
                for clients in 1 4; do
                    [ "$SMOKE" = 1 ] && [ $clients = 4 ] && continue
                    measure "$(tags point "$name" source "$src" jpeg_path "$JPEG_PATH" rep "$rep")" \
                        --cameras "$(cam_ids "$n")" --receiver http --http "http://127.0.0.1:$P_HTTP" \
                        --auth "Bearer $TOKEN" --clients $clients --decode 0
                done
            fi
            stop_gw
        done
        if [ $HAVE_SEED = 1 ]; then
            for mode in ${modes//,/ }; do
                echo "== $name seed $mode" >&2
                local seed_fps=$fps
                $PY "$SEED/cam_bench.py" --mode "$mode" --size "$size" --n "$n" --fps "$seed_fps" --warmup "$WARMUP" \
                    --duration "$DUR" --data "$VIDEOS" --port "$P_SEED" 2>/dev/null \
                    | tail -1 | $PY -c 'import json, sys; r = json.loads(sys.stdin.read()); r.update(point=sys.argv[1], rep=sys.argv[2]); print(json.dumps(r))' "$name" "$rep" >> "$OUT"
            done
        fi
    done
}

serial_rows() {
    [ $HAVE_SERIAL = 1 ] || return 0
    local rates=(0 100 1000); [ "$SMOKE" = 1 ] && rates=(100)
    echo "== serial EdgeGate" >&2
    new_home 10000
    mkdir -p "$WORK/pty"; rm -f "$WORK/pty/dev" "$WORK/pty/board"
    socat pty,raw,echo=0,link="$WORK/pty/dev" pty,raw,echo=0,link="$WORK/pty/board" 2>/dev/null &
    SOCAT_PID=$!
    for _ in $(seq 100); do [ -e "$WORK/pty/dev" ] && [ -e "$WORK/pty/board" ] && break; sleep 0.05; done
    printf 'id = bench\nport = %s\nparser = dash\nchannels = T:temperature, H:humidity\n' "$WORK/pty/board" \
        > "$HOME_DIR/etc/org.edgegate.serial.sensor-bench.cfg"
    launch "cli gw:endpoints | grep -q '^native .*OPEN' && cli gw:sensors | grep -q '^bench .*OPEN'"
    local rate
    for rate in "${rates[@]}"; do
        $PY "$BENCH/serial.py" --gateway-pid "$GW_PID" --dev "$WORK/pty/dev" --address "$ADDRESS" --rate "$rate" \
            --warmup "$WARMUP" --duration "$DUR" | sed "s/^{/{\"rep\": \"$rep\", /" >> "$OUT"
    done
    stop_gw
    if [ $HAVE_SEED = 1 ] && $PY -c 'import serial' 2>/dev/null; then
        local mode
        for mode in array manager; do
            for rate in "${rates[@]}"; do
                [ $mode = manager ] && { [ "$rate" = 1000 ] || [ "$SMOKE" = 1 ]; } && continue
                echo "== serial seed $mode $rate" >&2
                $PY "$SEED/serial_bench.py" --mode $mode --rate "$rate" --warmup 1 --duration "$DUR" 2>/dev/null \
                    | tail -1 | sed "s/^{/{\"rep\": \"$rep\", /" >> "$OUT"
            done
        done
    elif [ $HAVE_SEED = 1 ]; then
        echo "no pyserial for $PY: the seed's serial rows are left out (apt-get install python3-serial)" >&2
    fi
}

# Extra rows: every executable bench/rows/*.sh, once per repetition, with the variables below exported;
# each prints JSON lines {"bench": "...", "table": "title", "row": "label", "<figure>": number, ...}.
extra_rows() {
    local s
    for s in "$BENCH"/rows/*.sh; do
        [ -x "$s" ] || continue
        echo "== extra $(basename "$s")" >&2
        BENCH_WORK=$WORK BENCH_DUR=$DUR BENCH_WARMUP=$WARMUP BENCH_SMOKE=$SMOKE BENCH_REP=$rep BENCH_PY=$PY \
            BENCH_RUNTIME=$RUNTIME BENCH_SEED=$SEED BENCH_VIDEOS=$VIDEOS "$s" >> "$OUT" || echo "$s failed" >&2
    done
}

for rep in $(seq "$REPS"); do
    echo "== rep $rep/$REPS" >&2
    if [ $HAVE_SEED = 1 ] && [ "$SMOKE" != 1 ]; then
        $PY "$SEED/raw_bench.py" --data "$VIDEOS" 2>/dev/null | sed "s/^{/{\"rep\": \"$rep\", /" >> "$OUT"
    fi
    camera_rows
    serial_rows
    extra_rows
done
$PY "$BENCH/machine.py" "$RUNTIME" | sed 's/^{/{"bench": "machine-end", /' >> "$OUT"
echo "results: $OUT" >&2
$PY "$BENCH/table.py" --reps "$REPS" --dur "$DUR" "$OUT" > "$WORK/table.md"
cat "$WORK/table.md"
if [ "$SMOKE" != 1 ] && [ "${DOCS:-1}" = 1 ]; then
    $PY "$BENCH/table.py" --reps "$REPS" --dur "$DUR" --docs "$REPO/docs/BENCHMARKS.md" "$OUT"
    echo "written into $REPO/docs/BENCHMARKS.md" >&2
fi
