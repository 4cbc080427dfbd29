package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * Remote configuration requests as the broker hands them over (docs/fleet.md): the documented form read, and
 * everything hostile refused with a reason, the correlation id kept when it could be read, every size and count
 * bounded before use.
 */
public class ConfigRequestTest {

    private static ConfigRequest parse(String json) throws ConfigRequest.Refused {
        return ConfigRequest.parse(json.getBytes(StandardCharsets.UTF_8), false);
    }

    private static ConfigRequest.Refused refused(String json) {
        return assertThrows(ConfigRequest.Refused.class, () -> parse(json));
    }

    @Test
    public void theDocumentedFormIsRead() throws Exception {
        ConfigRequest r = parse("{\"correlation\":\"c-1\",\"properties\":{\"port\":\"sim:th?rate=2\",\"baud\":9600,"
                + "\"enabled\":true,\"sensors\":[\"a\",\"b\"],\"old\":null}}");
        assertEquals("c-1", r.correlation());
        assertEquals("sim:th?rate=2", r.properties().get("port"));
        assertEquals("9600", r.properties().get("baud"));
        assertEquals("true", r.properties().get("enabled"));
        assertArrayEquals(new String[] { "a", "b" }, (String[]) r.properties().get("sensors"));
        assertTrue(r.properties().containsKey("old") && r.properties().get("old") == null);
        assertFalse(r.replace());
        assertEquals("c-2", ConfigRequest.parse("{\"correlation\":\"c-2\"}".getBytes(StandardCharsets.UTF_8), true)
                .correlation());
    }

    @Test
    public void mergeKeepsWhatIsNotGivenAndTheFileName() throws Exception {
        Hashtable<String, Object> old = new Hashtable<>(Map.of("service.pid", "x~a", "felix.fileinstall.filename",
                "file:/etc/x-a.cfg", "port", "sim:th", "baud", "9600", "old", "1"));
        Map<String, Object> next = parse("{\"properties\":{\"baud\":\"115200\",\"old\":null}}").merge(old);
        assertEquals(Map.of("felix.fileinstall.filename", "file:/etc/x-a.cfg", "port", "sim:th", "baud", "115200"),
                next);
        Map<String, Object> replaced = parse("{\"replace\":true,\"properties\":{\"id\":\"a\"}}").merge(old);
        assertEquals(Map.of("felix.fileinstall.filename", "file:/etc/x-a.cfg", "id", "a"), replaced);
        assertEquals(Map.of("k", "[a, b]"), ConfigRequest.own(Map.of("k", new String[] { "a", "b" }, "service.pid", "p")));
    }

    @Test
    public void hostileRequestsAreRefusedWithTheirCorrelation() {
        assertTrue(refused("[1]").getMessage().contains("JSON object"));
        assertTrue(refused("{\"correlation\":\"c\"").getMessage().startsWith("not valid JSON"));
        assertEquals("c", refused("{\"correlation\":\"c\",\"properties\":{\"k\":{\"deep\":1}}}").correlation);
        assertTrue(refused("{\"correlation\":\"c\"}").getMessage().contains("no \"properties\""));
        assertTrue(refused("{\"properties\":{},\"evil\":1}").getMessage().contains("unknown field"));
        assertTrue(refused("{\"properties\":{\"service.pid\":\"x\"}}").getMessage().contains("not the gateway's"));
        assertTrue(refused("{\"properties\":{\"felix.fileinstall.filename\":\"x\"}}").getMessage().contains("not the"));
        assertTrue(refused("{\"properties\":{\"a b\":\"x\"}}").getMessage().contains("printable"));
        assertTrue(refused("{\"correlation\":\"" + "c".repeat(129) + "\",\"properties\":{}}").getMessage()
                .contains("correlation"));
        assertTrue(refused("{\"properties\":{},\"replace\":\"yes\"}").getMessage().contains("replace"));
        assertTrue(refused("{\"properties\":{}} x").getMessage().length() > 0);
        assertTrue(assertThrows(ConfigRequest.Refused.class, () -> ConfigRequest.parse(
                "{\"properties\":{\"a\":\"1\"}}".getBytes(StandardCharsets.UTF_8), true)).getMessage()
                .contains("delete takes no properties"));
    }

