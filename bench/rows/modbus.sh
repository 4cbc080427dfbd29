#!/bin/bash
# Modbus rows for bench/run.sh (or alone: bench/rows/modbus.sh): what one bus owner sustains and the gateway's
# CPU per request, against Debian's python3-pymodbus as RTU server on a socat pty pair and as TCP server.
# Rows: the idle gateway (baseline), RTU one unit flat out (poll 1 ms), RTU 8 units at 2 polls/s each, Modbus TCP one unit flat out.
# Prints JSON rows (bench/table.py renders them); needs socat and python3-pymodbus, else prints nothing.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd -P)
REPO=$(dirname "$BENCH")
PY=${BENCH_PY:-/usr/bin/python3}
RUNTIME=${BENCH_RUNTIME:-$REPO/runtime/target/edgegate}
DUR=${BENCH_DUR:-10}; WARMUP=${BENCH_WARMUP:-3}; REP=${BENCH_REP:-1}; SMOKE=${BENCH_SMOKE:-0}
SERVER=$REPO/runtime/src/test/python/modbus_server.py
command -v socat >/dev/null && $PY -c 'import pymodbus' 2>/dev/null || {
    echo "modbus rows left out: needs socat and python3-pymodbus" >&2; exit 0; }
[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME" >&2; exit 1; }
WORK=${BENCH_WORK:-$(mktemp -d -t edgegate-modbus.XXXXXX)}/modbus
HOME_DIR=$WORK/home; PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

read -r P_HTTP P_TCP < <($PY -c 'import socket
s = [socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
rm -rf "$WORK"; mkdir -p "$WORK/pty"; cp -a "$RUNTIME" "$HOME_DIR"
rm -f "$HOME_DIR"/etc/org.edgegate.camera-*.cfg "$HOME_DIR"/etc/org.edgegate.serial.sensor-*.cfg \
    "$HOME_DIR"/etc/org.edgegate.zmq.endpoint-*.cfg
sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$HOME_DIR/etc/config.properties"
cli() { "$HOME_DIR/bin/edgegate-cli" "$@" 2>/dev/null; }

socat pty,raw,echo=0,link="$WORK/pty/dev" pty,raw,echo=0,link="$WORK/pty/board" 2>/dev/null & PIDS+=($!)
for _ in $(seq 100); do [ -e "$WORK/pty/dev" ] && [ -e "$WORK/pty/board" ] && break; sleep 0.05; done
# The servers read commands from stdin: a fifo held open keeps them running.
mkfifo "$WORK/rtu.in" "$WORK/tcp.in"
sleep infinity > "$WORK/rtu.in" & PIDS+=($!)
sleep infinity > "$WORK/tcp.in" & PIDS+=($!)
$PY "$SERVER" rtu "$WORK/pty/board" 1,2,3,4,5,6,7,8 < "$WORK/rtu.in" > "$WORK/rtu.out" 2>/dev/null & PIDS+=($!)
$PY "$SERVER" tcp "$P_TCP" 1 < "$WORK/tcp.in" > "$WORK/tcp.out" 2>/dev/null & PIDS+=($!)
for _ in $(seq 200); do grep -qs ready "$WORK/rtu.out" && grep -qs ready "$WORK/tcp.out" && break; sleep 0.1; done

"$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
for _ in $(seq 240); do cli gw:modbus > /dev/null && break; sleep 0.5; done

device() {  # ID PORT UNIT POLL
    printf 'port = %s\nunit = %s\npoll = %s\ntimeout = 200\nregisters = r:holding:0:uint16, s:holding:1:int16*0.1, f:holding:2:float32\n' \
        "$2" "$3" "$4" > "$HOME_DIR/etc/org.edgegate.modbus.device-$1.cfg"
}
row() {  # LABEL IDS
    local id
    for id in ${2//,/ }; do
        for _ in $(seq 120); do cli gw:modbus | grep -q "^  $id .* OPEN" && break; sleep 0.5; done
    done
    $PY "$BENCH/modbus_bench.py" --gateway-pid "$GW_PID" --cli "$HOME_DIR/bin/edgegate-cli" --devices "$2" \
        --row "$1" --rep "$REP" --warmup "$WARMUP" --duration "$DUR"
    rm -f "$HOME_DIR"/etc/org.edgegate.modbus.device-*.cfg
    for _ in $(seq 60); do cli gw:modbus | grep -q '^bus ' || break; sleep 0.5; done
}
$PY "$BENCH/modbus_bench.py" --gateway-pid "$GW_PID" --cli "$HOME_DIR/bin/edgegate-cli" --idle \
    --row "no device (the gateway's baseline)" --rep "$REP" --warmup "$WARMUP" --duration "$DUR"
RTU="$WORK/pty/dev?baud=115200"
device one "$RTU" 1 1
row "RTU, 1 unit, flat out (poll 1 ms)" one
[ "$SMOKE" = 1 ] && exit 0
ids=
for u in 1 2 3 4 5 6 7 8; do device "u$u" "$RTU" "$u" 500; ids+=${ids:+,}u$u; done
row "RTU, 8 units at 2 polls/s each" "$ids"
device tcp "tcp://127.0.0.1:$P_TCP" 1 1
row "Modbus TCP, 1 unit, flat out (poll 1 ms)" tcp
