#!/usr/bin/python3
"""The report of a bench/run.sh run from its raw results (JSON lines; several files are merged): the
machine, the per-frame floor, the camera rows beside the seed's with the ratios, MJPEG over HTTP, the
serial line beside the seed's, and any extra rows. Each figure: the median over the repetitions, with
(min-max) when there are several. --docs FILE replaces the part of FILE between the markers
<!-- bench:begin --> and <!-- bench:end --> with the report.
Usage: table.py [--reps N] [--dur S] [--docs FILE] RESULTS.jsonl..."""
import argparse, json, math, re, statistics

POINT_SIZE = {}

def vals(rows, key):
    return [r[key] for r in rows if isinstance(r.get(key), (int, float)) and not math.isnan(r[key])]

def med(rows, key):
    v = vals(rows, key)
    return statistics.median(v) if v else float('nan')

def cell(rows, key, digits=1, scale=1.0):
    v = [x * scale for x in vals(rows, key)]
    if not v:
        return '-'
    f = '%.' + str(digits) + 'f'
    text = f % statistics.median(v)
    return text + (' (%s–%s)' % (f % min(v), f % max(v)) if len(v) > 1 else '')

def ratio(a, b, digits=2):
    return '-' if not (a == a and b == b and b) else ('%.' + str(digits) + 'f') % (a / b)

def other_load(rows, own='cpu_pct'):
    return cell([dict(x=r['sys_busy_pct'] - r.get(own, 0)) for r in rows if 'sys_busy_pct' in r], 'x', 0)

def group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out

