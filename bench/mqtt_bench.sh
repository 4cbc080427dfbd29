#!/bin/bash
# The MQTT bridge, measured on the shipped runtime (bin/edgegate) against Debian's Mosquitto on loopback:
#   readings/s through to a subscriber (mosquitto_sub) at QoS 1 and QoS 0, sensor as fast as it goes;
#   latency sensor -> subscriber p50/p99 at 100 lines/s (the reading's ts against mosquitto_sub's %U);
#   gateway CPU at 100 lines/s with and without the broker configured (what MQTT costs);
#   journal write and replay rates: JournalBench (the journal alone) and the gateway's own during an outage.
# Usage: [SMOKE=1] bench/mqtt_bench.sh [WORKDIR]      (DUR=10 seconds per figure; needs mvn -B package -DskipTests,
# mosquitto, mosquitto-clients, python3). Prints one markdown table. SMOKE=1 (BenchScriptsSmokeIT): DUR=2 and a
# small journal bench, to check the script still runs, not to measure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
DIST=$ROOT/runtime/target/edgegate
SMOKE=${SMOKE:-0}
if [ "$SMOKE" = 1 ]; then DUR=${DUR:-2}; RECORDS=20000; else DUR=${DUR:-10}; RECORDS=200000; fi
WORK=${1:-$(mktemp -d -t edgegate-mqtt-bench.XXXXXX)}
MOSQ=$(PATH="$PATH:/usr/sbin" command -v mosquitto)
[ -x "$DIST/bin/edgegate" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
mkdir -p "$WORK"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BPORT=$(port)
HPORT=$(port)

# ---- the broker ----
{
    echo "listener $BPORT 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest stderr"
    echo "max_queued_messages 1000000"
    [ "$(id -u)" = 0 ] && echo "user root"
} > "$WORK/mosquitto.conf"
BPID=
start_broker() {
    "$MOSQ" -c "$WORK/mosquitto.conf" 2> "$WORK/broker.log" &
    BPID=$!
    for _ in $(seq 100); do grep -q running "$WORK/broker.log" && return; sleep 0.1; done
    echo "mosquitto did not start" >&2; exit 1
}
stop_broker() { kill "$BPID"; wait "$BPID" 2>/dev/null || true; BPID=; }

# ---- the gateway: a copy of the runtime, no camera, one fast sensor, one broker ----
GW=$WORK/gw
rm -rf "$GW"; cp -a "$DIST" "$GW"; rm -rf "$GW/data"; mkdir -p "$GW/data"
rm -f "$GW/etc/org.edgegate.camera-demo.cfg"
sed -i "s/^org.osgi.service.http.port=.*/org.osgi.service.http.port=$HPORT/" "$GW/etc/config.properties"
sensor() {  # lines/s (0: as fast as the reader takes them)
    printf 'id = fast\nport = sim:th?rate=%s\nparser = dash\nchannels = T:temperature:\\u00b0C, H:humidity:%%\n' "$1" \
        > "$GW/etc/org.edgegate.serial.sensor-fast.cfg"
}
mqtt() {  # qos [replay.rate]
    printf 'id = bench\nuri = tcp://127.0.0.1:%s\ngateway = bench\nsensors = fast\ncameras = -\nhomeassistant = false\nqos = %s\nreplay.rate = %s\nreconnect.maxSeconds = 1\n' \
        "$BPORT" "$1" "${2:-2000}" > "$GW/etc/org.edgegate.mqtt.broker-bench.cfg"
}
# bounded: a stuck call must fail the figure, not hang the script (BenchScriptsSmokeIT once waited 10 min)
cli() { JAVA_HOME=${JAVA_HOME:-} timeout -k 2 30 "$GW/bin/edgegate-cli" "$@"; }
counter() { cli gw:mqtt --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0][sys.argv[1]] if d else 0)' "$1"; }
await_state() { for _ in $(seq 300); do [ "$(counter state 2>/dev/null)" = "$1" ] && return; sleep 0.1; done; echo "broker never $1" >&2; exit 1; }
ticks() { awk '{print $14+$15}' "/proc/$GPID/stat"; }
HZ=$(getconf CLK_TCK)

start_broker
sensor 100
mqtt 1
"$GW/bin/edgegate" < /dev/null > "$WORK/gateway.out" 2>&1 &
GPID=$!
trap 'kill $GPID 2>/dev/null; [ -n "$BPID" ] && kill $BPID 2>/dev/null; true' EXIT
for _ in $(seq 600); do cli gw:status >/dev/null 2>&1 && break; sleep 0.1; done
await_state OPEN
sleep 3

