package org.edgegate.serial.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.PortSettings;
import org.junit.Test;

public class SensorSettingsTest {

    @Test
    public void fourKeysAreEnough() {
        SensorSettings s = SensorSettings.from(Map.of("id", "th", "port", "/dev/ttyUSB1", "baud", "115200", "parser", "dash"));
        assertEquals("th", s.id());
        assertEquals("serial", s.scheme());
        assertEquals(PortSettings.of(115200), s.portSettings());
        assertArrayEquals(new byte[] {'\n'}, s.terminator());
        assertEquals(1024, s.maxLineLength());
        assertEquals(0, s.silenceTimeoutMs());
    }

    @Test
    public void idDefaultsToTheConfigurationName() {
        assertEquals("gas", SensorSettings.from(Map.of("service.pid", "org.edgegate.serial.sensor~gas", "port", "sim:gas")).id());
    }

    @Test
    public void schemes() {
        assertEquals("socket", SensorSettings.schemeOf("socket://127.0.0.1:4001"));
        assertEquals("sim", SensorSettings.schemeOf("sim:th?rate=10"));
        assertEquals("serial", SensorSettings.schemeOf("/dev/serial/by-id/usb-FTDI:x"));
        assertEquals("serial", SensorSettings.schemeOf("COM3"));
        assertEquals("serial", SensorSettings.schemeOf("serial:/dev/ttyUSB0"));
    }

    @Test
    public void typedAndTextValues() {
        Map<String, Object> p = new HashMap<>(Map.of("id", "x", "port", "sim:th", "baud", 9600, "dataBits", "7",
                "parity", "even", "stopBits", "2", "flowControl", "rts_cts", "terminator", "\\r\\n",
                "channels", new String[] {"T:t", "H:h"}));
        p.put("silenceTimeout", 5000L);
        SensorSettings s = SensorSettings.from(p);
        assertEquals(new PortSettings(9600, 7, PortSettings.Parity.EVEN, PortSettings.StopBits.TWO,
                PortSettings.FlowControl.RTS_CTS), s.portSettings());
        assertArrayEquals(new byte[] {'\r', '\n'}, s.terminator());
        assertEquals(5000, s.silenceTimeoutMs());
        assertEquals("CRLF", s.terminatorName());
    }

    @Test
    public void terminatorsByNameOrEscapeOrRealCharacters() {
        assertArrayEquals(new byte[] {'\r'}, SensorSettings.terminator("CR"));
        assertArrayEquals(new byte[] {'\r'}, SensorSettings.terminator("\r"));
        assertArrayEquals(new byte[] {'\n'}, SensorSettings.terminator("\\n"));
        assertArrayEquals(new byte[] {'\r', '\n'}, SensorSettings.terminator("crlf"));
    }

    @Test
    public void parserOptionsArePassedOn() {
        SensorSettings s = SensorSettings.from(Map.of("id", "x", "port", "sim:th", "parser", "csv", "parser.columns", "T,H"));
        assertEquals(Map.of("parser.columns", "T,H"), s.parserOptions());
    }

    @Test
    public void mistakesAreReportedReadably() {
        List<Map<String, Object>> bad = List.of(Map.of("port", "sim:th"), Map.of("id", "a/b", "port", "x"),
                Map.of("id", "x"), Map.of("id", "x", "port", "p", "baud", "fast"),
                Map.of("id", "x", "port", "p", "dataBits", 9), Map.of("id", "x", "port", "p", "parity", "maybe"),
                Map.of("id", "x", "port", "p", "stopBits", "3"), Map.of("id", "x", "port", "p", "terminator", ";"),
                Map.of("id", "x", "port", "p", "charset", "klingon"),
                Map.of("id", "x", "port", "p", "reconnectMin", 1000, "reconnectMax", 500),
                Map.of("id", "x", "port", "p", "channels", "T"));
        for (Map<String, Object> props : bad) {
            IllegalArgumentException e = assertThrows(props.toString(), IllegalArgumentException.class,
                    () -> SensorSettings.from(props));
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    public void whatNeedsAReopen() {
        SensorSettings a = SensorSettings.from(Map.of("id", "x", "port", "sim:th"));
        SensorSettings parser = SensorSettings.from(Map.of("id", "x", "port", "sim:th", "parser", "kv"));
        SensorSettings mapping = SensorSettings.from(Map.of("id", "x", "port", "sim:th", "channels", "T:t"));
        SensorSettings baud = SensorSettings.from(Map.of("id", "x", "port", "sim:th", "baud", 9600));
        assertFalse(a.needsReopen(parser));
        assertTrue(a.pipelineDiffers(parser));
        assertFalse(a.needsReopen(mapping));
        assertTrue(a.pipelineDiffers(mapping));
        assertTrue(a.needsReopen(baud));
    }
}
