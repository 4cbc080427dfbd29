#!/usr/bin/python3
"""CPU per event at the rates boards and cameras really run, for bench/rows/realrates.sh. The gateway's
CPU comes from its threads' /proc schedstat (ns; the 10 ms ticks of /proc/PID/stat are too coarse at one
line a second), taken over DURATION seconds after WARMUP.
  serial: a writer writes RATE lines/s (one per write, `T-<n>-H-<m>`) into one end of a socat pty pair the
          gateway reads as sensor SENSOR; a SUB on the native stream counts the readings that came out.
  camera: one non-decoding SUB per camera on the native stream (pyrx.py --decode 0); frames received.
  idle:   nothing written: the gateway's CPU per second (the floor under the per-event figures).
Wakes: the gateway's threads' voluntary context switches, per event and per second; a loaded machine
inflates CPU figures, not these.
Prints one JSON line."""
import argparse, json, multiprocessing as mp, os, subprocess, sys, time
import zmq
import procs
from serial import writer  # bench/serial.py's board (this folder comes first on the path)

HERE = os.path.dirname(os.path.abspath(__file__))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['serial', 'camera', 'idle'])
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--address', help='the native endpoint')
    ap.add_argument('--dev', help='serial: the writer end of the pty pair')
    ap.add_argument('--sensor', default='bench')
    ap.add_argument('--rate', type=float, default=100)
    ap.add_argument('--cameras', default='', help='camera: ids, comma-separated')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    a = ap.parse_args()
    stop, q, w, sub, rxs = mp.Event(), mp.Queue(), None, None, []
    if a.kind == 'serial':
        sub = zmq.Context.instance().socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 100000); sub.setsockopt(zmq.LINGER, 0)
        sub.setsockopt(zmq.SUBSCRIBE, ('sensor/' + a.sensor).encode())
        sub.connect(a.address)
        time.sleep(0.3)
        w = mp.Process(target=writer, args=(a.dev, a.rate, stop, q)); w.start()
    elif a.kind == 'camera':
        rxs = [subprocess.Popen([sys.executable, os.path.join(HERE, 'pyrx.py'), a.address, 'camera/' + c,
                                 str(a.warmup), str(a.duration), '--decode', '0'], stdout=subprocess.PIPE, text=True)
               for c in a.cameras.split(',')]
    t0 = time.time() + a.warmup; t1 = t0 + a.duration
    events, c0 = 0, None
    try:
        while time.time() < t1:
            if c0 is None and time.time() >= t0:
                c0, s0, w0 = procs.thread_ns(a.gateway_pid), procs.sys_busy(), procs.thread_wakes(a.gateway_pid)
            if sub is None:
                time.sleep(max(0.0, min(t0 if c0 is None else t1, t1) - time.time()))
                continue
            if sub.poll(50):
                sub.recv_multipart()
                if c0 is not None:
                    events += 1
        c1, s1, w1 = procs.thread_ns(a.gateway_pid), procs.sys_busy(), procs.thread_wakes(a.gateway_pid)
    finally:
        stop.set()
        if w:
            q.get(timeout=10); w.join(5)                 # (times sent, lines written)
        if sub:
            sub.close()
    for r in rxs:
        out = r.communicate(timeout=60)[0]
        events += json.loads([l for l in out.splitlines() if l.startswith('{')][-1])['frames']
    cpu = procs.thread_cpu_seconds(c0, c1)
    wakes = sum(v - w0.get(t, 0) for t, v in w1.items())
    res = dict(bench='realrates', kind=a.kind, rate=a.rate if a.kind == 'serial' else None,
               events_per_s=events / a.duration, cpu_pct_gateway=100 * cpu / a.duration,
               us_per_event_gateway=1e6 * cpu / events if events else float('nan'),
               wakes_per_event_gateway=wakes / events if events else float('nan'),
               wakes_per_s_gateway=wakes / a.duration,
               sys_busy_pct=procs.busy_pct(s0, s1))
    print(json.dumps(res))

if __name__ == '__main__':
    main()
