#!/usr/bin/python3
"""One bus owner measured: the gateway polls Modbus devices (pymodbus servers) as configured by
rows/modbus.sh. Counters come from `gw:modbus --json` (with the time the gateway read them) at both ends of
the window, the gateway's CPU from /proc over the same window but outside the two command calls (a CLI
session costs the gateway CPU of its own). Prints one JSON row: requests/s on the bus, polls/s of all
devices, gateway CPU % and CPU per request. --idle: the gateway's CPU with no device, the baseline."""
import argparse, json, subprocess, time
import procs

TABLE = ('Modbus: one bus owner (pymodbus 3.0 servers; a pty ignores the baud rate, the 3.5-character '
         'silence of 115200 baud is kept)')

def status(cli):
    out = subprocess.run([cli, 'gw:modbus', '--json'], capture_output=True, text=True, timeout=60).stdout
    devices = {d['id']: d for d in json.loads(out[out.index('['):])}
    return next(iter(devices.values()))['time'] / 1000, devices   # when the gateway read its counters

def cpu_window(pid, duration):
    c0, w0, b0 = procs.cpu_ticks(pid), time.time(), procs.sys_busy()
    time.sleep(duration)
    c1, w1, b1 = procs.cpu_ticks(pid), time.time(), procs.sys_busy()
    cores = procs.cpu_seconds(c0, c1) / (w1 - w0)
    return cores, max(0, procs.busy_pct(b0, b1) - 100 * cores)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gateway-pid', type=int, required=True)
    ap.add_argument('--cli', required=True)
    ap.add_argument('--devices', default='', help='comma-separated ids, all on one bus')
    ap.add_argument('--idle', action='store_true')
    ap.add_argument('--row', required=True)
    ap.add_argument('--rep', default='1')
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--duration', type=float, default=10)
    a = ap.parse_args()
    time.sleep(a.warmup)
    row = {'bench': 'edgegate-modbus', 'table': TABLE, 'row': a.row, 'rep': a.rep}
    if a.idle:
        cores, other = cpu_window(a.gateway_pid, a.duration)
        row.update({'gateway CPU %': 100 * cores, 'other load %': other})
        print(json.dumps(row))
        return
    ids = a.devices.split(',')
    t0, s0 = status(a.cli)
    cores, other = cpu_window(a.gateway_pid, a.duration)
    t1, s1 = status(a.cli)
    first = ids[0]
    requests = (s1[first]['busRequests'] - s0[first]['busRequests']) / (t1 - t0)
    polls = sum(s1[i]['polls'] - s0[i]['polls'] for i in ids) / (t1 - t0)
    faults = sum(s1[i][k] - s0[i][k] for i in ids for k in ('timeouts', 'frameErrors', 'exceptions'))
    row.update({'requests/s': requests, 'polls/s': polls, 'CPU µs/request gateway': 1e6 * cores / max(1e-9, requests),
                'gateway CPU %': 100 * cores, 'faults': faults, 'other load %': other})
    print(json.dumps(row))

if __name__ == '__main__':
    main()
