package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.junit.Test;

public class JsonParserTest {
    private final LineParser json = new JsonParserFactory().create(Map.of());

    @Test
    public void flatObject() throws Exception {
        assertEquals(Map.of("T", -5.5, "H", 60L, "state", "ok", "alarm", "false"),
                json.parse("{\"T\": -5.5, \"H\": 60, \"state\": \"ok\", \"alarm\": false, \"missing\": null}"));
        assertEquals(Map.of("big", 1.0E21, "e", 1200.0), json.parse("{\"big\":1e21,\"e\":1.2e3}"));
    }

    @Test
    public void theErrorSaysWhereInShort() {
        LineParseException e = assertThrows(LineParseException.class, () -> json.parse("{\"a\": 1, b}"));
        assertEquals("not valid JSON at column 11", e.getMessage());
    }

    @Test
    public void anythingElseIsAParseError() {
        for (String bad : List.of("[1,2]", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":1", "{a:1}", "{\"a\":1} x",
                "{}", "T-25-H-60", "{\"a\":NaN}", "\"text\"", "{\"a\":1,\"a\":2}")) {
            assertThrows(bad, LineParseException.class, () -> json.parse(bad));
        }
    }
}
