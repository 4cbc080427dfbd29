#!/usr/bin/python3
"""A Python consumer of the gateway's native stream, as the seed's receivers are: a pyzmq SUB for one
camera's topic that decodes every JPEG with OpenCV (--decode 0: takes the frames without decoding).
Prints one JSON line: frames in the window and the latency of each, capture -> decoded (or received).
Usage: pyrx.py ADDRESS TOPIC WARMUP_S DURATION_S [--decode 0|1]"""
import argparse, json, time
import cv2, numpy as np, zmq

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('address'); ap.add_argument('topic')
    ap.add_argument('warmup', type=float); ap.add_argument('duration', type=float)
    ap.add_argument('--decode', type=int, default=1)
    a = ap.parse_args()
    cv2.setNumThreads(1)                      # one core per decoder, like the seed's receivers
    sub = zmq.Context().socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 1000)
    sub.setsockopt(zmq.SUBSCRIBE, a.topic.encode())
    sub.connect(a.address)
    t0 = time.time() + a.warmup; t1 = t0 + a.duration
    lat, shape = [], None
    while time.time() < t1:
        if not sub.poll(100):
            continue
        _topic, header, payload = sub.recv_multipart()
        if a.decode:
            shape = cv2.imdecode(np.frombuffer(payload, np.uint8), cv2.IMREAD_COLOR).shape
        now = time.time()
        if now >= t0:
            lat.append(round(now * 1000 - json.loads(header)['ts'], 3))
    print(json.dumps(dict(frames=len(lat), lat_ms=lat, shape=list(shape) if shape else None)))

if __name__ == '__main__':
    main()
