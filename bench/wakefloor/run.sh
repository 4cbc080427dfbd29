#!/bin/bash
# The cost of one wake on this machine, under every per-event figure of rows/realrates.sh: a C reader, a Java
# thread in a blocking read and one in an NIO selector (as JeroMQ's threads wait), each woken RATE times a
# second (default 100) for DUR seconds; JSON lines. Needs cc and a JDK. Usage: [RATE=100] [DUR=10] run.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd -P)
RATE=${RATE:-100}; DUR=${DUR:-10}
OUT=$(mktemp -d -t edgegate-wakefloor.XXXXXX); trap 'rm -rf "$OUT"' EXIT
cc -O2 -o "$OUT/wake" "$HERE/wake.c"
javac -d "$OUT" "$HERE/Wake.java"
JVM="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m"  # as bin/edgegate runs the gateway
"$OUT/wake" "$RATE" "$DUR"
java $JVM -cp "$OUT" Wake "$RATE" "$DUR"
java $JVM -cp "$OUT" Wake "$RATE" "$DUR" nio
