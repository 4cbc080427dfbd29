package org.edgegate.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

public class WireJsonTest {

    @Test
    public void millisArePlainWithAMicrosecondFraction() {
        assertEquals("1795781234567.125", WireJson.millis(Instant.ofEpochSecond(1795781234L, 567_125_999)).toString());
        assertEquals("1795781234000.000", WireJson.millis(Instant.ofEpochSecond(1795781234L)).toString());
    }

    @Test
    public void valuesFollowTheConventions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l", 25L);
        m.put("i", 3);
        m.put("d", 60.5);
        m.put("nan", Double.NaN);
        m.put("b", true);
        m.put("s", "on");
        m.put("bytes", new byte[] { 1, 2, 3 });
        m.put("null", null);
        String json = WireJson.write(w -> {
            w.beginObject();
            for (Map.Entry<String, Object> e : m.entrySet()) {
                w.name(e.getKey());
                WireJson.value(w, e.getValue());
            }
            w.endObject();
        });
        assertEquals("{\"l\":25,\"i\":3,\"d\":60.5,\"nan\":null,\"b\":true,\"s\":\"on\",\"bytes\":{\"base64\":\"AQID\"},"
                + "\"null\":null}", json);
    }

    @Test
    public void parsingIsStrictAndSaysWhere() {
        assertEquals(5, WireJson.parse(" 5 ").getAsInt());
        assertEquals("malformed at line 1 column 3",
                assertThrows(JsonParseException.class, () -> WireJson.parse("{not json")).getMessage());
        assertEquals("End of input at line 1 column 13",
                assertThrows(JsonParseException.class, () -> WireJson.parse("{\"op\":\"get\",")).getMessage());
        assertThrows(JsonParseException.class, () -> WireJson.parse("{'op':'get'}"));
        assertThrows(JsonParseException.class, () -> WireJson.parse("1 2"));
    }

    @Test
    public void primitivesBecomeJavaValues() {
        assertEquals(5L, WireJson.primitive(new JsonPrimitive(5)));
        assertEquals(2.5, WireJson.primitive(new JsonPrimitive(2.5)));
        assertEquals(true, WireJson.primitive(new JsonPrimitive(true)));
        assertEquals("on", WireJson.primitive(new JsonPrimitive("on")));
        assertThrows(IllegalArgumentException.class,
                () -> WireJson.primitive(WireJson.parse("1e999").getAsJsonPrimitive()));
    }
}
