#!/usr/bin/python3
"""Test clips when the seed's gen_video.py is not at hand (e.g. the smoke test on a clean clone): MJPG
.avi files test_480x320.avi and test_1280x720.avi of N frames of moving, textured content at 25 fps.
Usage: clip.py DIR N"""
import os, sys
import cv2, numpy as np

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    for w, h in ((480, 320), (1280, 720)):
        texture = rng.integers(0, 255, (h, w * 2, 3), dtype=np.uint8)
        texture = cv2.GaussianBlur(texture, (0, 0), 3)
        v = cv2.VideoWriter(os.path.join(out, 'test_%dx%d.avi' % (w, h)), cv2.VideoWriter_fourcc(*'MJPG'), 25, (w, h))
        for i in range(n):
            x = (i * 7) % w
            frame = texture[:, x:x + w].copy()
            cv2.putText(frame, 'frame %d' % i, (20, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 3)
            v.write(frame)
        v.release()

if __name__ == '__main__':
    main()
