#!/usr/bin/env python3
"""Speaks the topics and payloads of many EdgeGate gateways to an MQTT broker, for sizing a fleet (docs/fleet.md).

Each simulated gateway is one MQTT 3.1.1 connection (clean session, Last Will offline, keep-alive 60 s) to a
node of the cluster (gateway i to node i mod n), publishing what a gateway with the seed's two boards does:
retained status online, ten retained Home Assistant discovery configs (~700 bytes), then every second two JSON
readings (QoS 1) and five plain values (QoS 1, or 0 with --plain-qos 0 as the gateway's plain.qos). It measures
once every gateway has its CONNACK or gave up (--connect-timeout), so the count it prints is what the broker took. A subscriber on the last node takes edgegate/+/sensor/+ (QoS 1)
and measures end to end (its clock minus the reading's ts; same machine). Plain asyncio and hand-made packets:
one process holds thousands of connections without a thread each.

    bench/fleet_load.py --nodes 127.0.0.1:1883,127.0.0.1:1884 --gateways 1000 --seconds 60
"""
import argparse
import asyncio
import json
import random
import resource
import struct
import sys
import time


def varlen(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def packet(first, body):
    return bytes([first]) + varlen(len(body)) + body


def text(b):
    return struct.pack('>H', len(b)) + b


def connect(client_id, will_topic, keepalive=60):
    flags = 0x02 | 0x04 | 0x08 | 0x20  # clean session, will, will QoS 1, will retained
    return packet(0x10, text(b'MQTT') + b'\x04' + bytes([flags]) + struct.pack('>H', keepalive)
                  + text(client_id) + text(will_topic) + text(b'offline'))


def publish(topic, payload, qos, retain, pid):
    return packet(0x30 | (qos << 1) | (1 if retain else 0),
                  text(topic) + (struct.pack('>H', pid) if qos else b'') + payload)


async def read_packet(reader):
    first = (await reader.readexactly(1))[0]
    n, mult = 0, 1
    for _ in range(4):  # the remaining length is at most four bytes: bounded
        b = (await reader.readexactly(1))[0]
        n += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            break
    if n > 1 << 20:
        raise ValueError('packet of %d bytes from the broker' % n)
    return first, await reader.readexactly(n)


class Stats:
    def __init__(self):
        self.sent = 0
        self.acked = 0
        self.bytes = 0
        self.connected = 0
        self.failed = 0
        self.latencies = []


async def gateway(i, host, port, stats, stop, args):
    name = 'load%05d' % i
    prefix = ('edgegate/' + name).encode()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), args.connect_timeout)
        writer.write(connect(('edgegate-%s-fleet' % name).encode(), prefix + b'/status'))
        first, body = await asyncio.wait_for(read_packet(reader), args.connect_timeout)
        if first >> 4 != 2 or body[1] != 0:
            raise ValueError('CONNACK %r' % body)
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
        stats.failed += 1
        if stats.failed <= 20:
            print('%s: %r' % (name, e), file=sys.stderr)
        return
    stats.connected += 1
    pid = [0]

    def send(topic, payload, retain=False, qos=1):
        pid[0] = pid[0] % 65535 + 1
        p = publish(topic, payload, qos, retain, pid[0])
        writer.write(p)
        stats.sent += 1
        stats.bytes += len(p)

    async def acks():
        try:
            while True:
                first, _ = await read_packet(reader)
                if first >> 4 == 4:
                    stats.acked += 1
        except (OSError, ValueError, asyncio.IncompleteReadError):
            pass

    ack_task = asyncio.ensure_future(acks())
    send(prefix + b'/status', b'online', True)
    for c in range(10):
        config = json.dumps({'name': 'ch%d' % c, 'state_topic': '%s/sensor/th/ch%d' % (prefix.decode(), c),
                             'unique_id': 'edgegate_%s_th_ch%d' % (name, c), 'unit_of_measurement': '°C',
                             'device_class': 'temperature', 'state_class': 'measurement', 'expire_after': 30,
                             'availability_topic': prefix.decode() + '/status',
                             'device': {'identifiers': ['edgegate_' + name], 'name': 'EdgeGate ' + name,
                                        'manufacturer': 'EdgeGate', 'model': 'gateway', 'sw_version': '0.1.0'},
                             'padding': 'x' * 260}).encode()
        send(('homeassistant/sensor/edgegate_%s/th_ch%d/config' % (name, c)).encode(), config, True)
    await asyncio.sleep(random.random())  # gateways are not in step
    seq = 0
    while not stop.is_set():
        seq += 1
        now = time.time() * 1000
        for sensor, values, raw in (('th', {'temperature': 25, 'humidity': 61}, 'T-25-H-61'),
                                    ('gas', {'co2': 415, 'voc': 12, 'pm25': 3}, 'CO2-415-VOC-12-PM-3')):
            reading = json.dumps({'gateway': name, 'sensor': sensor, 'seq': seq, 'ts': now, 'values': values,
                                  'units': {k: '' for k in values}, 'raw': raw}, separators=(',', ':')).encode()
            send(prefix + b'/sensor/' + sensor.encode(), reading)
            for k, v in values.items():
                send(prefix + b'/sensor/' + sensor.encode() + b'/' + k.encode(), str(v).encode(), qos=args.plain_qos)
        await writer.drain()
        await asyncio.sleep(1)
    ack_task.cancel()
    writer.close()


