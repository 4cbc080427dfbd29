#!/usr/bin/python3
"""One bus owner measured: the gateway polls Modbus devices (pymodbus servers) as configured by
rows/modbus.sh; this samples `gw:modbus --json` and the gateway's CPU at both ends of the window.
Prints one JSON row: requests/s on the bus, polls/s of all devices, gateway CPU per request, faults."""
import argparse, json, subprocess, time
import procs

def status(cli):
    out = subprocess.run([cli, 'gw:modbus', '--json'], capture_output=True, text=True, timeout=60).stdout
    devices = {d['id']: d for d in json.loads(out[out.index('['):])}
    return next(iter(devices.values()))['time'] / 1000, devices   # when the gateway read its counters

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--cli', required=True)
    ap.add_argument('--devices', required=True, help='comma-separated ids, all on one bus')
    ap.add_argument('--row', required=True)
    ap.add_argument('--rep', default='1')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    a = ap.parse_args()
    ids = a.devices.split(',')
    time.sleep(a.warmup)
    t0, s0 = status(a.cli); c0 = procs.cpu_ticks(a.gateway_pid); b0 = procs.sys_busy()
    time.sleep(a.duration)
    t1, s1 = status(a.cli); c1 = procs.cpu_ticks(a.gateway_pid); b1 = procs.sys_busy()
    dt = t1 - t0
    first = ids[0]
    requests = s1[first]['busRequests'] - s0[first]['busRequests']
    polls = sum(s1[i]['polls'] - s0[i]['polls'] for i in ids)
    faults = sum(s1[i][k] - s0[i][k] for i in ids for k in ('timeouts', 'frameErrors', 'exceptions'))
    cpu = procs.cpu_seconds(c0, c1)
    print(json.dumps({'bench': 'edgegate-modbus', 'table': 'Modbus: one bus owner (pymodbus 3.0 servers; a pty '
                      'ignores the baud rate, the 3.5-character silence of 115200 baud is kept)', 'row': a.row,
                      'rep': a.rep, 'requests/s': requests / dt, 'polls/s': polls / dt,
                      'CPU µs/request gateway': 1e6 * cpu / max(1, requests), 'gateway CPU %': 100 * cpu / dt,
                      'faults': faults, 'other load %': max(0, procs.busy_pct(b0, b1) - 100 * cpu / dt)}))

if __name__ == '__main__':
    main()
