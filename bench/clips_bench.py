#!/usr/bin/python3
"""The cost of event clips (bundle org.edgegate.clips, docs/clips.md): the gateway's CPU per frame with four
480x320 @ 25 passthrough cameras (the clip.py MJPG .avi), in one run of one fresh runtime copy, three phases:
no clip rule (the passthrough figure), a rule buffering all four cameras (10 s pre-roll, never triggered), and
while a clip of all four is written. Prints a markdown table; the differences to the first row are the point.
With --json (bench/rows/clips.sh, for bench/run.sh) one JSON row per phase instead of the table.
Usage: bench/clips_bench.py [--dur 10] [--warmup 3] [--runtime runtime/target/edgegate] [--work DIR] [--json --rep N]"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procs  # noqa: E402

CAMS = ['c0', 'c1', 'c2', 'c3']


def cli(home, *args):
    r = subprocess.run([os.path.join(home, 'bin/edgegate-cli'), *args], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout


def frames(home):
    code, out = cli(home, 'gw:cameras', '--json')
    if code != 0:
        return None
    return sum(c['frames'] for c in json.loads(out) if c['id'] in CAMS)


def until(what, seconds, check):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    sys.exit('timed out waiting for ' + what)


def measure(home, pid, dur, warmup):
    time.sleep(warmup)
    f0, t0, b0 = frames(home), procs.cpu_ticks(pid), procs.sys_busy()
    time.sleep(dur)
    f1, t1, b1 = frames(home), procs.cpu_ticks(pid), procs.sys_busy()
    n = f1 - f0
    cpu = procs.cpu_seconds(t0, t1)
    return {'fps': n / dur, 'ms_per_frame': cpu * 1000 / max(1, n), 'cpu_pct': cpu * 100 / dur,
            'other_load': procs.busy_pct(b0, b1) - cpu * 100 / dur}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument('--dur', type=float, default=10)
    p.add_argument('--warmup', type=float, default=3)
    p.add_argument('--runtime', default=os.path.join(here, '..', 'runtime/target/edgegate'))
    p.add_argument('--work', default=None)
    p.add_argument('--json', action='store_true')
    p.add_argument('--rep', default='1')
    a = p.parse_args()
    work = a.work or tempfile.mkdtemp(prefix='edgegate-clips-bench.')
    home = os.path.join(work, 'edgegate')
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(a.runtime, home, symlinks=True, ignore=shutil.ignore_patterns('data'))
    subprocess.run([sys.executable, os.path.join(here, 'clip.py'), os.path.join(work, 'video'), '150'], check=True)
    video = os.path.join(work, 'video', 'test_480x320.avi')
    etc = os.path.join(home, 'etc')
    for f in os.listdir(etc):
        if f.startswith(('org.edgegate.camera-', 'org.edgegate.serial.sensor-', 'org.edgegate.zmq.endpoint-')):
            os.remove(os.path.join(etc, f))
    for c in CAMS:
        with open(os.path.join(etc, 'org.edgegate.camera-%s.cfg' % c), 'w') as f:
            f.write('id = %s\nsource = %s\nwidth = 480\nheight = 320\nfps = 25\njpeg = passthrough\n' % (c, video))
    env = dict(os.environ)
    out = open(os.path.join(work, 'console.out'), 'w')
    gw = subprocess.Popen([os.path.join(home, 'bin/edgegate')], stdin=subprocess.DEVNULL, stdout=out,
                          stderr=subprocess.STDOUT, env=env)
    rows = []
    try:
        until('the gateway', 120, lambda: cli(home, 'gw:status')[0] == 0 and (frames(home) or 0) > 100)
        rows.append(('no clip rule (passthrough)', measure(home, gw.pid, a.dur, a.warmup)))
        with open(os.path.join(etc, 'org.edgegate.clips.rule-bench.cfg'), 'w') as f:
            f.write('id = bench\nwhen = bench/never > 1\nbefore = 10\ncooldown = 0\n')
        until('four rings', 60, lambda: cli(home, 'gw:clips')[1].count(' MiB, ') >= 4)
        rows.append(('rule buffering 4 cameras, 10 s', measure(home, gw.pid, a.dur, a.warmup)))
        code, said = cli(home, 'gw:clips', 'record', *CAMS, str(int(a.dur + a.warmup + 10)))
        if code != 0:
            sys.exit('gw:clips record failed: ' + said)
        rows.append(('writing a clip of 4 cameras', measure(home, gw.pid, a.dur, a.warmup)))
    finally:
        gw.terminate()
        try:
            gw.wait(30)
        except subprocess.TimeoutExpired:
            gw.kill()
    base = rows[0][1]['ms_per_frame']
    if a.json:
        for name, r in rows:
            print(json.dumps({'bench': 'edgegate-clips', 'table': 'Event clips: 4 x 480x320 @ 25 passthrough',
                              'row': name, 'rep': a.rep, 'frames/s': r['fps'], 'CPU µs/frame': 1000 * r['ms_per_frame'],
                              'over passthrough µs/frame': 1000 * (r['ms_per_frame'] - base), 'JVM CPU %': r['cpu_pct'],
                              'other load %': max(0, r['other_load'])}))
        return
    print('| gateway, 4 x 480x320 @ 25 passthrough | frames/s | CPU ms/frame | over passthrough | JVM CPU % | other load % |')
    print('| --- | --- | --- | --- | --- | --- |')
    for name, r in rows:
        print('| %s | %.1f | %.3f | %+.3f | %.1f | %.0f |' % (name, r['fps'], r['ms_per_frame'],
                                                          r['ms_per_frame'] - base, r['cpu_pct'], r['other_load']))


if __name__ == '__main__':
    main()
