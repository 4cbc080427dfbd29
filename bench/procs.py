"""/proc helpers shared by the bench scripts: process trees, CPU ticks, machine busy time, peak PSS."""
import os, re, threading

HZ = os.sysconf('SC_CLK_TCK')

def stat(pid):
    with open('/proc/%d/stat' % pid) as f:
        rest = f.read().rsplit(')', 1)[1].split()
    return int(rest[1]), int(rest[11]) + int(rest[12])        # ppid, utime + stime

def tree(*roots):
    """the roots and their descendants (bin/edgegate execs java; receivers may fork)."""
    kids = {}
    for d in filter(str.isdigit, os.listdir('/proc')):
        try: kids.setdefault(stat(int(d))[0], []).append(int(d))
        except (OSError, IndexError): pass
    out, todo = [], list(roots)
    while todo:
        p = todo.pop(); out.append(p); todo += kids.get(p, [])
    return out

def cpu_ticks(*roots):
    ticks = {}
    for p in tree(*roots):
        try: ticks[p] = stat(p)[1]
        except OSError: pass
    return ticks

def cpu_seconds(t0, t1):
    """CPU seconds between two cpu_ticks samples; processes that ended between them are lost."""
    return sum(v - t0.get(p, 0) for p, v in t1.items()) / HZ

def sys_busy():
    with open('/proc/stat') as f:
        v = list(map(int, f.readline().split()[1:]))
    return sum(v) - v[3] - v[4], sum(v)                          # busy, total jiffies

def busy_pct(s0, s1):
    """machine CPU busy between two sys_busy samples, in % of one core."""
    return 100 * (s1[0] - s0[0]) / max(1, s1[1] - s0[1]) * os.cpu_count()

def pss_kb(pid):
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            return next(int(l.split()[1]) for l in f if l.startswith('Pss:'))
    except (OSError, StopIteration):
        return 0

class PeakPss(threading.Thread):
    """Peak PSS summed over the trees of the given roots, sampled every 0.25 s."""
    def __init__(self, *roots):
        super().__init__(daemon=True); self.roots, self.peak = roots, 0; self.done = threading.Event()
    def run(self):
        while not self.done.wait(0.25):
            self.peak = max(self.peak, sum(pss_kb(p) for p in tree(*self.roots)))
    def stop(self):
        self.done.set(); self.join(); return self.peak / 1024

def percentile(values, p):
    if not values:
        return float('nan')
    v = sorted(values); k = (len(v) - 1) * p / 100; i = int(k)
    return v[i] if i + 1 >= len(v) else v[i] + (v[i + 1] - v[i]) * (k - i)

VOLUNTARY = re.compile(r'^voluntary_ctxt_switches:\s+(\d+)', re.M)

def per_thread(pid, file, parse):
    """{thread id: parse(text of /proc/PID/task/TID/FILE)} of one process; threads that end meanwhile are left out."""
    out = {}
    for t in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/%s' % (pid, t, file)) as f:
                out[t] = parse(f.read())
        except (OSError, IndexError, ValueError, AttributeError):
            pass
    return out

def thread_ns(pid):
    """{thread id: CPU ns} of one process, from /proc/PID/task/*/schedstat (ns, where stat has 10 ms ticks)."""
    return per_thread(pid, 'schedstat', lambda text: int(text.split()[0]))

def thread_wakes(pid):
    """{thread id: voluntary context switches} of one process: how often each thread went to sleep and was
    woken. Unlike CPU time, a loaded machine does not inflate it."""
    return per_thread(pid, 'status', lambda text: int(VOLUNTARY.search(text).group(1)))

def thread_cpu_seconds(t0, t1):
    """CPU seconds between two thread_ns samples: threads started in between count from 0; the last run of
    a thread that ended in between is lost (the dispatchers' threads live 10 s past their last work)."""
    return sum(v - t0.get(t, 0) for t, v in t1.items()) / 1e9
