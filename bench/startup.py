#!/usr/bin/python3
"""Start-up time and idle CPU of the shipped runtime (issue 22), as JSON rows for bench/table.py.

Per repetition: a fresh copy of the runtime (the demo as shipped, or bare: no sensors, no camera), launched
twice: the first start (empty framework cache) and a restart (the cache kept, as every later boot). Ready =
`gw:status` answers "All OK" listing every part of the home (every bundle ACTIVE, no component waiting or
failed, every sensor, camera and endpoint healthy); polled on the command socket itself (no CLI JVM).
Then the restarted gateway is left alone WARMUP s and its CPU measured over DUR s: % of one core at rest.
The gateway's own CPU seconds up to ready are given beside the wall time: on a shared machine they vary less.
Usage: startup.py --runtime DIR --work DIR [--mode demo|bare] [--reps N] [--java-opts "..."] [--label L]
                  [--warmup S] [--duration S] [--rep R] [--etc FILE]...
Environment as bin/edgegate reads it (JAVA_HOME, EDGEGATE_OPTS, EDGEGATE_CDS; QEMU_LD_PREFIX under emulation).
"""
import argparse, json, os, re, shutil, signal, socket, struct, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import cpu_ticks, cpu_seconds, pss_kb

DEMO_IDS = ('th', 'gas', 'demo', 'native', 'state')
BARE_IDS = ('native', 'state')

def free_ports(n):
    held = [socket.socket() for _ in range(n)]
    for s in held: s.bind(('127.0.0.1', 0))
    ports = [s.getsockname()[1] for s in held]
    for s in held: s.close()
    return ports

def new_home(runtime, home, mode, extra_etc=()):
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run(['cp', '-a', runtime, home], check=True)
    shutil.rmtree(os.path.join(home, 'data'), ignore_errors=True)  # a runtime started in place leaves its cache
    etc = os.path.join(home, 'etc')
    for f in extra_etc: shutil.copy(f, etc)
    if mode == 'bare':
        for f in os.listdir(etc):
            if f.startswith(('org.edgegate.camera-', 'org.edgegate.serial.sensor-')): os.remove(os.path.join(etc, f))
    p_native, p_state, p_http = free_ports(3)
    for name, port in (('native', p_native), ('state', p_state)):
        path = os.path.join(etc, 'org.edgegate.zmq.endpoint-%s.cfg' % name)
        with open(path) as f: text = f.read()
        with open(path, 'w') as f: f.write(re.sub(r'tcp://127\.0\.0\.1:\d+', 'tcp://127.0.0.1:%d' % port, text))
    props = os.path.join(etc, 'config.properties')
    with open(props) as f: text = f.read()
    with open(props, 'w') as f: f.write(re.sub(r'(?m)^org\.osgi\.service\.http\.port=.*$', 'org.osgi.service.http.port=%d' % p_http, text))

def status(sock_path):
    """gw:status through the command socket (CliProtocol): the output, or None when nobody answers yet."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(sock_path)
            cmd = b'gw:status'
            s.sendall(struct.pack('>H', len(cmd)) + cmd)
            buf, out = b'', b''
            while True:
                while len(buf) < 5:
                    more = s.recv(65536)
                    if not more: return None
                    buf += more
                kind, n = buf[0], struct.unpack('>i', buf[1:5])[0]
                if kind == 3: return out.decode('utf-8', 'replace') if n == 0 else None
                while len(buf) < 5 + n:
                    more = s.recv(65536)
                    if not more: return None
                    buf += more
                if kind == 1: out += buf[5:5 + n]
                buf = buf[5 + n:]
    except OSError:
        return None

def ready(text, ids):
    if not text or not text.rstrip().endswith('All OK'): return False
    listed = {l.split()[1] for l in text.splitlines() if len(l.split()) > 2 and l.split()[0] in ('sensor', 'camera', 'endpoint')}
    return all(i in listed for i in ids)

def launch(home, java_opts, ids, log, timeout=120, nice=0):
    env = dict(os.environ)
    if java_opts is not None: env['EDGEGATE_JAVA_OPTS'] = java_opts
    sock = os.path.join(home, 'data', 'cli.sock')
    t0 = time.monotonic()
    gw = subprocess.Popen([os.path.join(home, 'bin', 'edgegate')], stdin=subprocess.DEVNULL, stdout=log,
                          stderr=subprocess.STDOUT, env=env, preexec_fn=(lambda: os.nice(nice)) if nice else None)
    last = None
    try:
        while time.monotonic() - t0 < timeout:
            if gw.poll() is not None: raise RuntimeError('the gateway exited with %s' % gw.returncode)
            if os.path.exists(sock):
                last = status(sock)
                if ready(last, ids):
                    return gw, time.monotonic() - t0, cpu_seconds({}, cpu_ticks(gw.pid))
            time.sleep(0.01)
    except BaseException:
        stop(gw)
        raise
    stop(gw)
    raise RuntimeError('not ready in %d s; last gw:status:\n%s' % (timeout, last))

def stop(gw, wait=60):
    if gw.poll() is not None: return
    gw.send_signal(signal.SIGTERM)
    try: gw.wait(wait)
    except subprocess.TimeoutExpired: gw.kill(); gw.wait()

def main():
    a = argparse.ArgumentParser()
    a.add_argument('--runtime', required=True); a.add_argument('--work', required=True)
    a.add_argument('--mode', choices=('demo', 'bare'), default='demo'); a.add_argument('--reps', type=int, default=1)
    a.add_argument('--java-opts'); a.add_argument('--label')
    a.add_argument('--warmup', type=float, default=5); a.add_argument('--duration', type=float, default=20)
    a.add_argument('--rep', default='1')
    a.add_argument('--timeout', type=float, default=120, help='seconds a start may take (emulated: more)')
    a.add_argument('--nice', type=int, default=0, help='the gateway\'s nice value: on a machine busy with other '
                   'work, -20 (root) gives it the cores nearly as a quiet machine would')
    a.add_argument('--etc', action='append', default=[], help='a file to add to etc/ (e.g. a codec setting)')
    o = a.parse_args()
    ids = DEMO_IDS if o.mode == 'demo' else BARE_IDS
    home = os.path.join(o.work, 'startup-home')
    os.makedirs(o.work, exist_ok=True)
    for r in range(o.reps):
        new_home(o.runtime, home, o.mode, o.etc)
        with open(os.path.join(o.work, 'startup-gateway.log'), 'ab') as log:
            gw, first, first_cpu = launch(home, o.java_opts, ids, log, o.timeout, o.nice)
            stop(gw, max(60, o.timeout))  # the first stop writes the class data archive
            gw, wall, cpu = launch(home, o.java_opts, ids, log, o.timeout, o.nice)
            try:
                time.sleep(o.warmup)
                t0, c0 = time.monotonic(), cpu_ticks(gw.pid)
                time.sleep(o.duration)
                idle = 100 * cpu_seconds(c0, cpu_ticks(gw.pid)) / (time.monotonic() - t0)
                pss = pss_kb(gw.pid) / 1024
            finally:
                stop(gw)
        row = {'bench': 'startup', 'table': 'Start-up and CPU at rest (%s)' % o.mode,
               'row': o.label or 'shipped flags', 'rep': o.rep if o.reps == 1 else str(r + 1),
               'first start s': round(first, 3), 'restart s': round(wall, 3),
               'restart CPU s': round(cpu, 3), 'first start CPU s': round(first_cpu, 3),
               'idle % of a core': round(idle, 2), 'PSS MB': round(pss, 1)}
        print(json.dumps(row), flush=True)

if __name__ == '__main__':
    main()
