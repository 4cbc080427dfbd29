package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.junit.Test;

public class KvParserTest {
    private final LineParser kv = new KvParserFactory().create(Map.of());

    @Test
    public void bothStyles() throws Exception {
        assertEquals(Map.of("t", 25L, "h", 60L), kv.parse("t=25 h=60"));
        assertEquals(Map.of("t", 25L, "h", 60L), kv.parse("t:25,h:60"));
        assertEquals(Map.of("t", -3.5, "h", 60L, "s", "ok"), kv.parse("  t=-3.5 ;\th=60, s=ok  "));
    }

    @Test
    public void valueMayHoldTheOtherSeparator() throws Exception {
        assertEquals(Map.of("time", "12:30"), kv.parse("time=12:30"));
    }

    @Test
    public void malformedPairsAreParseErrors() {
        for (String bad : List.of("t=25 h", "t=", "=25", "", " , ", "t=1 t=2")) {
            assertThrows(bad, LineParseException.class, () -> kv.parse(bad));
        }
    }
}
