#!/usr/bin/python3
"""The gateway's serial line measured as the seed's serial_bench.py measures its own: a writer process
(the board) writes T-<n>-H-<m> lines into one end of a socat pty pair, the gateway reads the other end
as a serial sensor (dash parser) and publishes readings and state changes on its native stream.
--rate 0: flat out (64 lines per write, as the seed's writer): lines/s the gateway read, from the reading
  sequence numbers and read times of two messages taken at the window's ends; gateway CPU per line.
--rate R: one line per write, R lines/s; the line carries its number, and a SUB on the native stream
  takes, per line, write -> reading received and write -> state change received (the state entry the
  line produced, as a subscriber of the state sees it). Prints one JSON line."""
import argparse, json, multiprocessing as mp, os, time
import zmq
import procs

def writer(dev, rate, stop, q):
    fd = os.open(dev, os.O_RDWR | os.O_NOCTTY)
    sent, n = [], 0
    if rate:
        nxt = time.time()
        while not stop.is_set():
            nxt += 1.0 / rate
            dt = nxt - time.time()
            if dt > 0: time.sleep(dt)
            t = time.time()
            os.write(fd, b'T-%d-H-%d\n' % (n, 40 + n % 50))
            sent.append(t); n += 1
    else:
        while not stop.is_set():
            os.write(fd, b''.join(b'T-%d-H-%d\n' % (20 + (n + i) % 15, 40 + (n + i) % 50) for i in range(64)))
            n += 64
    q.put((sent, n))
    os.close(fd)

def sample(address, topic):
    """(reading seq, read time ms) of the first reading published after connecting."""
    s = zmq.Context.instance().socket(zmq.SUB)
    s.setsockopt(zmq.LINGER, 0); s.setsockopt(zmq.SUBSCRIBE, topic.encode()); s.connect(address)
    try:
        if not s.poll(5000): raise SystemExit('no reading on %s within 5 s' % topic)
        h = json.loads(s.recv_multipart()[1])
        return h['seq'], h['ts']
    finally:
        s.close()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--dev', required=True, help='the writer end of the pty pair')
    ap.add_argument('--address', required=True, help='the native endpoint')
    ap.add_argument('--sensor', default='bench')
    ap.add_argument('--rate', type=float, default=0)
    ap.add_argument('--warmup', type=float, default=1)
    ap.add_argument('--duration', type=float, default=5)
    a = ap.parse_args()
    topic = 'sensor/' + a.sensor
    stop, q = mp.Event(), mp.Queue()
    sub = None
    if a.rate:
        sub = zmq.Context.instance().socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 100000)
        sub.setsockopt(zmq.SUBSCRIBE, topic.encode())
        sub.setsockopt(zmq.SUBSCRIBE, ('state/sensor/%s/temperature' % a.sensor).encode())
        sub.connect(a.address)
        time.sleep(0.3)                                     # subscribed before the first line
    w = mp.Process(target=writer, args=(a.dev, a.rate, stop, q)); w.start()
    t0 = time.time() + a.warmup; t1 = t0 + a.duration
    reading_at, state_at = {}, {}
    try:
        if a.rate:
            c0 = s0 = c1 = s1 = None
            while time.time() < t1 + 0.5:
                if c0 is None and time.time() >= t0:
                    c0, s0 = procs.cpu_ticks(a.gateway_pid), procs.sys_busy()
                if not sub.poll(50): continue
                topic_, header, *_ = sub.recv_multipart(); now = time.time()
                h = json.loads(header)
                if topic_.startswith(b'state/'):
                    state_at.setdefault(int(h['value']), now)
                else:
                    reading_at.setdefault(int(h['values']['temperature']), now)
                if now >= t1 and c0 is not None and c1 is None:
                    c1, s1 = procs.cpu_ticks(a.gateway_pid), procs.sys_busy()
            if c1 is None:
                c1, s1 = procs.cpu_ticks(a.gateway_pid), procs.sys_busy()
        else:
            time.sleep(max(0, t0 - time.time()))
            seq0, ts0 = sample(a.address, topic)
            c0, s0 = procs.cpu_ticks(a.gateway_pid), procs.sys_busy()
            time.sleep(max(0, t1 - time.time()))
            c1, s1 = procs.cpu_ticks(a.gateway_pid), procs.sys_busy()
            seq1, ts1 = sample(a.address, topic)
    finally:
        stop.set()
        sent, written = q.get(timeout=10)
        w.join(5)
    cpu = procs.cpu_seconds(c0, c1)
    out = dict(bench='edgegate-serial', rate=a.rate, cpu_pct_gateway=100 * cpu / a.duration,
               sys_busy_pct=procs.busy_pct(s0, s1), lines_written=written)
    if a.rate:
        window = [i for i, t in enumerate(sent) if t0 <= t < t1]
        lr = [(reading_at[i] - sent[i]) * 1000 for i in window if i in reading_at]
        ls = [(state_at[i] - sent[i]) * 1000 for i in window if i in state_at]
        lines = len(lr)
        out.update(lines_per_s=lines / a.duration, lines_in_window=len(window),
                   lat_reading_p50_ms=procs.percentile(lr, 50), lat_reading_p99_ms=procs.percentile(lr, 99),
                   lat_state_p50_ms=procs.percentile(ls, 50), lat_state_p99_ms=procs.percentile(ls, 99),
                   lost_readings=len(window) - len(lr), lost_states=len(window) - len(ls))
    else:
        lines = (seq1 - seq0) * a.duration / max(1e-3, (ts1 - ts0) / 1000)
        out.update(lines_per_s=(seq1 - seq0) / max(1e-3, (ts1 - ts0) / 1000))
    out['cpu_us_per_line_gateway'] = 1e6 * cpu / max(1, lines)
    print(json.dumps(out))

if __name__ == '__main__':
    main()
