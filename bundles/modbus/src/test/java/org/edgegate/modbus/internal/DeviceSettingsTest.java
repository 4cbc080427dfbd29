package org.edgegate.modbus.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.edgegate.api.sensor.PortSettings;
import org.junit.Test;

public class DeviceSettingsTest {

    @Test
    public void lineSettingsComeFromThePortsQuery() {
        DeviceSettings.Line l = DeviceSettings.line("/dev/ttyUSB0?baud=19200&parity=even&stopbits=2");
        assertEquals("serial", l.scheme());
        assertEquals("/dev/ttyUSB0", l.providerPort());
        assertEquals(19200, l.settings().baud());
        assertEquals(PortSettings.Parity.EVEN, l.settings().parity());
        assertEquals(PortSettings.StopBits.TWO, l.settings().stopBits());
        assertEquals(2_005_208, l.silenceNanos(), 1000);
        assertEquals(1_750_000, DeviceSettings.line("/dev/ttyS1?baud=115200").silenceNanos());
        assertEquals(9600, DeviceSettings.line("/dev/serial/by-id/usb-FTDI_x-if00-port0").settings().baud());
        DeviceSettings.Line tcp = DeviceSettings.line("tcp://127.0.0.1");
        assertTrue(tcp.tcp());
        assertEquals("socket://127.0.0.1:502", tcp.providerPort());
        assertEquals("socket", DeviceSettings.line("socket://10.0.0.5:4001").scheme());
        assertThrows(IllegalArgumentException.class, () -> DeviceSettings.line("/dev/ttyUSB0?baud=fast"));
        assertThrows(IllegalArgumentException.class, () -> DeviceSettings.line("/dev/ttyUSB0?speed=9600"));
        assertThrows(IllegalArgumentException.class, () -> DeviceSettings.line("/dev/ttyUSB0?parity=sometimes"));
    }

    @Test
    public void checksEveryKey() {
        DeviceSettings s = DeviceSettings.from(Map.of("id", "th1", "port", "/dev/ttyUSB0", "unit", 3,
                "registers", "t:input:0:int16*0.1:°C", "wordOrder", "little"));
        assertEquals(3, s.unit());
        assertTrue(s.littleWordOrder());
        assertEquals(1000, s.pollMs());
        assertEquals("meter", DeviceSettings.from(Map.of("service.pid", "org.edgegate.modbus.device~meter",
                "port", "tcp://127.0.0.1:5020", "registers", "e:holding:0:uint32")).id());
        for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(
                Map.of("id", "a/b", "port", "/dev/x", "registers", "t:input:0:int16"),
                Map.of("id", "x".repeat(65), "port", "/dev/x", "registers", "t:input:0:int16"),
                Map.of("id", "a", "port", "/dev/x", "unit", 248, "registers", "t:input:0:int16"),
                Map.of("id", "a", "port", "/dev/x", "registers", ""),
                Map.of("id", "a", "port", "/dev/x", "registers", "t:input:0:int16", "wordOrder", "middle"),
                Map.of("id", "a", "port", "/dev/x", "registers", "t:input:0:int16", "poll", 0))) {
            assertThrows(bad.toString(), IllegalArgumentException.class, () -> DeviceSettings.from(bad));
        }
        // a hostile id is refused without being echoed whole (issue 18)
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> DeviceSettings.from(
                Map.of("id", "c".repeat(5 << 20), "port", "/dev/x", "registers", "t:input:0:int16")));
        assertTrue(huge.getMessage(), huge.getMessage().length() < 300);
    }
}
