package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.junit.Test;

public class DashParserTest {
    private final LineParser dash = new DashParserFactory().create(Map.of());

    @Test
    public void readsTheSeedsTemperatureBoard() throws Exception {
        Map<String, Object> v = dash.parse("T-25-H-60");
        assertEquals(Map.of("T", 25L, "H", 60L), v);
        assertEquals(List.of("T", "H"), List.copyOf(v.keySet()));
    }

    @Test
    public void readsTheSeedsGasBoardKeepingKeysWithDigits() throws Exception {
        assertEquals(Map.of("MQ2", 123L, "L", 456L, "MQ9", 789L), dash.parse("MQ2-123-L-456-MQ9-789"));
    }

    @Test
    public void negativeAndDecimalValues() throws Exception {
        assertEquals(Map.of("T", -5.5, "H", 60L), dash.parse("T--5.5-H-60"));
        assertEquals(Map.of("T", -5L, "H", -0.25), dash.parse("T--5-H--0.25"));
        assertEquals(Map.of("T", 21.75, "H", 60L), dash.parse("T-21.75-H-60"));
    }

    @Test
    public void textThatIsNotANumberStaysText() throws Exception {
        assertEquals(Map.of("T", "ERR", "H", 60L), dash.parse("T-ERR-H-60"));
        assertEquals(Map.of("T", "nan"), dash.parse("T-nan"));
    }

    @Test
    public void spacesAroundPartsAreIgnored() throws Exception {
        assertEquals(Map.of("T", 25L, "H", 60L), dash.parse(" T - 25 - H - 60 "));
    }

    @Test
    public void malformedLinesAreRejected() {
        for (String bad : List.of("T-25-H", "T-25-H-", "T-", "T", "-25-H-60", "T---5", "T-25-T-26", "", "T--")) {
            assertThrows(bad, LineParseException.class, () -> dash.parse(bad));
        }
    }

    @Test
    public void otherSeparator() throws Exception {
        LineParser colon = new DashParserFactory().create(Map.of("parser.separator", ":"));
        assertEquals(Map.of("T", -5L, "H", 60L), colon.parse("T:-5:H:60"));
        assertThrows(IllegalArgumentException.class,
                () -> new DashParserFactory().create(Map.of("parser.separator", "::")));
    }

    @Test
    public void theRejectionSaysWhatIsWrong() {
        LineParseException e = assertThrows(LineParseException.class, () -> dash.parse("T-25-H"));
        assertTrue(e.getMessage(), e.getMessage().contains("'H' has no value"));
    }
}