async def subscriber(host, port, stats, stop):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(packet(0x10, text(b'MQTT') + b'\x04\x02' + struct.pack('>H', 60) + text(b'fleet-load-sub')))
    await read_packet(reader)
    writer.write(packet(0x82, struct.pack('>H', 1) + text(b'edgegate/+/sensor/+') + b'\x01'))
    while not stop.is_set():
        try:
            first, body = await asyncio.wait_for(read_packet(reader), 1)
        except asyncio.TimeoutError:
            continue
        if first >> 4 != 3:
            continue
        qos = (first >> 1) & 3
        tlen = struct.unpack('>H', body[:2])[0]
        start = 2 + tlen + (2 if qos else 0)
        if qos:
            writer.write(packet(0x40, body[2 + tlen:4 + tlen]))
        try:
            ts = json.loads(body[start:])['ts']
            stats.latencies.append(time.time() * 1000 - ts)
        except (ValueError, KeyError, TypeError):
            pass
    writer.close()


async def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--nodes', required=True, help='host:port of each MQTT node, comma-separated')
    p.add_argument('--gateways', type=int, default=1000)
    p.add_argument('--seconds', type=int, default=60)
    p.add_argument('--ramp', type=float, default=0.005, help='seconds between connects')
    p.add_argument('--plain-qos', type=int, choices=(0, 1), default=1, help='QoS of the plain values')
    p.add_argument('--connect-timeout', type=float, default=30, help='seconds a CONNACK may take')
    args = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per gateway: 1,024 is the usual soft limit
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.gateways + 256)), hard))
    nodes = [(n.rsplit(':', 1)[0], int(n.rsplit(':', 1)[1])) for n in args.nodes.split(',')]
    stats = Stats()
    stop = asyncio.Event()
    sub = asyncio.ensure_future(subscriber(*nodes[-1], stats, stop))
    tasks = []
    for i in range(args.gateways):
        tasks.append(asyncio.ensure_future(gateway(i, *nodes[i % len(nodes)], stats, stop, args)))
        await asyncio.sleep(args.ramp)
    began = time.time()
    while stats.connected + stats.failed < args.gateways and time.time() - began < args.connect_timeout + 5:
        await asyncio.sleep(0.2)
    print('connected %d, failed %d, %.1f s after the last connect was started'
          % (stats.connected, stats.failed, time.time() - began), flush=True)
    start_sent, start_acked, start_bytes, start = stats.sent, stats.acked, stats.bytes, time.time()
    stats.latencies.clear()
    await asyncio.sleep(args.seconds)
    elapsed = time.time() - start
    stop.set()
    await asyncio.gather(*tasks, sub, return_exceptions=True)
    lat = sorted(stats.latencies)
    pct = (lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else float('nan'))
    print('gateways %d: %.0f messages/s, %.0f acknowledged/s, %.0f bytes/s to the broker; %d sent, %d acknowledged; '
          'subscriber got %d readings, end to end p50 %.1f ms p99 %.1f ms'
          % (stats.connected, (stats.sent - start_sent) / elapsed, (stats.acked - start_acked) / elapsed,
             (stats.bytes - start_bytes) / elapsed, stats.sent, stats.acked, len(lat), pct(0.5), pct(0.99)))

if __name__ == '__main__':
    asyncio.run(main())
