#!/usr/bin/python3
"""A local Python consumer that needs every frame as a numpy array, 4 x 480x320 @ 25, three ways in one
run (docs/BENCHMARKS.md, section "Frames for a local Python consumer", has figures and how to read them):

  shm   EdgeGate's shared-memory files (org.edgegate.shm.frames, format bgr) read with the shipped
        python/edgegate/frames.py, one thread per camera;
  zmq   EdgeGate's native ZeroMQ stream (JPEG) with a pyzmq SUB that cv2.imdecodes every frame;
  seed  the seed's way: each camera process copies its frame into a shared-memory array (the seed's
        sharedmem) and puts it into a Manager dict under a Manager lock; the consumer reads the dict.

EdgeGate runs 4 pattern: cameras (raw pixels, as a YUYV USB camera gives them). Its cost for a path is
the gateway's CPU with that path minus its CPU with the cameras alone (measured in the same run), per
frame delivered; the shm publisher also reports its own CPU per frame (gw:shm). The seed's producers
send pre-decoded frames, so their CPU is the sharing alone.

Usage: shm_bench.py [--reps 3] [--dur 10] [--warmup 3] [--work DIR] [--torn N]
  --torn N  instead: one free-running camera, checksums on, N frames read with verify=True (no table).
Subcommands used by the run itself: consume-shm, consume-zmq, seed.
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUNTIME = os.path.join(REPO, 'runtime', 'target', 'edgegate')
sys.path.insert(0, HERE)
from procs import cpu_ticks, cpu_seconds, sys_busy, PeakPss, tree, percentile  # noqa: E402

CAMS = ['cam0', 'cam1', 'cam2', 'cam3']
NICE = []  # --nice N: every measured process runs under nice -n N (root: negative to jump the machine's queue)
W, H, FPS = 480, 320, 25


def pct(values, p):
    return percentile(values, p)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- consumers (run as child processes; each prints one JSON line) --------------------------------

def consume_shm(directory, warmup, duration, cams):
    sys.path.insert(0, os.path.join(RUNTIME, 'python'))
    from edgegate import frames
    t0 = time.monotonic() + warmup
    t1 = t0 + duration
    lat, skipped, torn, counted, looks = [], [0], [0], [0], [0]
    lock = threading.Lock()
    c0 = [None]

    def run(name):
        while not os.path.exists(os.path.join(directory, name + '.frames')):
            time.sleep(0.05)
        with frames.open(name, dir=directory) as cam:
            while True:
                now = time.monotonic()
                if now >= t1:
                    break
                f = cam.next(timeout=t1 - now)
                if f is None:
                    continue
                done = time.monotonic()
                assert f.image.shape == (H, W, 3)
                if done >= t0:
                    with lock:
                        lat.append((done - f.monotonic) * 1000)
                        skipped[0] += f.skipped
                        counted[0] += 1
            with lock:
                torn[0] += cam.torn
                looks[0] += cam.looks

    threads = [threading.Thread(target=run, args=(n,)) for n in cams]
    for t in threads:
        t.start()
    while time.monotonic() < t0:
        time.sleep(0.005)
    c0[0] = time.process_time()
    for t in threads:
        t.join()
    cpu = time.process_time() - c0[0]
    print(json.dumps(dict(frames=counted[0], lat_p50_ms=pct(lat, 50), lat_p99_ms=pct(lat, 99),
                          lat_max_ms=max(lat) if lat else float('nan'), cpu_s=cpu, skipped=skipped[0],
                          torn=torn[0], looks_per_frame=looks[0] / max(1, sum([counted[0]])))))


def consume_zmq(address, warmup, duration):
    import cv2
    import numpy as np
    import zmq
    cv2.setNumThreads(1)
    sub = zmq.Context().socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 1000)
    sub.setsockopt(zmq.SUBSCRIBE, b'camera/')
    sub.connect(address)
    t0 = time.time() + warmup
    t1 = t0 + duration
    lat = []
    c0 = None
    while time.time() < t1:
        if c0 is None and time.time() >= t0:
            c0 = time.process_time()
        if not sub.poll(50):
            continue
        _topic, header, payload = sub.recv_multipart()
        img = cv2.imdecode(np.frombuffer(payload, np.uint8), cv2.IMREAD_COLOR)
        now = time.time()
        assert img.shape == (H, W, 3)
        if now >= t0:
            lat.append(now * 1000 - json.loads(header)['ts'])
    cpu = time.process_time() - (c0 or time.process_time())
    print(json.dumps(dict(frames=len(lat), lat_p50_ms=pct(lat, 50), lat_p99_ms=pct(lat, 99),
                          lat_max_ms=max(lat) if lat else float('nan'), cpu_s=cpu)))


def _seed_camera(cam, frames, images, lock, stop, fps):
    """The seed's camera process: its frame into a shared array (sharedmem), the array into the Manager dict."""
    import numpy as np
    from multiprocessing import shared_memory
    shm = shared_memory.SharedMemory(create=True, size=frames[0].nbytes)
    image_in = np.ndarray(frames[0].shape, frames[0].dtype, buffer=shm.buf)
    seq, nxt = 0, time.time()
    while not stop.is_set():
        nxt += 1.0 / fps
        d = nxt - time.time()
        if d > 0:
            time.sleep(d)
        t = time.time()
        image_in[:] = frames[seq % len(frames)].copy()        # the seed: image_in[:] = image.copy()
        with lock:
            images[cam] = (seq, t, image_in)                  # the seed: images[count] = image_in
        seq += 1
    del image_in
    shm.close()
    shm.unlink()