    @Test
    public void everySizeAndCountIsBounded() {
        assertTrue(assertThrows(ConfigRequest.Refused.class, () -> ConfigRequest.parse(
                new byte[ConfigRequest.MAX_PAYLOAD + 1], false)).getMessage().contains("at most"));
        StringBuilder many = new StringBuilder("{\"properties\":{");
        for (int i = 0; i <= ConfigRequest.MAX_KEYS; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        assertTrue(refused(many + "}}").getMessage().contains("more than " + ConfigRequest.MAX_KEYS));
        assertTrue(refused("{\"properties\":{\"k\":\"" + "x".repeat(ConfigRequest.MAX_TEXT + 1) + "\"}}")
                .getMessage().contains("at most " + ConfigRequest.MAX_TEXT));
        assertTrue(refused("{\"properties\":{\"" + "k".repeat(ConfigRequest.MAX_KEY + 1) + "\":1}}")
                .getMessage().contains("keys are 1 to"));
        StringBuilder list = new StringBuilder("{\"properties\":{\"k\":[");
        for (int i = 0; i <= ConfigRequest.MAX_LIST; i++) {
            list.append(i == 0 ? "" : ",").append(i);
        }
        assertTrue(refused(list + "]}}").getMessage().contains("more than " + ConfigRequest.MAX_LIST));
        // deep nesting: Gson's reader stops at its nesting limit, no recursion, no stack overflow
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        String why = refused("{\"x\":" + deep + ",\"properties\":{}}").getMessage();
        assertTrue(why, why.startsWith("not valid JSON") && why.contains("esting"));
    }

    @Test
    public void pidsAndTopics() {
        assertTrue(PidAlias.isPid("org.edgegate.serial.sensor~th"));
        assertTrue(PidAlias.isPid("org.edgegate.logging"));
        for (String bad : List.of("", "~th", "a~", "a~b~c", "a/b", "a+b", "(a=b)", "x".repeat(201), "a b")) {
            assertFalse(bad, PidAlias.isPid(bad));
        }
        Topics t = new Topics("edgegate/gw");
        assertEquals("x~y", t.configTarget("edgegate/gw/config/x~y/set", "set"));
        assertEquals("x~y", t.configTarget("edgegate/gw/config/x~y/delete", "delete"));
        assertEquals("sensor/th", t.configTarget("edgegate/gw/config/sensor/th/set", "set"));
        for (String bad : List.of("edgegate/gw/config/x/y/z/set", "edgegate/gw/config//set",
                "edgegate/gw/config/x~y/result", "edgegate/gw/config//th/set", "edgegate/gw/config/sensor//set",
                "edgegate/gw/config/set", "edgegate/other/config/x/set")) {
            assertNull(bad, t.configTarget(bad, "set"));
        }
        assertEquals(List.of("edgegate/gw/config/+/set", "edgegate/gw/config/+/delete",
                "edgegate/gw/config/+/+/set", "edgegate/gw/config/+/+/delete"), t.configFilters());
    }

    @Test
    public void aliasesNameAFactoryConfigurationByItsId() {
        assertNull(PidAlias.parse("org.edgegate.serial.sensor~th"));
        PidAlias th = PidAlias.parse("sensor/th");
        assertEquals("org.edgegate.serial.sensor", th.factoryPid());
        assertEquals("org.edgegate.serial.sensor~th", th.newPid());
        assertTrue(th.names("org.edgegate.serial.sensor", "th"));
        assertTrue(th.names("org.edgegate.serial.sensor", " th "));
        assertFalse(th.names("org.edgegate.camera", "th"));
        assertFalse(th.names("org.edgegate.serial.sensor", "gas"));
        assertFalse(th.names("org.edgegate.serial.sensor", null));
        assertEquals("org.edgegate.camera~cam0", PidAlias.parse("camera/cam0").newPid());
        assertEquals("sensor/th", th.toString());
        for (String bad : List.of("mqtt/th", "sensor/", "sensor/a~b", "sensor/(id=x)", "sensor/..",
                "sensor/" + "x".repeat(65), "/th")) {
            String why = assertThrows(bad, IllegalArgumentException.class, () -> PidAlias.parse(bad)).getMessage();
            assertTrue(why, why.contains("sensor id '") || why.contains("neither a PID nor camera/<id>, sensor/<id>"));
        }
    }

    @Test
    public void secretsAreMaskedByName() {
        for (String k : List.of("password", "mqtt.password", "api.token", "secret", "key", "private.key")) {
            assertTrue(k, ConfigTypes.secret(null, k));
        }
        for (String k : List.of("key.file", "port", "keepAlive", "id")) {
            assertFalse(k, ConfigTypes.secret(null, k));
        }
    }
}
