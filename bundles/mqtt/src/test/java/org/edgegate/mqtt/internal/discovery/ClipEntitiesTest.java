package org.edgegate.mqtt.internal.discovery;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.mqtt.internal.Topics;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A clip rule's Home Assistant entities: an event entity per rule and a last-clip timestamp sensor. */
public class ClipEntitiesTest {
    private final HomeAssistant ha = new HomeAssistant("homeassistant", "gw1", new Topics("edgegate/gw1"), "0.1.0");

    private static JsonObject json(byte[] config) {
        return JsonParser.parseString(new String(config, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    public void anEventEntityFiredByEachClip() {
        ClipEntities c = new ClipEntities(ha);
        assertEquals("homeassistant/event/edgegate_gw1/smoke_clip/config", c.eventConfigTopic("smoke"));
        JsonObject e = json(c.eventConfig("smoke"));
        assertEquals("edgegate/gw1/clip/smoke", e.get("state_topic").getAsString());
        assertEquals("clip", e.getAsJsonArray("event_types").get(0).getAsString());
        assertEquals("edgegate_gw1_clip_smoke", e.get("unique_id").getAsString());
        assertEquals("smoke clip", e.get("name").getAsString());
        assertEquals("edgegate/gw1/status", e.get("availability_topic").getAsString());
        assertEquals("edgegate_gw1", e.getAsJsonObject("device").getAsJsonArray("identifiers").get(0).getAsString());
    }

    @Test
    public void aTimestampSensorOfTheLastClip() {
        ClipEntities c = new ClipEntities(ha);
        assertEquals("homeassistant/sensor/edgegate_gw1/smoke_last_clip/config", c.lastConfigTopic("smoke"));
        JsonObject s = json(c.lastConfig("smoke"));
        assertEquals("edgegate/gw1/clip/smoke/last", s.get("state_topic").getAsString());
        assertEquals("edgegate/gw1/clip/smoke/last", s.get("json_attributes_topic").getAsString());
        assertEquals("timestamp", s.get("device_class").getAsString());
        assertEquals("{{ value_json.time }}", s.get("value_template").getAsString());
    }

    @Test
    public void entitiesFollowTheRulesAndComeBackOnAttach() {
        Map<String, byte[]> published = new LinkedHashMap<>();
        Discovery d = new Discovery();
        d.ruleAdded("early"); // before the bridge runs: published on attach
        d.attach(published::put, ha, cam -> true, key -> false);
        ClipEntities c = new ClipEntities(ha);
        assertTrue(published.containsKey(c.eventConfigTopic("early")));
        d.ruleAdded("smoke");
        assertTrue(d.configs().containsKey(c.lastConfigTopic("smoke")));
        d.ruleRemoved("smoke");
        assertArrayEquals("an empty retained config removes the entity", new byte[0],
                published.get(c.eventConfigTopic("smoke")));
        assertArrayEquals(new byte[0], published.get(c.lastConfigTopic("smoke")));
        assertEquals(2, d.configs().size()); // early's two remain
    }

    @Test
    public void aRecordButtonOnlyWhereCommandsAllowLetsItThrough() {
        ClipEntities c = new ClipEntities(ha);
        assertEquals("homeassistant/button/edgegate_gw1/record_clip/config", c.recordConfigTopic());
        JsonObject b = json(c.recordConfig());
        assertEquals("edgegate/gw1/state/clips/record/set", b.get("command_topic").getAsString());
        assertEquals("{\"seconds\":10}", b.get("payload_press").getAsString());
        assertEquals("record clip", b.get("name").getAsString());
        assertEquals("edgegate_gw1", b.getAsJsonObject("device").getAsJsonArray("identifiers").get(0).getAsString());

        Map<String, byte[]> published = new LinkedHashMap<>();
        Discovery d = new Discovery();
        d.attach(published::put, ha, cam -> true, key -> key.startsWith("clips/"));
        assertTrue(d.configs().containsKey(c.recordConfigTopic()));
        d.attach(published::put, ha, cam -> true, key -> key.startsWith("camera/")); // reconfigured: no longer allowed
        assertArrayEquals("the button removed", new byte[0], published.get(c.recordConfigTopic()));
        assertTrue(d.configs().isEmpty());
    }

    @Test
    public void noEntitiesWithoutHomeAssistant() {
        Map<String, byte[]> published = new LinkedHashMap<>();
        Discovery d = new Discovery();
        d.attach(published::put, null, cam -> true, key -> true);
        d.ruleAdded("smoke");
        d.ruleRemoved("smoke");
        assertTrue(published.isEmpty());
    }
}
