package org.edgegate.commands;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class TextTest {
    @Test
    public void agesShortensAndTables() {
        assertEquals("4.2 s ago", Text.ago(Duration.ofMillis(4200)));
        assertEquals("12 min", Text.age(Duration.ofMinutes(12)));
        assertEquals("3 h", Text.age(Duration.ofHours(3)));
        assertEquals("2 d", Text.age(Duration.ofDays(2)));
        assertEquals("0.0 s", Text.age(Duration.ofMillis(-5)));
        assertEquals("abcdefg", Text.shorten("abcdefg", 7));
        assertEquals("abcd...", Text.shorten("abcdefgh", 7));
        String t = new Text.Table("ID", ">LINES", "NOTE").row("a", 5, "x").row("long-id", 12345, "").note("    why")
                .toString();
        assertEquals(String.join(System.lineSeparator(), "ID       LINES  NOTE", "a            5  x",
                "long-id  12345", "    why", ""), t);
    }

    @Test
    public void jsonWritesTheProjectsConventions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", 1.5);
        m.put("nan", Double.NaN);
        m.put("b", true);
        m.put("bytes", new byte[] { 1, 2, 3 });
        m.put("list", List.of(1, "x"));
        m.put("t", Instant.ofEpochSecond(0));
        m.put("null", null);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":1.5,\"nan\":null,\"b\":true,\"bytes\":{\"base64\":\"AQID\"},"
                + "\"list\":[1,\"x\"],\"t\":\"1970-01-01T00:00:00Z\",\"null\":null}", Json.write(m));
    }
}
