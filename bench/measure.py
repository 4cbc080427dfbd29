#!/usr/bin/python3
"""Measures a running gateway the way the seed's cam_bench.py measures its pipelines: starts a receiver
(java = bin/edgegate-receive, py = pyrx.py decoding every frame), and over DURATION seconds after WARMUP
takes delivered frames/s and latency from the receiver, CPU of gateway + receiver from /proc, peak PSS
of each. Prints one JSON line."""
import argparse, json, os, subprocess, sys, threading, time

HZ = os.sysconf('SC_CLK_TCK')
HERE = os.path.dirname(os.path.abspath(__file__))

def stat(pid):
    with open('/proc/%d/stat' % pid) as f:
        rest = f.read().rsplit(')', 1)[1].split()
    return int(rest[1]), int(rest[11]) + int(rest[12])        # ppid, utime + stime

def tree(root):
    """root and its descendants (bin/edgegate execs java; the receivers may fork)."""
    kids = {}
    for d in filter(str.isdigit, os.listdir('/proc')):
        try: kids.setdefault(stat(int(d))[0], []).append(int(d))
        except (OSError, IndexError): pass
    out, todo = [], [root]
    while todo:
        p = todo.pop(); out.append(p); todo += kids.get(p, [])
    return out

def cpu_ticks(root):
    ticks = {}
    for p in tree(root):
        try: ticks[p] = stat(p)[1]
        except OSError: pass
    return ticks

def cpu_seconds(t0, t1):
    return sum(v - t0.get(p, v) for p, v in t1.items()) / HZ

def sys_busy():
    with open('/proc/stat') as f:
        v = list(map(int, f.readline().split()[1:]))
    return sum(v) - v[3] - v[4], sum(v)                          # busy, total jiffies

def pss_kb(pid):
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            return next(int(l.split()[1]) for l in f if l.startswith('Pss:'))
    except (OSError, StopIteration):
        return 0

class PeakPss(threading.Thread):
    def __init__(self, root):
        super().__init__(daemon=True); self.root, self.peak = root, 0; self.done = threading.Event()
    def run(self):
        while not self.done.wait(0.25):
            self.peak = max(self.peak, sum(pss_kb(p) for p in tree(self.root)))
    def stop(self):
        self.done.set(); self.join(); return self.peak / 1024

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--home', required=True, help='gateway home (for bin/edgegate-receive)')
    ap.add_argument('--address', required=True, help='the native endpoint, e.g. tcp://127.0.0.1:5556')
    ap.add_argument('--receiver', choices=['java', 'py'], required=True)
    ap.add_argument('--label', default='')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    a = ap.parse_args()
    if a.receiver == 'java':
        cmd = [os.path.join(a.home, 'bin/edgegate-receive'), a.address, '--topics', 'camera/', '--quiet',
               '--json', '--warmup', str(a.warmup), '--duration', str(a.warmup + a.duration)]
    else:
        cmd = [sys.executable, os.path.join(HERE, 'pyrx.py'), a.address, str(a.warmup), str(a.duration)]
    rx = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    gw_mem, rx_mem = PeakPss(a.gateway_pid), PeakPss(rx.pid)
    gw_mem.start(); rx_mem.start()
    time.sleep(a.warmup)
    g0, r0, s0 = cpu_ticks(a.gateway_pid), cpu_ticks(rx.pid), sys_busy()
    time.sleep(a.duration)
    g1, r1, s1 = cpu_ticks(a.gateway_pid), cpu_ticks(rx.pid), sys_busy()
    out, _ = rx.communicate(timeout=60)
    gw_pss, rx_pss = gw_mem.stop(), rx_mem.stop()
    r = json.loads([l for l in out.splitlines() if l.startswith('{')][-1])
    gw_cpu, all_cpu = cpu_seconds(g0, g1), cpu_seconds(g0, g1) + cpu_seconds(r0, r1)
    fps = r['frames_per_s']
    print(json.dumps(dict(
        bench='edgegate', label=a.label, receiver=a.receiver, delivered_fps=fps,
        lat_p50_ms=r['lat_p50_ms'], lat_p99_ms=r['lat_p99_ms'],
        cpu_pct_gateway=100 * gw_cpu / a.duration, cpu_pct=100 * all_cpu / a.duration,
        cpu_ms_per_frame=1000 * all_cpu / max(1, fps * a.duration),
        sys_busy_pct=100 * (s1[0] - s0[0]) / max(1, s1[1] - s0[1]) * os.cpu_count(),
        pss_gateway_mb=gw_pss, pss_peak_sum_mb=gw_pss + rx_pss)))

if __name__ == '__main__':
    main()