def seed(warmup, duration, poll_hz, video):
    import multiprocessing as mp
    import numpy as np
    frames = []
    if video and os.path.exists(video):
        import cv2
        cap = cv2.VideoCapture(video)
        while len(frames) < 25:
            ok, f = cap.read()
            if not ok:
                break
            frames.append(f)
    if not frames:
        rng = np.random.default_rng(1)
        frames = [rng.integers(0, 255, (H, W, 3), dtype=np.uint8) for _ in range(25)]
    mgr = mp.Manager()
    images, lock, stop = mgr.dict(), mgr.Lock(), mp.Event()
    procs = [mp.Process(target=_seed_camera, args=(i, frames, images, lock, stop, FPS)) for i in range(len(CAMS))]
    for p in procs:
        p.start()
    me = os.getpid()
    t0 = time.time() + warmup
    t1 = t0 + duration
    last = {}
    lat = []
    c0 = None
    nxt = time.time()
    try:
        while time.time() < t1:
            if c0 is None and time.time() >= t0:
                c0 = cpu_ticks(me)
            for i in range(len(CAMS)):                        # the seed's display loop: every camera's entry
                with lock:
                    v = images.get(i)
                if v is None or last.get(i) == v[0]:
                    continue
                image = v[2]
                now = time.time()
                assert image.shape == (H, W, 3)
                last[i] = v[0]
                if now >= t0:
                    lat.append((now - v[1]) * 1000)
            nxt += 1.0 / poll_hz
            time.sleep(max(0, nxt - time.time()))
        c1 = cpu_ticks(me)
    finally:
        stop.set()
        for p in procs:
            p.join(5)
            if p.is_alive():
                p.terminate()
        mgr.shutdown()
    print(json.dumps(dict(frames=len(lat), lat_p50_ms=pct(lat, 50), lat_p99_ms=pct(lat, 99),
                          lat_max_ms=max(lat) if lat else float('nan'), cpu_s=cpu_seconds(c0, c1),
                          nprocs=len(tree(me)))))


# ---- the gateway --------------------------------------------------------------------------------

