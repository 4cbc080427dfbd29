package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.junit.Test;

public class RegexParserTest {
    private static LineParser regex(String r) {
        return new RegexParserFactory().create(Map.of("parser.regex", r));
    }

    @Test
    public void namedGroupsBecomeChannels() throws Exception {
        LineParser p = regex("T=(?<temperature>-?[0-9.]+)C H=(?<humidity>[0-9.]+)%");
        assertEquals(Map.of("temperature", -3.5, "humidity", 40L), p.parse("T=-3.5C H=40%"));
        assertEquals(Map.of("temperature", 22L, "humidity", 41L), p.parse("garbage T=22C H=41% more"));
    }

    @Test
    public void optionalGroupsThatDidNotMatchAreLeftOut() throws Exception {
        LineParser p = regex("^T=(?<T>\\d+)(,H=(?<H>\\d+))?$");
        assertEquals(Map.of("T", 20L), p.parse("T=20"));
        assertEquals(Map.of("T", 20L, "H", 50L), p.parse("T=20,H=50"));
    }

    @Test
    public void noMatchIsAParseError() {
        LineParser p = regex("^T=(?<T>\\d+)$");
        assertThrows(LineParseException.class, () -> p.parse("T=x"));
        assertThrows(LineParseException.class, () -> p.parse(""));
    }

    @Test
    public void badOptionsAreRejectedAtCreation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> regex("T=(\\d+"));
        assertTrue(e.getMessage(), e.getMessage().contains("not a valid regular expression"));
        e = assertThrows(IllegalArgumentException.class, () -> regex("T=(\\d+)"));
        assertTrue(e.getMessage(), e.getMessage().contains("no named group"));
        assertThrows(IllegalArgumentException.class, () -> new RegexParserFactory().create(Map.of()));
    }

    @Test
    public void escapedParenthesesAreNotGroups() {
        assertEquals(List.of("b"), RegexParserFactory.groupNames("\\(?<a>x)(?<b>y)"));
        assertEquals(List.of("a"), RegexParserFactory.groupNames("\\\\(?<a>x)"));
    }
}
