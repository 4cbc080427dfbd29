#!/usr/bin/python3
"""Prints the results (JSON lines of measure.py and the seed's cam_bench.py) as one markdown table:
per pipeline and receiver the median over the repetitions, (min-max) when there are several.
Usage: table.py RESULTS.jsonl..."""
import json, statistics, sys

RECEIVERS = {'java': 'edgegate-receive (Java, no decode)', 'py': 'Python, decodes every frame'}

def cell(values, digits=1):
    values = [v for v in values if v == v]                   # drop NaN (no frames)
    if not values:
        return '-'
    fmt = '%.' + str(digits) + 'f'
    text = fmt % statistics.median(values)
    return text + (' (%s-%s)' % (fmt % min(values), fmt % max(values)) if len(values) > 1 else '')

def main():
    rows = [json.loads(l) for name in sys.argv[1:] for l in open(name) if l.strip()]
    groups = {}
    for r in rows:
        key = ('EdgeGate, ' + r['label'], RECEIVERS[r['receiver']]) if r['bench'] == 'edgegate' \
            else ('seed cam_bench ' + r['mode'], RECEIVERS['py'])
        groups.setdefault(key, []).append(r)
    print('| pipeline (4 cameras 480x320, 25 fps each) | receiver | frames/s | latency p50 ms | p99 ms '
          '| CPU ms/frame, all processes | gateway CPU % | PSS MB, all processes | gateway PSS MB | other load % |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for (pipeline, receiver), rs in groups.items():
        col = lambda k, d=1: cell([r[k] for r in rs if k in r], d)
        print('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            pipeline, receiver, col('delivered_fps'), col('lat_p50_ms'), col('lat_p99_ms'),
            col('cpu_ms_per_frame', 2), col('cpu_pct_gateway', 0), col('pss_peak_sum_mb', 0),
            col('pss_gateway_mb', 0), cell([r['sys_busy_pct'] - r['cpu_pct'] for r in rs], 0)))

if __name__ == '__main__':
    main()
