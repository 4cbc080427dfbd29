package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.mqtt.internal.discovery.Discovery;
import org.edgegate.mqtt.internal.discovery.HomeAssistant;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.service.event.Event;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The clips bundle's event turned into MQTT: checked, bounded, and the rules' entities following their services. */
public class ClipMessagesTest {
    private static final String MANIFEST = "{\"clip\":\"smoke-20261207T051500.123\",\"rule\":\"smoke\",\"cameras\":[]}";

    /** The properties as the clips bundle posts them (ClipEvents). */
    private static Map<String, Object> event() {
        Map<String, Object> p = new HashMap<>();
        p.put("clip", "smoke-20261207T051500.123");
        p.put("rule", "smoke");
        p.put("state", "complete");
        p.put("trigger.time", 1796620500123L);
        p.put("frames", 250);
        p.put("manifest", MANIFEST);
        return p;
    }

    private static ClipMessages.Clip clip(Map<String, Object> p) {
        Event e = new Event(ClipMessages.EVENT_TOPIC, p); // the real OSGi type the handler receives
        return ClipMessages.Clip.of(e::getProperty);
    }

    private static JsonObject json(byte[] b) {
        return JsonParser.parseString(new String(b, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static void refused(String property, Object value) {
        Map<String, Object> p = event();
        p.put(property, value);
        try {
            clip(p);
            fail("accepted " + property + " = " + value);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(property));
            assertTrue(expected.getMessage(), expected.getMessage().length() < 300); // quoted, never raw
        }
    }

    @Test
    public void theEventMessageCarriesTheManifestAndWhatHomeAssistantNeeds() {
        ClipMessages m = new ClipMessages(new Discovery());
        m.attach(null, new Topics("edgegate/gw1"), "gw1", s -> { });
        ClipMessages.Clip c = clip(event());
        JsonObject e = json(m.payload(c, true));
        assertEquals("clip", e.get("event_type").getAsString());
        assertEquals("gw1", e.get("gateway").getAsString());
        assertEquals("smoke", e.get("rule").getAsString());
        assertEquals(1796620500123L, e.get("ts").getAsLong());
        assertEquals("2026-12-07T05:15:00.123Z", e.get("time").getAsString());
        assertEquals(250, e.get("frames").getAsInt());
        assertEquals("data/clips/smoke/smoke-20261207T051500.123", e.get("path").getAsString());
        assertEquals("smoke", e.getAsJsonObject("manifest").get("rule").getAsString());
        JsonObject last = json(m.payload(c, false));
        assertFalse("the retained summary leaves the manifest out", last.has("manifest"));
        assertFalse(last.has("event_type"));
        assertEquals("2026-12-07T05:15:00.123Z", last.get("time").getAsString());
    }

    @Test
    public void namesAndNumbersFromTheEventAreChecked() {
        refused("rule", "x".repeat(5_000_000));
        refused("rule", "../etc");
        refused("rule", 5);
        refused("clip", "a/b");
        refused("clip", "c".repeat(129));
        refused("clip", "..");
        refused("state", "complete\n{\"x\":1}");
        refused("trigger.time", -1L);
        refused("trigger.time", "now");
        refused("frames", 2.5);
        refused("frames", null);
    }

    @Test
    public void aManifestTooLargeDeepOrNotJsonIsLeftOutAndSaysWhy() {
        Map<String, Object> p = event();
        p.put("manifest", "{\"x\":\"" + "a".repeat(ClipMessages.MAX_MANIFEST) + "\"}");
        ClipMessages.Clip c = clip(p);
        assertNull(c.manifest());
        assertTrue(c.omitted(), c.omitted().contains("more than"));
        p.put("manifest", "[".repeat(10_000) + "]".repeat(10_000));
        assertNull(clip(p).manifest());
        p.put("manifest", "{\"a\":1} trailing");
        assertNull(clip(p).manifest());
        p.put("manifest", "[1]");
        assertNull(clip(p).manifest());
        ClipMessages m = new ClipMessages(new Discovery());
        m.attach(null, new Topics("edgegate/gw1"), "gw1", s -> { });
        assertEquals("manifest is not a JSON object", json(m.payload(clip(p), true)).get("manifest_omitted").getAsString());
    }

    @Test
    public void aRuleEntityStaysWhileAServiceHasItsIdAndMovesWithAChangedId() {
        Map<String, byte[]> published = new LinkedHashMap<>();
        Discovery d = new Discovery();
        HomeAssistant ha = new HomeAssistant("homeassistant", "gw1", new Topics("edgegate/gw1"), "0.1.0");
        d.attach(published::put, ha, cam -> true, key -> false);
        ClipMessages m = new ClipMessages(d);
        String smoke = "homeassistant/event/edgegate_gw1/smoke_clip/config";
        m.rule(Map.of(Constants.SERVICE_ID, 1L, "id", "smoke"), true);
        m.rule(Map.of(Constants.SERVICE_ID, 2L, "id", "smoke"), true); // a second rule with the same id (FAILED)
        assertTrue(d.configs().containsKey(smoke));
        m.rule(Map.of(Constants.SERVICE_ID, 2L, "id", "smoke"), false);
        assertTrue("another service still has the id", d.configs().containsKey(smoke));
        m.rule(Map.of(Constants.SERVICE_ID, 1L, "id", "fire"), true); // the configuration changed its id
        assertFalse(d.configs().containsKey(smoke));
        assertEquals(0, published.get(smoke).length);
        assertTrue(d.configs().containsKey("homeassistant/event/edgegate_gw1/fire_clip/config"));
        m.rule(Map.of(Constants.SERVICE_ID, 3L, "id", "bad id!"), true);
        m.rule(Map.of(Constants.SERVICE_ID, 4L, "id", ClipMessages.MANUAL), true);
        assertEquals("no entity for a refused id nor for manual clips", 2, d.configs().size());
    }
}