rows=()
row() { rows+=("| $1 | $2 |"); }

# latency at 100 lines/s, QoS 1
timeout -k 2 "$DUR" mosquitto_sub -p "$BPORT" -q 1 -t edgegate/bench/sensor/fast -F '%U %p' > "$WORK/latency.txt" || true
read -r p50 p99 n < <(python3 - "$WORK/latency.txt" <<'EOF'
import json, sys
lat = []
for line in open(sys.argv[1]):
    recv, payload = line.split(" ", 1)
    lat.append(float(recv) * 1000 - json.loads(payload)["ts"])
lat.sort()
print("%.2f %.2f %d" % (lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))], len(lat)))
EOF
)
row "latency sensor -> mosquitto_sub, 100 lines/s, QoS 1: p50 / p99 ms ($n readings)" "$p50 / $p99"

# CPU at 100 lines/s with MQTT, then without
t0=$(ticks); sleep "$DUR"; t1=$(ticks)
with=$(python3 -c "print('%.1f' % (($t1-$t0)/$HZ/$DUR*100))")
rm -f "$GW/etc/org.edgegate.mqtt.broker-bench.cfg"
sleep 3
t0=$(ticks); sleep "$DUR"; t1=$(ticks)
without=$(python3 -c "print('%.1f' % (($t1-$t0)/$HZ/$DUR*100))")
row "gateway CPU % of one core at 100 lines/s: with MQTT (QoS 1) / without" "$with / $without"

# throughput: the sensor at 5,000 lines/s, then as fast as it goes (replay.rate high: an overloaded window
# spills into the journal, which then drains at replay.rate)
for qos in 0 1; do
    for rate in 5000 0; do
        mqtt "$qos" 100000
        sensor "$rate"
        sleep 2; await_state OPEN
        end=$((SECONDS + 30))  # the last run's backlog, if any, out of the way first
        while [ $SECONDS -lt $end ] && [ "$(counter pending)" != 0 ]; do sleep 0.5; done
        sleep 3
        d0=$(counter dropped)
        got=$(timeout -k 2 "$DUR" mosquitto_sub -p "$BPORT" -q "$qos" -t edgegate/bench/sensor/fast | wc -l || true)
        d1=$(counter dropped)
        row "readings/s through to mosquitto_sub, QoS $qos, sensor at ${rate/#0/unthrottled} lines/s (dropped by the bridge in ${DUR} s)" \
            "$((got / DUR)) ($((d1 - d0)))"
    done
done

# journal, on the gateway: an outage at full sensor speed, then the replay
mqtt 1 100000
sensor 0
sleep 2; await_state OPEN; sleep 2
stop_broker
sleep 1
j0=$(counter journaled); s0=$(date +%s.%N)
sleep "$DUR"
j1=$(counter journaled); s1=$(date +%s.%N)
sensor 1
sleep 2
pending=$(counter pending)
r0=$(counter replayed)
start_broker
s2=$(date +%s.%N)
end=$((SECONDS + 120))
while [ $SECONDS -lt $end ] && [ "$(counter pending)" != 0 ]; do sleep 0.2; done
s3=$(date +%s.%N)
r1=$(counter replayed)
row "journal on the gateway: readings journaled/s during an outage, sensor unthrottled" \
    "$(python3 -c "print('%.0f' % (($j1-$j0)/($s1-$s0)))")"
row "journal on the gateway: replayed/s to the broker ($pending pending, replay.rate 100000)" \
    "$(python3 -c "print('%.0f' % (($r1-$r0)/($s3-$s2)))")"

# the journal alone
while read -r key value; do
    case $key in
        journal_write_per_s) row "journal alone (JournalBench, 250-byte payloads, fsync each second): appends/s" "$value" ;;
        journal_replay_per_s) row "journal alone: read + commit/s" "$value" ;;
        journal_open_ms) row "journal alone: opening (checking) $RECORDS records, ms" "$value" ;;
    esac
done < <(java -cp "$ROOT/bundles/mqtt/target/classes:$ROOT/bundles/mqtt/target/test-classes" \
    org.edgegate.mqtt.internal.journal.JournalBench "$WORK/journal-bench" "$RECORDS" 250 1000)

echo "| MQTT bridge ($(nproc) cores, $(date -u +%F)) | |"
echo "|---|---|"
printf '%s\n' "${rows[@]}"
