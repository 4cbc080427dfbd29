#!/usr/bin/python3
"""Measures a running gateway's cameras the way the seed's cam_bench.py measures its pipelines: starts the
receivers (zmq: one pyrx.py per camera on the native stream, decoding every frame or not; http: CLIENTS
httprx.py processes, each reading every camera's MJPEG stream), and over DURATION seconds after WARMUP takes
delivered frames/s and latency from the receivers, CPU of the gateway and of gateway + receivers from
/proc, peak PSS of each. Prints one JSON line."""
import argparse, json, os, subprocess, sys, time
import procs

HERE = os.path.dirname(os.path.abspath(__file__))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--cameras', required=True, help='camera ids, comma-separated')
    ap.add_argument('--receiver', choices=['zmq', 'http'], required=True)
    ap.add_argument('--decode', type=int, default=1)
    ap.add_argument('--address', help='zmq: the native endpoint, e.g. tcp://127.0.0.1:5556')
    ap.add_argument('--http', help='http: base URL, e.g. http://127.0.0.1:8080')
    ap.add_argument('--auth', help='http: the Authorization header value')
    ap.add_argument('--clients', type=int, default=1, help='http: clients, each reading every camera')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    ap.add_argument('--tags', default='{}', help='JSON object merged into the result (the row it belongs to)')
    a = ap.parse_args()
    cams = a.cameras.split(',')
    if a.receiver == 'zmq':
        cmds = [[sys.executable, os.path.join(HERE, 'pyrx.py'), a.address, 'camera/' + c, str(a.warmup),
                 str(a.duration), '--decode', str(a.decode)] for c in cams]
    else:
        urls = ['%s/edgegate/cameras/%s/stream.mjpg' % (a.http, c) for c in cams]
        cmds = [[sys.executable, os.path.join(HERE, 'httprx.py'), str(a.warmup), str(a.duration), *urls,
                 '--auth', a.auth or '', '--decode', str(a.decode)] for _ in range(a.clients)]
    rxs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in cmds]
    rx_pids = [r.pid for r in rxs]
    gw_mem, rx_mem = procs.PeakPss(a.gateway_pid), procs.PeakPss(*rx_pids)
    gw_mem.start(); rx_mem.start()
    time.sleep(a.warmup)
    g0, r0, s0 = procs.cpu_ticks(a.gateway_pid), procs.cpu_ticks(*rx_pids), procs.sys_busy()
    time.sleep(a.duration)
    g1, r1, s1 = procs.cpu_ticks(a.gateway_pid), procs.cpu_ticks(*rx_pids), procs.sys_busy()
    outs = [r.communicate(timeout=60)[0] for r in rxs]
    gw_pss, rx_pss = gw_mem.stop(), rx_mem.stop()
    frames, lat = 0, []
    for out in outs:
        r = json.loads([l for l in out.splitlines() if l.startswith('{')][-1])
        frames += r['frames']; lat += r['lat_ms']
    gw_cpu, rx_cpu = procs.cpu_seconds(g0, g1), procs.cpu_seconds(r0, r1)
    n = max(1, frames)
    res = dict(bench='edgegate', receiver=a.receiver, decode=bool(a.decode), cameras=len(cams),
               clients=a.clients if a.receiver == 'http' else len(cams),
               delivered_fps=frames / a.duration,
               lat_p50_ms=procs.percentile(lat, 50), lat_p99_ms=procs.percentile(lat, 99),
               cpu_pct_gateway=100 * gw_cpu / a.duration, cpu_pct=100 * (gw_cpu + rx_cpu) / a.duration,
               cpu_ms_per_frame_gateway=1000 * gw_cpu / n, cpu_ms_per_frame=1000 * (gw_cpu + rx_cpu) / n,
               sys_busy_pct=procs.busy_pct(s0, s1),
               pss_gateway_mb=gw_pss, pss_peak_sum_mb=gw_pss + rx_pss)
    res.update(json.loads(a.tags))
    print(json.dumps(res))

if __name__ == '__main__':
    main()