def report(rows, reps, dur):
    lines = []
    m = next((r for r in rows if r.get('bench') == 'machine'), {})
    end = next((r for r in rows if r.get('bench') == 'machine-end'), {})
    lines.append('Run of %s on %s, %s cores, %s GB, %s (kernel %s); Java %s; OpenCV %s in the gateway '
                 '(org.openpnp), %s in Python (%s; JPEG: %s); pyzmq %s. REPS=%s, DUR=%s s per figure; '
                 'load average at start %s, at end %s.' % (
                     m.get('date', '?'), m.get('cpu', '?'), m.get('cores', '?'), m.get('mem_gb', '?'), m.get('os', '?'),
                     m.get('kernel', '?'), m.get('java', '?'), m.get('opencv_java', '?'), m.get('opencv_python', '?'),
                     m.get('python', '?'), m.get('opencv_python_jpeg', '?'), m.get('pyzmq', '?'), reps, dur,
                     ' '.join(m.get('load', [])), ' '.join(end.get('load', []))))
    # The floor: the seed's raw_bench.py, single thread, per frame.
    floor = {}
    raw = group([r for r in rows if r.get('bench') == 'raw'], lambda r: r['size'])
    if raw:
        lines += ['', '**Floor** (the seed\'s `raw_bench.py`, one thread, per frame, ms): what reading, encoding '
                  'and decoding one frame costs at the least with OpenCV in Python (libjpeg-turbo with SIMD).', '',
                  '| size | read (VideoCapture) | encode q95 | decode q95 | floor = read + encode + decode |',
                  '|---|---|---|---|---|']
        for size, rs in raw.items():
            for r in rs:
                r['floor_ms'] = r['videocapture_read_ms'] + r['imencode_q95_ms'] + r['imdecode_q95_ms']
            floor[size] = med(rs, 'floor_ms')
            lines.append('| %s | %s | %s | %s | %s |' % (size, cell(rs, 'videocapture_read_ms', 2),
                         cell(rs, 'imencode_q95_ms', 2), cell(rs, 'imdecode_q95_ms', 2), cell(rs, 'floor_ms', 2)))
    # Cameras.
    eg = [r for r in rows if r.get('bench') == 'edgegate' and r.get('receiver') == 'zmq']
    seed = [r for r in rows if r.get('bench') == 'cam']
    points = list(dict.fromkeys([r['point'] for r in eg + seed]))
    if points:
        lines += ['', '**Cameras.** frames/s delivered to the receivers (all cameras); CPU ms per delivered frame of '
                  'the gateway alone and of gateway + receivers (for the seed: all its processes, receivers '
                  'included); latency capture → decoded (or → received without decoding); PSS peak. '
                  '*× seed*: CPU ms/frame all processes against the seed (`seed` mode) at the same point, '
                  'decoding receivers; free-running also frames/s against the seed. *× floor*: CPU ms/frame '
                  'all processes against the floor of the frame size.', '',
                  '| point | pipeline | receiver | frames/s | CPU ms/frame gateway | CPU ms/frame all | latency p50 ms '
                  '| p99 ms | gateway PSS MB | PSS MB all | × seed CPU | × seed frames/s | × floor | other load % |',
                  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|']
        for p in points:
            size = re.search(r'\d+x(\d+x\d+)', p).group(1)
            s_rows = [r for r in seed if r['point'] == p]
            ref = [r for r in s_rows if r['mode'] == 'seed']
            ref_cpu, ref_fps = med(ref, 'cpu_ms_per_frame'), med(ref, 'delivered_fps')
            for (src, dec), rs in group([r for r in eg if r['point'] == p], lambda r: (r['source'], r['decode'])).items():
                path = rs[0].get('jpeg_path', '')
                name = 'EdgeGate, %s' % {'passthrough': 'MJPG .avi, jpeg=passthrough', 'encode': 'MJPG .avi, jpeg=encode',
                                         'pattern': 'pattern:'}.get(src, src)
                rx = 'pyzmq + cv2, decodes' if dec else 'pyzmq, no decode'
                all_cpu = med(rs, 'cpu_ms_per_frame')
                lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                    p, name + (' <br><sub>%s</sub>' % path if path else ''), rx, cell(rs, 'delivered_fps'),
                    cell(rs, 'cpu_ms_per_frame_gateway', 2), cell(rs, 'cpu_ms_per_frame', 2), cell(rs, 'lat_p50_ms'),
                    cell(rs, 'lat_p99_ms'), cell(rs, 'pss_gateway_mb', 0), cell(rs, 'pss_peak_sum_mb', 0),
                    ratio(all_cpu, ref_cpu) if dec else '-', ratio(med(rs, 'delivered_fps'), ref_fps) if 'free' in p else '-',
                    ratio(all_cpu, floor.get(size, float('nan'))), other_load(rs)))
            for mode, rs in group(s_rows, lambda r: r['mode']).items():
                lines.append('| %s | seed `cam_bench.py --mode %s` | pyzmq + cv2, decodes | %s | - | %s | %s | %s | - | %s '
                             '| %s | %s | %s | %s |' % (
                                 p, mode, cell(rs, 'delivered_fps'), cell(rs, 'cpu_ms_per_frame', 2), cell(rs, 'lat_p50_ms'),
                                 cell(rs, 'lat_p99_ms'), cell(rs, 'pss_peak_sum_mb', 0),
                                 ratio(med(rs, 'cpu_ms_per_frame'), ref_cpu), ratio(med(rs, 'delivered_fps'), ref_fps) if 'free' in p else '-',
                                 ratio(med(rs, 'cpu_ms_per_frame'), floor.get(size, float('nan'))), other_load(rs)))
    http = [r for r in rows if r.get('bench') == 'edgegate' and r.get('receiver') == 'http']
    if http:
        lines += ['', '**MJPEG over HTTP** (`/edgegate/cameras/<id>/stream.mjpg`, the passthrough gateway at '
                  '4x480x320@25): each client reads all 4 cameras\' streams (Python sockets, no decode); latency '
                  'capture (`X-Timestamp`) → part received.', '',
                  '| clients | frames/s (all clients) | CPU ms/frame gateway | CPU ms/frame all | gateway CPU % '
                  '| latency p50 ms | p99 ms | gateway PSS MB | other load % |', '|---|---|---|---|---|---|---|---|---|']
        for c, rs in sorted(group(http, lambda r: r['clients']).items()):
            lines.append('| %d | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                c, cell(rs, 'delivered_fps'), cell(rs, 'cpu_ms_per_frame_gateway', 3), cell(rs, 'cpu_ms_per_frame', 2),
                cell(rs, 'cpu_pct_gateway'), cell(rs, 'lat_p50_ms', 2), cell(rs, 'lat_p99_ms', 2),
                cell(rs, 'pss_gateway_mb', 0), other_load(rs)))
    ser = [r for r in rows if r.get('bench') in ('edgegate-serial', 'serial')]
    if ser:
        lines += ['', '**Serial line** over a socat pty pair (a pty ignores the baud rate: this measures CPU). '
                  'Rate 0 = flat out. EdgeGate: the gateway reads the pty as a sensor (dash parser) and publishes '
                  'readings and state changes; CPU of the gateway JVM; latency write → reading received by a '
                  'native-stream subscriber, and write → state change received (the state entry the line made). '
                  'Seed (`serial_bench.py`): pyserial reader storing into shared state; CPU of its reader '
                  '(+ Manager process in `manager` mode); latency write → value stored in the shared state. '
                  '*lines/s per core* = lines/s ÷ that CPU in cores.', '',
                  '| pipeline | rate lines/s | lines/s | CPU µs/line | lines/s per core | write → reading p50 / p99 ms '
                  '| write → state p50 / p99 ms | other load % |', '|---|---|---|---|---|---|---|---|']
        for r in ser:
            if r['bench'] == 'serial':
                cpu = r.get('cpu_pct_reader', 0) + r.get('cpu_pct_manager', 0)
                r['cpu_us_line'] = 1e4 * cpu / max(1e-9, r['lines_per_s'])
                r['own_cpu'] = r.get('cpu_pct_total', 0)
            else:
                r['cpu_us_line'] = r['cpu_us_per_line_gateway']
                r['own_cpu'] = r['cpu_pct_gateway']
            r['per_core'] = r['lines_per_s'] / max(1e-9, r['cpu_us_line'] * r['lines_per_s'] / 1e6)
        for (b, mode, rate), rs in group(ser, lambda r: (r['bench'], r.get('mode', ''), r['rate'])).items():
            name = 'EdgeGate' if b == 'edgegate-serial' else 'seed `serial_bench.py --mode %s`' % mode
            lat_r = '%s / %s' % (cell(rs, 'lat_reading_p50_ms', 2), cell(rs, 'lat_reading_p99_ms', 2)) if b != 'serial' else '-'
            lat_s = '%s / %s' % (cell(rs, 'lat_state_p50_ms' if b != 'serial' else 'lat_p50_ms', 2),
                                 cell(rs, 'lat_state_p99_ms' if b != 'serial' else 'lat_p99_ms', 2)) if rate else '-'
            lines.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
                name, int(rate) if rate else 'flat out', cell(rs, 'lines_per_s', 0), cell(rs, 'cpu_us_line', 1),
                cell(rs, 'per_core', 0), lat_r if rate else '-', lat_s, other_load(rs, 'own_cpu')))
    # Extra rows of other scripts (bench/rows/*.sh): one table per "table".
    for title, rs in group([r for r in rows if 'table' in r and 'row' in r], lambda r: r['table']).items():
        keys = [k for k in dict.fromkeys(k for r in rs for k in r)
                if k not in ('bench', 'table', 'row', 'rep') and isinstance(rs[0].get(k), (int, float))]
        lines += ['', '**%s**' % title, '', '| row | ' + ' | '.join(keys) + ' |', '|---' * (len(keys) + 1) + '|']
        for row, rr in group(rs, lambda r: r['row']).items():
            lines.append('| %s | %s |' % (row, ' | '.join(cell(rr, k, 2) for k in keys)))
    return '\n'.join(lines) + '\n'

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', default='?'); ap.add_argument('--dur', default='?'); ap.add_argument('--docs')
    ap.add_argument('results', nargs='+')
    a = ap.parse_args()
    rows = [json.loads(l) for name in a.results for l in open(name) if l.strip().startswith('{')]
    text = report(rows, a.reps, a.dur)
    if not a.docs:
        print(text, end='')
        return
    doc = open(a.docs).read()
    begin, end = '<!-- bench:begin -->', '<!-- bench:end -->'
    if begin in doc and end in doc:
        doc = doc[:doc.index(begin) + len(begin)] + '\n' + text + doc[doc.index(end):]
    else:
        doc += '\n' + begin + '\n' + text + end + '\n'
    open(a.docs, 'w').write(doc)

if __name__ == '__main__':
    main()
