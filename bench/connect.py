#!/usr/bin/python3
"""Connect -> first message for pyzmq (libzmq) subscribers connecting one after another, like
`edgegate-receive --connects N`; prints the same summary and one JSON line.
Usage: /usr/bin/python3 bench/connect.py tcp://127.0.0.1:5556 [N] [TOPIC]"""
import json, sys, time
import zmq

address = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
topic = (sys.argv[3] if len(sys.argv) > 3 else "sensor/").encode()
give_up = 10.0
ctx = zmq.Context()
waits, never = [], 0
for i in range(n):
    t0 = time.perf_counter()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.connect(address)
    sub.setsockopt(zmq.SUBSCRIBE, topic)
    if sub.poll(int(give_up * 1000)):
        sub.recv_multipart()
        ms = (time.perf_counter() - t0) * 1000
        waits.append(ms)
        if ms > 1000:
            print("subscriber %d waited %.0f ms" % (i + 1, ms), flush=True)
    else:
        never += 1
        print("subscriber %d never served within %.0f s" % (i + 1, give_up), flush=True)
    sub.close()
ctx.term()
waits.sort()
pct = lambda p: waits[max(0, min(len(waits) - 1, -(-len(waits) * p // 100) - 1))] if waits else 0
over = sum(1 for w in waits if w > 1000)
print("connects: %d subscribers (pyzmq, libzmq %s), connect -> first message p50 %.1f ms p99 %.1f ms max %.1f ms, "
      "%d over 1 s, %d never served" % (n, zmq.zmq_version(), pct(50), pct(99), waits[-1] if waits else 0, over, never))
print(json.dumps({"bench": "connects", "client": "pyzmq", "subscribers": n, "p50_ms": pct(50), "p99_ms": pct(99),
                  "max_ms": waits[-1] if waits else 0, "over_1s": over, "never": never}))
sys.exit(1 if never else 0)
