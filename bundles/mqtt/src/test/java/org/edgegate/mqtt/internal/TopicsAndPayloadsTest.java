package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class TopicsAndPayloadsTest {
    private final Topics topics = new Topics("edgegate/gw1");

    @Test
    public void commandTopicsNameTheStateKey() {
        assertEquals("camera/cam0/enabled", topics.commandKey("edgegate/gw1/state/camera/cam0/enabled/set"));
        assertNull(topics.commandKey("edgegate/gw1/state/camera/cam0/enabled"));
        assertNull(topics.commandKey("edgegate/gw2/state/a/set"));
        assertEquals(Topics.MAX_COMMAND_DEPTH, topics.commandFilters().size());
        assertEquals("edgegate/gw1/state/+/+/+/set", topics.commandFilters().get(2));
        assertEquals("edgegate/gw1/sensor/a_b/c_d", topics.channel("a+b", "c#d"));
    }

    @Test
    public void commandValuesAreStrictJson() {
        assertEquals(Boolean.FALSE, Payloads.commandValue("false".getBytes(StandardCharsets.UTF_8)));
        assertEquals(5L, Payloads.commandValue(" 5 ".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2.5, Payloads.commandValue("2.5".getBytes(StandardCharsets.UTF_8)));
        assertEquals("on", Payloads.commandValue("\"on\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals("an object as its compact text", "{\"cameras\":[\"demo\"],\"seconds\":5}",
                Payloads.commandValue("{ \"cameras\": [\"demo\"], \"seconds\": 5 }".getBytes(StandardCharsets.UTF_8)));
        for (String bad : new String[] { "", "on", "{\"a\":1", "{a:1}", "[1]", "null", "1 2", "'x'",
                "\"" + "x".repeat(Payloads.MAX_COMMAND_BYTES) + "\"" }) {
            try {
                Payloads.commandValue(bad.getBytes(StandardCharsets.UTF_8));
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), !expected.getMessage().isEmpty());
            }
        }
    }

    @Test
    public void plainValuesAreOneNumber() {
        assertEquals("25", new String(Payloads.plain(25L), StandardCharsets.UTF_8));
        assertEquals("60.5", new String(Payloads.plain(60.5), StandardCharsets.UTF_8));
        assertEquals("1000", new String(Payloads.plain(1000.0), StandardCharsets.UTF_8));
    }
}
