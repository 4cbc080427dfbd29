#!/bin/bash
# Connect -> first message: N subscribers connect one after another to the gateway's native PUB, which
# publishes a sim: sensor at 10 Hz; each waits for its first message and is closed. Three clients:
# JeroMQ as edgegate-receive runs it (with its handshake watch), JeroMQ bare (--bare), pyzmq (libzmq).
# Prints a markdown table row per client (docs/zmq.md, "A JeroMQ subscriber that was never served").
# Usage: [N=1000] bench/connect.sh [WORKDIR]        needs a built runtime and Debian's python3-zmq
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd -P)
REPO=$(dirname "$BENCH")
N=${N:-1000}
PY=/usr/bin/python3
RUNTIME=$REPO/runtime/target/edgegate
WORK=${1:-$(mktemp -d -t edgegate-connect.XXXXXX)}
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd -P)
HOME_DIR=$WORK/home; OUT=$WORK/connects-$(date +%Y%m%d-%H%M%S).jsonl; GW_PID=

[ -x "$RUNTIME/bin/edgegate" ] || { echo "no runtime in $RUNTIME: run mvn -B package -DskipTests" >&2; exit 1; }
$PY -c 'import zmq' 2>/dev/null || { echo "no pyzmq for $PY: apt-get install python3-zmq" >&2; exit 1; }

stop_gw() {
    [ -n "$GW_PID" ] || return 0
    kill "$GW_PID" 2>/dev/null || true
    while kill -0 "$GW_PID" 2>/dev/null; do sleep 0.2; done
    GW_PID=
}
trap stop_gw EXIT
trap 'exit 130' INT TERM

read -r P_NATIVE P_STATE P_HTTP < <($PY -c '
import socket
held = [socket.socket() for _ in range(3)]
for s in held: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in held])')
ADDRESS=tcp://127.0.0.1:$P_NATIVE

# The shipped runtime, its demo sensors and camera replaced by one sim: board at 10 lines/s.
rm -rf "$HOME_DIR"; cp -a "$RUNTIME" "$HOME_DIR"
etc=$HOME_DIR/etc
rm -f "$etc"/org.edgegate.camera-*.cfg "$etc"/org.edgegate.serial.sensor-*.cfg
printf 'id = th\nport = sim:th?rate=10\nparser = dash\nchannels = T:temperature, H:humidity\n' \
    > "$etc/org.edgegate.serial.sensor-th.cfg"
printf 'id = native\nmode = native\naddress = %s\n' "$ADDRESS" > "$etc/org.edgegate.zmq.endpoint-native.cfg"
printf 'id = state\nmode = state\naddress = tcp://127.0.0.1:%s\n' "$P_STATE" > "$etc/org.edgegate.zmq.endpoint-state.cfg"
sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$P_HTTP/" "$etc/config.properties"
"$HOME_DIR/bin/edgegate" < /dev/null > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 120); do
    "$HOME_DIR/bin/edgegate-cli" gw:endpoints 2>/dev/null | grep -q "^native .*OPEN" &&
        "$HOME_DIR/bin/edgegate-cli" gw:sensors 2>/dev/null | grep -q "^th .*OPEN" && break
    kill -0 "$GW_PID" 2>/dev/null || { echo "gateway stopped, see $WORK/gateway.log" >&2; exit 1; }
    sleep 0.5
done

echo "== $N subscribers per client to $ADDRESS (sim:th at 10 Hz); raw results in $OUT; load average $(cut -d" " -f1-3 /proc/loadavg)" >&2
for client in watched bare pyzmq; do
    case $client in
        watched) "$HOME_DIR/bin/edgegate-receive" "$ADDRESS" --topics sensor/ --connects "$N" --json ;;
        bare) "$HOME_DIR/bin/edgegate-receive" "$ADDRESS" --topics sensor/ --connects "$N" --bare --json ;;
        pyzmq) $PY "$BENCH/connect.py" "$ADDRESS" "$N" sensor/ ;;
    esac > "$WORK/$client.log" || true
    grep -v '^{' "$WORK/$client.log" >&2
    grep '^{' "$WORK/$client.log" >> "$OUT"
done

$PY - "$OUT" <<'PYEOF'
import json, sys
names = {"jeromq-watched": "JeroMQ 0.6.0, `edgegate-receive` (handshake watch)",
         "jeromq-bare": "JeroMQ 0.6.0, bare (`--bare`)", "pyzmq": "pyzmq (libzmq)"}
for line in open(sys.argv[1]):
    r = json.loads(line)
    print("| %d × %s | %.0f ms | %.0f ms | %.0f ms | %d | %d |" % (r["subscribers"], names.get(r["client"], r["client"]),
          r["p50_ms"], r["p99_ms"], r["max_ms"], r["over_1s"], r["never"]))
PYEOF
