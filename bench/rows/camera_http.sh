#!/bin/bash
# Network-camera rows for bench/run.sh (or alone: bench/rows/camera_http.sh): the gateway's CPU per frame for
# one camera reading an MJPG .avi, and for one reading the same clip as MJPEG over HTTP from Debian's ffmpeg
# through the camera-http plug-in (both jpeg=passthrough, no consumer: the cost of getting frames in).
# Prints JSON rows (bench/table.py renders them); needs ffmpeg, else prints nothing.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd -P)
REPO=$(dirname "$BENCH")
PY=${BENCH_PY:-/usr/bin/python3}
RUNTIME=${BENCH_RUNTIME:-$REPO/runtime/target/edgegate}
DUR=${BENCH_DUR:-10}; WARMUP=${BENCH_WARMUP:-3}; REP=${BENCH_REP:-1}
command -v ffmpeg >/dev/null || { echo "camera-http rows left out: needs ffmpeg" >&2; exit 0; }
[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME" >&2; exit 1; }
WORK=${BENCH_WORK:-$(mktemp -d -t edgegate-camhttp.XXXXXX)}/camera-http
HOME_DIR=$WORK/home; PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    [ -f "$WORK/ffmpeg.pid" ] && kill "$(cat "$WORK/ffmpeg.pid")" 2>/dev/null || true   # the loop's current ffmpeg
}
trap cleanup EXIT

read -r P_HTTP P_CAM < <($PY -c 'import socket
s = [socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
rm -rf "$WORK"; mkdir -p "$WORK"; cp -a "$RUNTIME" "$HOME_DIR"
rm -f "$HOME_DIR"/etc/org.edgegate.camera-*.cfg "$HOME_DIR"/etc/org.edgegate.serial.sensor-*.cfg \
    "$HOME_DIR"/etc/org.edgegate.zmq.endpoint-*.cfg
sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$HOME_DIR/etc/config.properties"
cp "$HOME_DIR/plugins/edgegate-camera-http.jar" "$HOME_DIR/deploy/"
cli() { "$HOME_DIR/bin/edgegate-cli" "$@" 2>/dev/null; }
CLIP=${BENCH_VIDEOS:-$WORK/video}/test_1280x720.avi
[ -f "$CLIP" ] || $PY "$BENCH/clip.py" "$(dirname "$CLIP")" 100

# ffmpeg serves one client per run: a loop starts it again (the bench's camera connects once).
( while :; do ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$CLIP" -c copy -f mpjpeg -listen 1 \
      "http://127.0.0.1:$P_CAM/cam.mjpg" 2>> "$WORK/ffmpeg.log" & echo $! > "$WORK/ffmpeg.pid"; wait $! || true; done ) \
    > /dev/null & PIDS+=($!)

"$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
for _ in $(seq 240); do cli gw:cameras > /dev/null && break; sleep 0.5; done

row() {  # LABEL SOURCE SERVER_PID
    printf 'id = bench\nsource = %s\njpeg = passthrough\n' "$2" > "$HOME_DIR/etc/org.edgegate.camera-bench.cfg"
    for _ in $(seq 120); do cli gw:cameras | grep -q "^bench .*OPEN" && break; sleep 0.5; done
    $PY "$BENCH/camera_http_bench.py" --gateway-pid "$GW_PID" --server-pid "${3:-0}" --cli "$HOME_DIR/bin/edgegate-cli" \
        --camera bench --row "$1" --rep "$REP" --warmup "$WARMUP" --duration "$DUR"
    rm -f "$HOME_DIR/etc/org.edgegate.camera-bench.cfg"
    for _ in $(seq 60); do cli gw:cameras | grep -q '^bench ' || break; sleep 0.5; done
}
row "1280x720 MJPG .avi file, 25 fps" "$CLIP"
row "the same from ffmpeg as MJPEG over HTTP (camera-http)" "http://127.0.0.1:$P_CAM/cam.mjpg" "$(cat "$WORK/ffmpeg.pid")"
