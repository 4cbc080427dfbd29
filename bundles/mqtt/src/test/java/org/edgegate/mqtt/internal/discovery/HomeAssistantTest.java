package org.edgegate.mqtt.internal.discovery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;

import org.edgegate.mqtt.internal.Topics;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class HomeAssistantTest {
    private final Topics topics = new Topics("edgegate/gw1");

    @Test
    public void discoveryConfigCarriesWhatHomeAssistantNeeds() {
        HomeAssistant ha = new HomeAssistant("homeassistant", "gw1", topics, "0.1.0");
        assertEquals("homeassistant/sensor/edgegate_gw1/th_temperature/config", ha.sensorConfigTopic("th", "temperature"));
        JsonObject c = JsonParser.parseString(new String(
                ha.sensorConfig("th", "temperature", "°C", null, true, 30), StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("edgegate/gw1/sensor/th/temperature", c.get("state_topic").getAsString());
        assertEquals("temperature", c.get("device_class").getAsString());
        assertEquals("measurement", c.get("state_class").getAsString());
        assertEquals(30, c.get("expire_after").getAsInt());
        assertEquals("edgegate/gw1/status", c.get("availability_topic").getAsString());
        JsonObject device = c.getAsJsonObject("device");
        assertEquals("edgegate_gw1", device.getAsJsonArray("identifiers").get(0).getAsString());
        assertEquals("EdgeGate", device.get("manufacturer").getAsString());
        assertEquals("humidity", HomeAssistant.deviceClass("humidity", "%"));
        assertNull(HomeAssistant.deviceClass("mq2", ""));
        assertEquals(30, HomeAssistant.expireAfter(1));
        assertEquals(50, HomeAssistant.expireAfter(10));
        JsonObject sw = JsonParser.parseString(new String(ha.switchConfig("cam0"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals("edgegate/gw1/state/camera/cam0/enabled/set", sw.get("command_topic").getAsString());
    }
}
