package org.edgegate.parser.nmea.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.junit.Test;

public class NmeaTest {
    private static final double EPS = 1e-9;

    @Test
    public void gga() throws Exception {
        Map<String, Object> v = Nmea.parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47");
        assertEquals(List.of("latitude", "longitude", "fix", "satellites", "hdop", "altitude"), List.copyOf(v.keySet()));
        assertEquals(48 + 7.038 / 60, (double) v.get("latitude"), EPS);
        assertEquals(11 + 31.0 / 60, (double) v.get("longitude"), EPS);
        assertEquals(1L, v.get("fix"));
        assertEquals(8L, v.get("satellites"));
        assertEquals(0.9, (double) v.get("hdop"), EPS);
        assertEquals(545.4, (double) v.get("altitude"), EPS);
    }

    @Test
    public void multiSystemTalkerAndWesternHemisphere() throws Exception {
        Map<String, Object> v = Nmea.parse("$GNGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*68");
        assertEquals(53 + 21.6802 / 60, (double) v.get("latitude"), EPS);
        assertEquals(-(6 + 30.3372 / 60), (double) v.get("longitude"), EPS);
        assertEquals(61.7, (double) v.get("altitude"), EPS);
    }

    @Test
    public void rmc() throws Exception {
        Map<String, Object> v = Nmea.parse("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A");
        assertEquals(22.4, (double) v.get("speed"), EPS);
        assertEquals(84.4, (double) v.get("course"), EPS);
        assertEquals(1L, v.get("valid"));
        assertEquals(48 + 7.038 / 60, (double) v.get("latitude"), EPS);
    }

    @Test
    public void noFixYetLeavesPositionOut() throws Exception {
        String body = "GPGGA,000012.00,,,,,0,00,99.99,,,,,,";
        Map<String, Object> v = Nmea.parse("$" + body + String.format("*%02X", Nmea.checksum(body, 0, body.length())));
        assertEquals(Map.of("fix", 0L, "satellites", 0L, "hdop", 99.99), v);
    }

    @Test
    public void sentencesNotReadGiveNoChannels() throws Exception {
        assertTrue(Nmea.parse("$GPGSV,3,1,11,10,63,137,17,07,61,098,15,05,59,290,20,08,54,157,30*70").isEmpty());
        String body = "PUBX,00,foo";
        assertTrue(Nmea.parse("$" + body + String.format("*%02X", Nmea.checksum(body, 0, body.length()))).isEmpty());
    }

    @Test
    public void badChecksumIsAParseError() {
        LineParseException e = assertThrows(LineParseException.class,
                () -> Nmea.parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48"));
        assertEquals("NMEA checksum mismatch: line says 48, content gives 47", e.getMessage());
        // one flipped digit in the content
        assertThrows(LineParseException.class,
                () -> Nmea.parse("$GPGGA,123519,4807.038,N,01131.000,E,1,09,0.9,545.4,M,46.9,M,,*47"));
    }

    @Test
    public void malformedLinesSayWhy() {
        assertEquals("NMEA sentence without checksum",
                assertThrows(LineParseException.class, () -> Nmea.parse("$GPGGA,123519,4807.038,N")).getMessage());
        assertEquals("not an NMEA sentence (no leading $)",
                assertThrows(LineParseException.class, () -> Nmea.parse("T-25-H-60")).getMessage());
        assertTrue(assertThrows(LineParseException.class, () -> Nmea.parse("$GPGGA*zz")).getMessage().contains("hex"));
        String body = "GPGGA,123519,48x7.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,";
        assertTrue(assertThrows(LineParseException.class,
                () -> Nmea.parse("$" + body + String.format("*%02X", Nmea.checksum(body, 0, body.length()))))
                .getMessage().contains("48x7.038"));
        String south = "GPGLL,4916.45,X,12311.12,W,225444,A";
        assertTrue(assertThrows(LineParseException.class,
                () -> Nmea.parse("$" + south + String.format("*%02X", Nmea.checksum(south, 0, south.length()))))
                .getMessage().contains("hemisphere"));
    }

    @Test
    public void theFactoryMakesAParser() throws Exception {
        assertEquals(8L, new NmeaParserFactory().create(Map.of())
                .parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47").get("satellites"));
    }
}
