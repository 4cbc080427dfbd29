package org.edgegate.modbus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The configuration of one Modbus device, factory PID {@value #FACTORY_PID}: what DS hands to
 * {@code DeviceComponent} and the Web Console shows; every default lives here.
 */
@ObjectClassDefinition(pid = DeviceConfig.FACTORY_PID, name = "EdgeGate Modbus device",
        description = "A Modbus RTU device on a serial line (RS-485) or a serial-over-TCP server, or a Modbus TCP "
                + "device. Its registers are polled and written to the shared state as sensor/<id>/<name>; all "
                + "devices on one port share one bus owner that sends one request at a time.")
@interface DeviceConfig {
    String FACTORY_PID = "org.edgegate.modbus.device";

    @AttributeDefinition(name = "Id", description = "Unique name of the device among sensors; its state keys are "
            + "sensor/<id>/<name>. 1-64 of A-Z a-z 0-9 . _ -. Left out: the configuration's name "
            + "(etc/org.edgegate.modbus.device-meter.cfg gives meter).")
    String id();

    @AttributeDefinition(name = "Port", description = "Where the bus is: a device path (/dev/ttyUSB0, "
            + "/dev/serial/by-id/...) with optional line settings ?baud=9600&parity=even&stopbits=1&databits=8 "
            + "(default 9600 8N1), socket://host:port for RTU through a serial-over-TCP server, or tcp://host:502 "
            + "for Modbus TCP. Devices with the same port share its bus.")
    String port();

    @AttributeDefinition(name = "Unit id", description = "The device's unit (slave) address on the bus, 1-247.")
    int unit() default 1;

    @AttributeDefinition(name = "Registers", description = "Entries name:table:address:type[*scale][+offset][:unit][:rw], "
            + "comma-separated or as several values. table: coil, discrete, input, holding; address: 0-based as on "
            + "the wire; type: bool, int16, uint16, int32, uint32, float32, int64, float64; value = raw * scale + "
            + "offset (decimal arithmetic); :rw lets coils and holding registers be written. E.g. "
            + "temperature:input:0:int16*0.1:°C, setpoint:holding:10:float32:°C:rw, relay:coil:0:bool:rw")
    String[] registers();

    @AttributeDefinition(name = "Word order", description = "Order of the 16-bit words of 32- and 64-bit values: "
            + "big (most significant word first, the Modbus convention) or little.",
            options = {@Option(value = "big", label = "Big (most significant word first)"),
                    @Option(value = "little", label = "Little (least significant word first)")})
    String wordOrder() default "big";

    @AttributeDefinition(name = "Poll interval (ms)", description = "Time between two polls of this device. "
            + "The devices of one bus are spread over their intervals instead of polled in bursts.",
            type = AttributeType.LONG)
    long poll() default 1000;

    @AttributeDefinition(name = "Timeout (ms)", description = "How long one request waits for its answer.",
            type = AttributeType.LONG)
    long timeout() default 500;

    @AttributeDefinition(name = "Retries", description = "Times a request is sent again after no answer or a "
            + "damaged one (a Modbus exception is not retried).")
    int retries() default 1;

    @AttributeDefinition(name = "First reconnect delay (ms)", description = "Wait before reopening a lost port; "
            + "doubled on every failed retry.", type = AttributeType.LONG)
    long reconnectMin() default 500;

    @AttributeDefinition(name = "Longest reconnect delay (ms)", description = "The retry delay never grows beyond this.",
            type = AttributeType.LONG)
    long reconnectMax() default 30000;
}
