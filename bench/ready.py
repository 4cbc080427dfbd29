#!/usr/bin/python3
"""Exit 0 when the gateway is up for a camera run: the native endpoint accepts connections and every
camera's snapshot (bundle org.edgegate.http) is a real frame, not the no-signal picture. Cheaper than a
CLI call (a JVM) per poll. Usage: ready.py HTTP_PORT NATIVE_PORT TOKEN CAMERA..."""
import socket, sys, urllib.request

def main():
    http, native, token, cams = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    try:
        socket.create_connection(('127.0.0.1', native), timeout=1).close()
        for c in cams:
            req = urllib.request.Request('http://127.0.0.1:%s/edgegate/cameras/%s/snapshot.jpg' % (http, c),
                                         headers={'Authorization': 'Bearer ' + token})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.headers.get('X-Frame-Placeholder') != 'false':
                    sys.exit(1)
    except OSError:
        sys.exit(1)

if __name__ == '__main__':
    main()
