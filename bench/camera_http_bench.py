#!/usr/bin/python3
"""One camera measured: the gateway's CPU per captured frame for the camera configured by rows/camera_http.sh
(an MJPG file, or ffmpeg serving the same file as MJPEG over HTTP; passthrough, no consumer). Frames from
`gw:cameras --json` at both ends of the window, the CPU of the gateway (and of --server, the HTTP server's
process) from /proc over the same window. Prints one JSON row."""
import argparse, json, subprocess, sys, time
import procs

TABLE = 'Network camera (camera-http plug-in) beside a file camera: one camera, jpeg=passthrough, no consumer'

def frames(cli, camera):
    """The camera's frame count and when it was read (the middle of the command's run), and its JSON."""
    t = time.time()
    out = subprocess.run([cli, 'gw:cameras', '--json'], capture_output=True, text=True, timeout=60).stdout
    for c in json.loads(out[out.index('['):]):
        if c['id'] == camera:
            return c['frames'], (t + time.time()) / 2, c
    raise SystemExit('no camera ' + camera + ' in ' + out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--server-pid', type=int, default=0)
    ap.add_argument('--cli', required=True)
    ap.add_argument('--camera', required=True)
    ap.add_argument('--row', required=True)
    ap.add_argument('--rep', default='1')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    a = ap.parse_args()
    time.sleep(a.warmup)
    n0, r0, _ = frames(a.cli, a.camera)
    g0, w0, b0 = procs.cpu_ticks(a.gateway_pid), time.time(), procs.sys_busy()
    s0 = procs.cpu_ticks(a.server_pid) if a.server_pid else None
    time.sleep(a.duration)
    g1, w1, b1 = procs.cpu_ticks(a.gateway_pid), time.time(), procs.sys_busy()
    s1 = procs.cpu_ticks(a.server_pid) if a.server_pid else None
    n1, r1, cam = frames(a.cli, a.camera)
    seconds = w1 - w0
    fps = (n1 - n0) / (r1 - r0)
    captured = max(1e-9, fps * seconds)   # frames in the CPU window (the counts were read just outside it)
    gw = procs.cpu_seconds(g0, g1)
    row = {'bench': 'edgegate-camera-http', 'table': TABLE, 'row': a.row, 'rep': a.rep, 'frames/s': fps,
           'CPU ms/frame gateway': 1000 * gw / captured, 'gateway CPU %': 100 * gw / seconds,
           'other load %': max(0, procs.busy_pct(b0, b1) - 100 * gw / seconds)}
    if s0 is not None:
        row['CPU ms/frame server'] = 1000 * procs.cpu_seconds(s0, s1) / captured
    if cam['state'] != 'OPEN':
        print('camera', a.camera, cam['state'], cam['reason'], file=sys.stderr)
    print(json.dumps(row))

if __name__ == '__main__':
    main()
