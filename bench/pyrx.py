#!/usr/bin/python3
"""A Python consumer of the gateway's native stream, as the seed's receivers are: a pyzmq SUB that
decodes every JPEG with OpenCV. Prints one JSON line: frames/s and latency capture -> decoded.
Usage: pyrx.py ADDRESS WARMUP_S DURATION_S"""
import json, sys, time
import cv2, numpy as np, zmq

def main():
    addr, warmup, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    cv2.setNumThreads(1)                      # one core per decoder, like the seed's receivers
    sub = zmq.Context().socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 1000)
    sub.setsockopt(zmq.SUBSCRIBE, b'camera/')
    sub.connect(addr)
    t0 = time.time() + warmup; t1 = t0 + duration
    lat, shape = [], None
    while time.time() < t1:
        if not sub.poll(100):
            continue
        _topic, header, payload = sub.recv_multipart()
        shape = cv2.imdecode(np.frombuffer(payload, np.uint8), cv2.IMREAD_COLOR).shape
        now = time.time()
        if now >= t0:
            lat.append(now * 1000 - json.loads(header)['ts'])
    pct = lambda p: float(np.percentile(lat, p)) if lat else float('nan')
    print(json.dumps(dict(frames_per_s=len(lat) / duration, lat_p50_ms=pct(50), lat_p99_ms=pct(99),
                          shape=list(shape) if shape else None)))

if __name__ == '__main__':
    main()
