package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.junit.Test;

public class CsvParserTest {
    private static LineParser csv(String columns, String delimiter) {
        return delimiter == null ? new CsvParserFactory().create(Map.of("parser.columns", columns))
                : new CsvParserFactory().create(Map.of("parser.columns", columns, "parser.delimiter", delimiter));
    }

    @Test
    public void columnsNameTheFields() throws Exception {
        assertEquals(Map.of("T", -5.5, "H", 60L, "MQ2", 123L), csv("T,H,MQ2", null).parse("-5.5,60,123"));
        assertEquals(Map.of("T", 25L, "H", 60L), csv(" T , H ", null).parse(" 25 , 60 "));
    }

    @Test
    public void skippedAndEmptyColumns() throws Exception {
        assertEquals(Map.of("H", 60L), csv("_,H,T", null).parse("17:03:01,60,"));
    }

    @Test
    public void quotedFieldsAndOtherDelimiters() throws Exception {
        assertEquals(Map.of("name", "a,b \"c\"", "v", 1L), csv("name,v", null).parse("\"a,b \"\"c\"\"\",1"));
        assertEquals(Map.of("T", 25L, "H", 60L), csv("T,H", "\\t").parse("25\t60"));
        assertEquals(Map.of("T", 25L, "H", 60L), csv("T,H", ";").parse("25;60"));
    }

    @Test
    public void wrongFieldCountsAreParseErrors() {
        LineParser p = csv("T,H", null);
        for (String bad : List.of("25", "25,60,7", ",", "\"25,60")) {
            assertThrows(bad, LineParseException.class, () -> p.parse(bad));
        }
    }

    @Test
    public void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CsvParserFactory().create(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> csv("T,,H", null));
        assertThrows(IllegalArgumentException.class, () -> csv("T,H", ",;"));
    }
}
