#!/bin/bash
# The JVM options the gateway runs with: DEFAULT_JAVA_OPTS of RUNTIME's bin/edgegate (their one source), for the
# benchmarks that run a JVM as the gateway does. Usage: bench/jvm_opts.sh RUNTIME
set -euo pipefail
opts=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$1/bin/edgegate" 2>/dev/null || true)
[ -n "$opts" ] || { echo "no DEFAULT_JAVA_OPTS in $1/bin/edgegate: build the runtime first" >&2; exit 1; }
echo "$opts"
