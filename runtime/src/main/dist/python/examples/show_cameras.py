#!/usr/bin/env python3
"""Live pictures of up to four cameras from the gateway's shared memory, one window each, as the
seed's display process showed its cameras. Needs numpy and OpenCV's Python module (Debian:
python3-numpy python3-opencv) and a shared-memory publisher for the cameras (see docs/shm.md).

    PYTHONPATH=python python3 python/examples/show_cameras.py demo cam1 cam2 cam3

q in a window quits.
"""
import os
import sys
import cv2
import numpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from edgegate import frames  # noqa: E402

DIR = os.environ.get("EDGEGATE_SHM_DIR", frames.DEFAULT_DIR)


def main(names):
    cams = dict.fromkeys(names)
    placed = set()
    try:
        while True:
            shown = False
            for name in names:
                if cams[name] is None:
                    try:
                        cams[name] = frames.open(name, dir=DIR)
                    except FileNotFoundError:
                        continue  # not published (yet): try again on the next round
                f = cams[name].next(timeout=0)  # never wait for one camera while others have frames
                if f is not None:
                    image = f.image
                    if image is None:  # a jpeg publisher
                        image = cv2.imdecode(numpy.frombuffer(f.jpeg, numpy.uint8), cv2.IMREAD_COLOR)
                    if name not in placed:  # tile the windows two by two, as a wall of monitors
                        i = names.index(name)
                        cv2.namedWindow(name)
                        cv2.moveWindow(name, (i % 2) * (image.shape[1] + 10), (i // 2) * (image.shape[0] + 40))
                        placed.add(name)
                    cv2.imshow(name, image)
                    shown = True
            if cv2.waitKey(1 if shown else 5) & 0xFF == ord("q"):
                break
    finally:
        for cam in cams.values():
            if cam is not None:
                cam.close()
        cv2.destroyAllWindows()


if __name__ == "__main__":
    main(sys.argv[1:5] or ["demo"])
