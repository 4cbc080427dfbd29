#!/bin/bash
# The JVM options of bin/edgegate measured against their alternatives (docs/operations.md "JVM flags"): for each
# set, bench/startup.py on the shipped demo (restart to "All OK", wall and CPU; CPU at rest; PSS), REPS times,
# sets interleaved so a busy spell on a shared machine spreads over all of them.
# NICE=-20 (root) runs the gateway at that nice value: nearly the cores of a quiet machine on a busy one.
# Usage: [REPS=3] [DUR=20] [WARMUP=20] [MODE=demo] [SETS="name ..."] [ETC="file ..."] [TIMEOUT=120] bench/flags.sh [WORKDIR]
# Under emulation (a Pi-class figure): JAVA_HOME=<sysroot JVM> QEMU_LD_PREFIX=<sysroot> as .ci/arm-smoke sets them,
# and ETC naming an org.edgegate.jpegturbo.cfg with the sysroot's library (files added to each home's etc/).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd -P)
REPO=$(dirname "$BENCH")
PY=${BENCH_PY:-/usr/bin/python3}
RUNTIME=${RUNTIME:-$REPO/runtime/target/edgegate}
REPS=${REPS:-3}; DUR=${DUR:-20}; WARMUP=${WARMUP:-20}; MODE=${MODE:-demo}; TIMEOUT=${TIMEOUT:-120}
WORK=${1:-$(mktemp -d -t edgegate-flags.XXXXXX)}
# The shipped options, read from the launcher (their one source); each other set changes one of them.
SHIPPED=$("$BENCH/jvm_opts.sh" "$RUNTIME")
declare -A OPTS=(
    [shipped]="$SHIPPED"
    [tiered]="${SHIPPED/ -XX:TieredStopAtLevel=1/}"
    [g1]="${SHIPPED/-XX:+UseSerialGC/-XX:+UseG1GC}"
    [jdk-defaults]="-XX:+UseG1GC"
    [xmx64]="${SHIPPED/-Xmx128m/-Xmx64m}"
    [direct-default]="${SHIPPED/ -XX:MaxDirectMemorySize=64m/}"
    [xss1m]="${SHIPPED/ -Xss512k/}"
    [no-verify]="$SHIPPED -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote"
    [no-perfdata]="$SHIPPED -XX:-UsePerfData"
    [perfdata-50ms]="${SHIPPED/ -XX:PerfDataSamplingInterval=1000/}"
    # the JVM's own timers at their defaults: monitor deflation looks every 250 ms, the VM thread every second
    [jvm-timers-default]="${SHIPPED/ -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 -XX:GuaranteedSafepointInterval=10000/}"
)
for set in tiered g1 xmx64 direct-default xss1m perfdata-50ms jvm-timers-default; do  # a shipped flag renamed: say so, measure nothing
    [ "${OPTS[$set]}" != "$SHIPPED" ] || { echo "set $set changes nothing in: $SHIPPED" >&2; exit 1; }
done
OPTS[no-cds]=${OPTS[shipped]}; OPTS[before]=${OPTS[shipped]}
run() {  # SET REP
    local cds=1 opts=${EDGEGATE_OPTS:-} etc=() f
    for f in ${ETC:-}; do etc+=(--etc "$f"); done
    case $1 in
        no-cds) cds=0 ;;
        # the start-up work bin/edgegate saves, undone: no class data archive, every bundle copied at each
        # launch, OpenCV inflated out of its jar at each start (the launcher before issue 22)
        before) cds=0; opts="$opts -Dfelix.auto.deploy.action=install,update,start -Dedgegate.native.dir=" ;;
    esac
    EDGEGATE_CDS=$cds EDGEGATE_OPTS=$opts "$PY" "$BENCH/startup.py" --runtime "$RUNTIME" --work "$WORK/$1" \
        --mode "$MODE" --java-opts="${OPTS[$1]}" --label "$1" --rep "$2" --warmup "$WARMUP" --duration "$DUR" --timeout "$TIMEOUT" --nice "${NICE:-0}" "${etc[@]}"
}
SETS=${SETS:-shipped before no-cds tiered g1 jdk-defaults xmx64 direct-default xss1m no-verify no-perfdata jvm-timers-default}
for rep in $(seq "$REPS"); do
    for set in $SETS; do
        echo "== rep $rep/$REPS: $set" >&2
        run "$set" "$rep" || echo "$set failed (rep $rep)" >&2
    done
done
