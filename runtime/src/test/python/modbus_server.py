"""A Modbus server for the gateway's tests, on Debian's python3-pymodbus (3.0): RTU on a serial device
(a socat pty) or TCP on a loopback port, with several unit ids and 0-based addresses.

    modbus_server.py rtu /path/to/pty 1,2      modbus_server.py tcp 5020 1

Commands on stdin, one a line (the answer, one line, on stdout):
    set <unit> <table> <address> <value...>   tables hr, ir (16-bit words), co, di (0/1)   -> ok
    get <unit> <table> <address> <count>                                                -> the values
    mute <unit> / unmute <unit>   the unit stops answering (as if unplugged from the bus) / answers again
Prints "ready" once serving. Each table holds 200 values: address 200 and above is an illegal address.
"""
import asyncio
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

SIZE = 200
FC = {"co": 1, "di": 2, "hr": 3, "ir": 4}


def unit_context():
    return ModbusSlaveContext(di=ModbusSequentialDataBlock(0, [0] * SIZE), co=ModbusSequentialDataBlock(0, [0] * SIZE),
                              hr=ModbusSequentialDataBlock(0, [0] * SIZE), ir=ModbusSequentialDataBlock(0, [0] * SIZE),
                              zero_mode=True)


def control(context, units):
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            cmd, unit = words[0], int(words[1])
            if cmd == "set":
                units[unit].setValues(FC[words[2]], int(words[3]), [int(v) & 0xFFFF for v in words[4:]])
                answer = "ok"
            elif cmd == "get":
                answer = " ".join(str(int(v)) for v in units[unit].getValues(FC[words[2]], int(words[3]), int(words[4])))
            elif cmd == "mute":
                del context[unit]
                answer = "ok"
            elif cmd == "unmute":
                context[unit] = units[unit]
                answer = "ok"
            else:
                answer = "error unknown command " + cmd
        except Exception as e:  # the test reads the reason
            answer = "error " + repr(e)
        print(answer, flush=True)


async def serve(mode, where, unit_ids):
    units = {u: unit_context() for u in unit_ids}
    context = ModbusServerContext(slaves=dict(units), single=False)
    if mode == "rtu":
        server = ModbusSerialServer(context, ModbusRtuFramer, port=where, baudrate=115200,
                                    ignore_missing_slaves=True)
        await server.start()
    else:
        server = ModbusTcpServer(context, ModbusSocketFramer, None, ("127.0.0.1", int(where)),
                                 ignore_missing_slaves=True, allow_reuse_address=True)
    threading.Thread(target=control, args=(context, units), daemon=True).start()
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, lambda: print("ready", flush=True))
    await server.serve_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(serve(sys.argv[1], sys.argv[2], [int(u) for u in sys.argv[3].split(",")]))
