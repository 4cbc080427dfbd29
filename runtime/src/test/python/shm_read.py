"""Reads frames with the shipped edgegate.frames module for ShmIT and prints one JSON line per frame.

    shm_read.py DIR CAMERA COUNT [SECONDS]

Reads COUNT frames (verify=True: each frame's CRC-32 is checked when the publisher writes one) and
prints for each its seq, size, skipped and the CRC-32 of f.image; a line {"none": true} for every
next() that timed out (the gateway restarting), until COUNT frames or SECONDS (default 60) passed.
The last line is {"done": n, "torn": ..., "remaps": ...}. Errors are printed as {"error": "..."}.
"""
import json
import sys
import time
import zlib

from edgegate import frames


def main():
    directory, camera, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    deadline = time.monotonic() + seconds
    n = 0
    try:
        with frames.open(camera, dir=directory, verify=True) as cam:
            while n < count and time.monotonic() < deadline:
                f = cam.next(timeout=1.0)
                if f is None:
                    print(json.dumps({"none": True}), flush=True)
                    continue
                img = f.image
                assert img.shape == (f.height, f.width, 3) and img.dtype.name == "uint8", img.shape
                img[0, 0, 0] ^= 0  # a private, writable copy
                print(json.dumps({"seq": f.seq, "w": f.width, "h": f.height, "skipped": f.skipped,
                                  "crc": zlib.crc32(img) & 0xFFFFFFFF,
                                  "ms": (time.monotonic() - f.monotonic) * 1000}), flush=True)
                n += 1
            print(json.dumps({"done": n, "torn": cam.torn, "remaps": cam.remaps}), flush=True)
    except Exception as e:  # the IT shows it
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
