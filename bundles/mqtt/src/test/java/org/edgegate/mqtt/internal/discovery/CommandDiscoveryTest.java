package org.edgegate.mqtt.internal.discovery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.edgegate.mqtt.internal.Topics;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Writable channels (Modbus registers marked :rw) offered to Home Assistant as number and switch entities. */
public class CommandDiscoveryTest {
    private final HomeAssistant ha = new HomeAssistant("homeassistant", "gw1", new Topics("edgegate/gw1"), "0.1.0");

    private static JsonObject json(byte[] config) {
        return JsonParser.parseString(new String(config, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    public void aRegisterIsANumberWithItsRange() {
        assertEquals("homeassistant/number/edgegate_gw1/room_setpoint/config",
                ha.commandConfigTopic("number", "room", "setpoint"));
        JsonObject n = json(ha.commandConfig("number", "room", "setpoint", "°C", "modbus/room/setpoint",
                Map.of("homeassistant.min.setpoint", -3276.8, "homeassistant.max.setpoint", 3276.7,
                        "homeassistant.step.setpoint", 0.1)));
        assertEquals("edgegate/gw1/sensor/room/setpoint", n.get("state_topic").getAsString());
        assertEquals("edgegate/gw1/state/modbus/room/setpoint/set", n.get("command_topic").getAsString());
        assertEquals(-3276.8, n.get("min").getAsDouble(), 0);
        assertEquals(3276.7, n.get("max").getAsDouble(), 0);
        assertEquals(0.1, n.get("step").getAsDouble(), 0);
        assertEquals("°C", n.get("unit_of_measurement").getAsString());
        assertEquals("box", n.get("mode").getAsString());
    }

    @Test
    public void aCoilIsASwitchOnItsZeroOrOneValue() {
        JsonObject s = json(ha.commandConfig("switch", "room", "relay", null, "modbus/room/relay", Map.of()));
        assertEquals("edgegate/gw1/state/modbus/room/relay/set", s.get("command_topic").getAsString());
        assertEquals("1", s.get("state_on").getAsString());
        assertEquals("true", s.get("payload_on").getAsString());
        assertFalse(s.has("min"));
    }
}
