#!/usr/bin/python3
"""An MJPEG-over-HTTP client: reads the given stream URLs at once (a thread each), splits the multipart
parts by their Content-Length (and undoes HTTP/1.1 chunking), optionally decodes each JPEG with OpenCV.
Prints one JSON line: parts received in the window and the latency of each, capture (X-Timestamp) ->
received (or decoded). Usage: httprx.py WARMUP_S DURATION_S URL... [--auth 'Basic ...'] [--decode 0|1]"""
import argparse, json, socket, threading, time
from urllib.parse import urlsplit

class Body:
    """The response body as a byte stream, de-chunked when the server chunks it."""
    def __init__(self, sock):
        self.f = sock.makefile('rb', buffering=1 << 16); self.chunked = False; self.left = 0
    def line(self):
        return self.f.readline().rstrip(b'\r\n')
    def read(self, n):
        if not self.chunked:
            return self.f.read(n)
        out = bytearray()
        while len(out) < n:
            if self.left == 0:
                size = self.line()
                if not size: size = self.line()
                self.left = int(size.split(b';')[0], 16)
                if self.left == 0: raise EOFError
            b = self.f.read(min(n - len(out), self.left)); self.left -= len(b); out += b
        return bytes(out)
    def body_line(self):
        if not self.chunked:
            return self.f.readline().rstrip(b'\r\n')
        out = bytearray()
        while not out.endswith(b'\n'):
            out += self.read(1)
        return bytes(out).rstrip(b'\r\n')

def reader(url, auth, decode, t0, t1, lat, lock):
    u = urlsplit(url)
    s = socket.create_connection((u.hostname, u.port or 80), timeout=10)
    s.sendall(('GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s\r\n' % (
        u.path + ('?' + u.query if u.query else ''), u.netloc,
        'Authorization: %s\r\n' % auth if auth else '')).encode())
    b = Body(s)
    status = b.line()
    if b' 200 ' not in status + b' ':
        raise SystemExit('%s: %s' % (url, status.decode()))
    while True:
        l = b.line()
        if not l: break
        if l.lower().startswith(b'transfer-encoding:') and b'chunked' in l.lower(): b.chunked = True
    if decode:
        import cv2, numpy as np
        cv2.setNumThreads(1)
    mine = []
    while time.time() < t1:
        l = b.body_line()
        if not l.startswith(b'--'): continue
        h = {}
        while True:
            l = b.body_line()
            if not l: break
            k, _, v = l.partition(b':'); h[k.strip().lower()] = v.strip()
        jpeg = b.read(int(h[b'content-length']))
        if decode:
            cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        now = time.time()
        if now >= t0:
            mine.append(round((now - float(h[b'x-timestamp'])) * 1000, 3))
    s.close()
    with lock: lat.extend(mine)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('warmup', type=float); ap.add_argument('duration', type=float); ap.add_argument('urls', nargs='+')
    ap.add_argument('--auth'); ap.add_argument('--decode', type=int, default=0)
    a = ap.parse_args()
    t0 = time.time() + a.warmup; t1 = t0 + a.duration
    lat, lock = [], threading.Lock()
    ts = [threading.Thread(target=reader, args=(u, a.auth, a.decode, t0, t1, lat, lock), daemon=True) for u in a.urls]
    for t in ts: t.start()
    for t in ts: t.join(a.warmup + a.duration + 30)
    print(json.dumps(dict(frames=len(lat), lat_ms=lat)))

if __name__ == '__main__':
    main()