class Gateway:
    def __init__(self, work, cams, paced=True):
        self.home = os.path.join(work, 'home')
        shutil.rmtree(self.home, ignore_errors=True)
        shutil.copytree(RUNTIME, self.home, symlinks=True)
        etc = os.path.join(self.home, 'etc')
        for f in os.listdir(etc):
            if re.match(r'org\.edgegate\.(camera|serial\.sensor|zmq\.endpoint|shm\.frames)-', f):
                os.remove(os.path.join(etc, f))
        for c in cams:
            with open(os.path.join(etc, 'org.edgegate.camera-%s.cfg' % c), 'w') as f:
                f.write('id = %s\nsource = pattern:\nwidth = %d\nheight = %d\nfps = %d\npaced = %s\nquality = 95\n'
                        % (c, W, H, FPS, 'true' if paced else 'false'))
        props = os.path.join(etc, 'config.properties')
        text = open(props).read()
        text = re.sub(r'(?m)^org\.osgi\.service\.http\.port=.*$', 'org.osgi.service.http.port=%d' % free_port(), text)
        open(props, 'w').write(text)
        self.log = open(os.path.join(work, 'gateway.log'), 'w')
        self.proc = subprocess.Popen(NICE + [os.path.join(self.home, 'bin', 'edgegate')], stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.time() + 90
        while time.time() < deadline:
            out = self.cli('gw:cameras')
            if len(re.findall(r'(?m)^cam\d\s.*OPEN', out)) == len(cams):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise SystemExit('the gateway did not come up: see %s' % self.log.name)

    def cli(self, command):
        try:
            return subprocess.run([os.path.join(self.home, 'bin', 'edgegate-cli')] + command.split(),
                                  capture_output=True, text=True, timeout=30).stdout
        except subprocess.TimeoutExpired:
            return ''

    def configure(self, name, text):
        path = os.path.join(self.home, 'etc', name)
        with open(path + '.tmp', 'w') as f:
            f.write(text)
        os.replace(path + '.tmp', path)
        return path

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def measure_gateway(gw, consumer_cmd, warmup, duration):
    """Gateway CPU (s) over the window, with the consumer's JSON line and other load."""
    rx = subprocess.Popen(NICE + consumer_cmd, stdout=subprocess.PIPE, text=True) if consumer_cmd else None
    mem = PeakPss(gw.pid)
    mem.start()
    time.sleep(warmup)
    g0, s0 = cpu_ticks(gw.pid), sys_busy()
    time.sleep(duration)
    g1, s1 = cpu_ticks(gw.pid), sys_busy()
    out = {}
    if rx is not None:
        line, _ = rx.communicate(timeout=120)
        out = json.loads(line.strip().splitlines()[-1])
    out['gw_cpu_s'] = cpu_seconds(g0, g1)
    out['gw_pss_mb'] = mem.stop()
    out['busy_cores'] = (s1[0] - s0[0]) / max(1, s1[1] - s0[1]) * os.cpu_count()
    return out


def shm_writer_us(gw):
    """The shm publisher's own CPU per frame, averaged over the cameras (gw:shm)."""
    values = [float(v) for v in re.findall(r'([\d.]+) us CPU per frame', gw.cli('gw:shm'))]
    return sum(values) / len(values) if values else float('nan')


def one_rep(work, warmup, duration, video):
    me = sys.executable
    script = os.path.abspath(__file__)
    rows = []
    shm_dir = tempfile.mkdtemp(prefix='edgegate-bench-', dir='/dev/shm')
    gw = Gateway(work, CAMS)
    try:
        base = measure_gateway(gw, None, warmup, duration)
        rows.append(dict(path='cameras alone', **base))
        cfg = gw.configure('org.edgegate.shm.frames-bench.cfg', 'id = bench\ndir = %s\n' % shm_dir)
        r = measure_gateway(gw, [me, script, 'consume-shm', shm_dir, str(warmup), str(duration)] + CAMS,
                            warmup, duration)
        r['writer_us'] = shm_writer_us(gw)
        rows.append(dict(path='shm', base_cpu_s=base['gw_cpu_s'], **r))
        os.remove(cfg)
        port = free_port()
        cfg = gw.configure('org.edgegate.zmq.endpoint-bench.cfg',
                           'id = bench\nmode = native\naddress = tcp://127.0.0.1:%d\ntopics = camera/\n' % port)
        time.sleep(2)
        r = measure_gateway(gw, [me, script, 'consume-zmq', 'tcp://127.0.0.1:%d' % port, str(warmup),
                                 str(duration)], warmup, duration)
        rows.append(dict(path='zmq', base_cpu_s=base['gw_cpu_s'], **r))
        os.remove(cfg)
    finally:
        gw.stop()
        shutil.rmtree(shm_dir, ignore_errors=True)
    s0 = sys_busy()
    line = subprocess.run(NICE + [me, script, 'seed', str(warmup), str(duration), video or ''], capture_output=True,
                          text=True, timeout=600).stdout
    s1 = sys_busy()
    r = json.loads(line.strip().splitlines()[-1])
    r['busy_cores'] = (s1[0] - s0[0]) / max(1, s1[1] - s0[1]) * os.cpu_count()
    rows.append(dict(path='seed', **r))
    for row in rows:
        row['duration'] = duration
    return rows


def table(results):
    import numpy as np
    names = {'shm': 'EdgeGate shm (bgr), python/edgegate/frames.py',
             'zmq': 'EdgeGate native ZeroMQ (JPEG) + cv2.imdecode',
             'seed': "the seed's way: sharedmem + Manager dict"}

    def med(vals):
        vals = [v for v in vals if v == v]
        if not vals:
            return 'n/a'
        m = float(np.median(vals))
        return ('%.3f' % m) if len(vals) == 1 else '%.3f (%.3f-%.3f)' % (m, min(vals), max(vals))

    out = ['| path | frames/s (of 100) | gateway or producers CPU ms/frame | reader CPU ms/frame | '
           'total CPU ms/frame | latency p50 ms | latency p99 ms | machine busy, cores |',
           '| --- | --- | --- | --- | --- | --- | --- | --- |']
    for key in ('shm', 'zmq', 'seed'):
        rs = [r for r in results if r['path'] == key]
        if not rs:
            continue
        fps = [r['frames'] / r['duration'] for r in rs]
        if key == 'seed':
            side = [float('nan') for r in rs]
            reader = [float('nan') for r in rs]
            total = [1000 * r['cpu_s'] / max(1, r['frames']) for r in rs]
        else:
            side = [1000 * (r['gw_cpu_s'] - r['base_cpu_s']) / max(1, r['frames']) for r in rs]
            reader = [1000 * r['cpu_s'] / max(1, r['frames']) for r in rs]
            total = [a + b for a, b in zip(side, reader)]
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
            names[key], med(fps), med(side), med(reader), med(total), med([r['lat_p50_ms'] for r in rs]),
            med([r['lat_p99_ms'] for r in rs]), med([r['busy_cores'] for r in rs])))
    shm = [r for r in results if r['path'] == 'shm']
    if shm:
        out.append('')
        out.append('shm publisher\'s own CPU per frame (gw:shm, its thread\'s CPU clock): %s us; frames skipped '
                   'by the reader: %s; copies thrown away (writer came round): %s; looks at the header per frame: %s.' % (
                       med([r['writer_us'] for r in shm]), [r.get('skipped') for r in shm],
                       [r.get('torn') for r in shm], med([r.get('looks_per_frame', float('nan')) for r in shm])))
    return '\n'.join(out)


