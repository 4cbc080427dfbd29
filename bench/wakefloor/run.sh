#!/bin/bash
# The cost of one wake on this machine, under every per-event figure of rows/realrates.sh: a C reader, a Java
# thread in a blocking read and one in an NIO selector (as JeroMQ's threads wait), each woken RATE times a
# second (default 100) for DUR seconds; then one ZeroMQ message sent RATE times a second to a SUB in another
# process, the sender's CPU per message: libzmq from C, JeroMQ (its threads in the normal policy, then in
# SCHED_BATCH as the gateway runs them) and libzmq from Java (JNA).
# JSON lines. Needs cc, a JDK and the built runtime (its JVM options; its JeroMQ and JNA jars for the ZeroMQ
# rows, which also need Debian's libzmq5). Usage: [RATE=100] [DUR=10] [BENCH_RUNTIME=dir] run.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd -P)
BUNDLES=${BENCH_RUNTIME:-$HERE/../../runtime/target/edgegate}/bundle
RATE=${RATE:-100}; DUR=${DUR:-10}
OUT=$(mktemp -d -t edgegate-wakefloor.XXXXXX); trap 'rm -rf "$OUT"' EXIT
cc -O2 -o "$OUT/wake" "$HERE/wake.c"
javac -d "$OUT" "$HERE/Wake.java"
JVM=$("$HERE/../jvm_opts.sh" "$BUNDLES/..")  # as the gateway runs
"$OUT/wake" "$RATE" "$DUR"
java $JVM -cp "$OUT" Wake "$RATE" "$DUR"
java $JVM -cp "$OUT" Wake "$RATE" "$DUR" nio

LIBZMQ=$(ls /usr/lib/*/libzmq.so.5 2>/dev/null | head -1 || true)
JARS=$(ls "$BUNDLES"/jeromq-*.jar "$BUNDLES"/jna-[0-9]*.jar 2>/dev/null | tr '\n' : || true)
if [ -z "$LIBZMQ" ] || [ -z "$JARS" ]; then
    echo "ZeroMQ rows left out: they need libzmq5 and the runtime's jars in $BUNDLES" >&2; exit 0
fi
cc -O2 -o "$OUT/zmqfloor" "$HERE/zmqfloor.c" "$LIBZMQ"
javac -d "$OUT" -cp "$JARS" "$HERE/ZmqFloor.java"
ln -s "$LIBZMQ" "$OUT/libzmq.so"  # JNA looks for the unversioned name
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
floor() {  # SENDER...: a subscriber, then the sender on a free port
    local address sub
    address=tcp://127.0.0.1:$(port)
    "$OUT/zmqfloor" sub "$address" 2>/dev/null & sub=$!
    "$@" "$address"
    wait "$sub"
}
floor "$OUT/zmqfloor" pub "$RATE" "$DUR"
floor java $JVM -cp "$OUT:$JARS" ZmqFloor jeromq "$RATE" "$DUR"
floor java $JVM -cp "$OUT:$JARS" ZmqFloor jeromq-batch "$RATE" "$DUR"
floor java $JVM -Djna.library.path="$OUT" -cp "$OUT:$JARS" ZmqFloor libzmq "$RATE" "$DUR"