def torn_run(work, count):
    """One free-running camera with checksums; read count frames with verify=True."""
    shm_dir = tempfile.mkdtemp(prefix='edgegate-torn-', dir='/dev/shm')
    gw = Gateway(work, ['cam0'], paced=False)
    try:
        gw.configure('org.edgegate.shm.frames-torn.cfg', 'id = torn\ndir = %s\nchecksum = true\n' % shm_dir)
        sys.path.insert(0, os.path.join(RUNTIME, 'python'))
        from edgegate import frames
        while not os.path.exists(os.path.join(shm_dir, 'cam0.frames')):
            time.sleep(0.05)
        t0 = time.monotonic()
        last = -1
        n = 0
        with frames.open('cam0', dir=shm_dir, verify=True) as cam:
            while n < count:
                f = cam.next(timeout=10)
                if f is None:
                    raise SystemExit('no frame within 10 s after %d' % n)
                assert f.seq > last and f.image.shape == (H, W, 3)
                last = f.seq
                n += 1
                if n % 100000 == 0:
                    print('%d frames, %.0f/s, torn copies thrown away %d' % (n, n / (time.monotonic() - t0),
                                                                            cam.torn), file=sys.stderr)
            torn = cam.torn
        elapsed = time.monotonic() - t0
        written = re.findall(r'(\d+) frames, ', gw.cli('gw:shm'))
        print(json.dumps(dict(frames_read=n, crc_failures=0, torn_copies_thrown_away=torn, seconds=elapsed,
                              read_per_s=n / elapsed, frames_written=int(written[0]) if written else None)))
    finally:
        gw.stop()
        shutil.rmtree(shm_dir, ignore_errors=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == 'consume-shm':
        return consume_shm(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5:])
    if len(sys.argv) > 1 and sys.argv[1] == 'consume-zmq':
        return consume_zmq(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    if len(sys.argv) > 1 and sys.argv[1] == 'seed':
        return seed(float(sys.argv[2]), float(sys.argv[3]), 100, sys.argv[4] if len(sys.argv) > 4 else '')
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--dur', type=float, default=10)
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--work', default=None)
    ap.add_argument('--video', default=None, help="the seed's clip for the seed's frames (else random pixels)")
    ap.add_argument('--torn', type=int, default=0)
    ap.add_argument('--nice', type=int, default=None, help='run gateway, readers and the seed under nice -n N')
    a = ap.parse_args()
    if a.nice is not None:
        NICE[:] = ['nice', '-n', str(a.nice)]
    if not os.path.exists(os.path.join(RUNTIME, 'bin', 'edgegate')):
        raise SystemExit('no runtime in %s: run mvn -B package -DskipTests' % RUNTIME)
    work = a.work or tempfile.mkdtemp(prefix='edgegate-shm-bench-')
    os.makedirs(work, exist_ok=True)
    if a.torn:
        return torn_run(work, a.torn)
    results = []
    out = os.path.join(work, 'results-shm-%s.jsonl' % time.strftime('%Y%m%d-%H%M%S'))
    for rep in range(a.reps):
        print('== rep %d/%d' % (rep + 1, a.reps), file=sys.stderr)
        rows = one_rep(work, a.warmup, a.dur, a.video)
        with open(out, 'a') as f:
            for r in rows:
                f.write(json.dumps(r) + '\n')
        results += rows
    print('results: %s' % out, file=sys.stderr)
    print(table(results))


if __name__ == '__main__':
    main()
