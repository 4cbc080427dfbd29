package org.edgegate.parser.nmea.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;

/**
 * NMEA-0183 sentences as a GPS receiver writes them, one per line: {@code $<talker><type>,f1,f2,...*hh}.
 * The checksum {@code hh} (XOR of the characters between {@code $} and {@code *}) is required and
 * verified. Any talker ({@code GP} GPS, {@code GN} multi-system, {@code GL}, {@code GA}, {@code BD}...)
 * is read. Channels, by sentence type:
 * <ul>
 * <li>GGA: {@code latitude}, {@code longitude} (decimal degrees, south and west negative), {@code altitude}
 * (metres above mean sea level), {@code satellites} (in use), {@code fix} (quality: 0 none, 1 GPS, 2 DGPS,
 * 4 RTK fixed, 5 RTK float, 6 estimated), {@code hdop}</li>
 * <li>RMC: {@code latitude}, {@code longitude}, {@code speed} (knots), {@code course} (degrees true),
 * {@code valid} (1 when the receiver says A, 0 for V)</li>
 * <li>GLL: {@code latitude}, {@code longitude}, {@code valid}; VTG: {@code course}, {@code speed};
 * GSA: {@code fix3d} (1 none, 2 2D, 3 3D), {@code pdop}, {@code hdop}, {@code vdop}</li>
 * </ul>
 * Empty fields (no fix yet) are left out. Other sentences (GSV, proprietary {@code $P...}) give no
 * channels: no reading and no error. A line that is not a sentence, has no or a wrong checksum, or holds
 * a malformed number is a parse error saying why.
 */
final class Nmea {
    private Nmea() {
    }

    static Map<String, Object> parse(String line) throws LineParseException {
        String[] f = fields(line);
        String address = f[0];
        Map<String, Object> values = new LinkedHashMap<>();
        if (address.startsWith("P") || address.length() != 5) {
            return values; // proprietary or unknown: nothing we read
        }
        switch (address.substring(2)) {
            case "GGA" -> {
                position(f, 2, values);
                integer(f, 6, "fix", values);
                integer(f, 7, "satellites", values);
                decimal(f, 8, "hdop", values);
                decimal(f, 9, "altitude", values);
            }
            case "RMC" -> {
                position(f, 3, values);
                decimal(f, 7, "speed", values);
                decimal(f, 8, "course", values);
                valid(f, 2, values);
            }
            case "GLL" -> {
                position(f, 1, values);
                valid(f, 6, values);
            }
            case "VTG" -> {
                decimal(f, 1, "course", values);
                decimal(f, 5, "speed", values);
            }
            case "GSA" -> {
                integer(f, 2, "fix3d", values);
                decimal(f, 15, "pdop", values);
                decimal(f, 16, "hdop", values);
                decimal(f, 17, "vdop", values);
            }
            default -> {
                // GSV, ZDA, TXT...: valid, not read
            }
        }
        return values;
    }

    /** The comma-separated fields between {@code $} and {@code *}, after the checksum is verified. */
    static String[] fields(String line) throws LineParseException {
        if (line.isEmpty() || line.charAt(0) != '$') {
            throw new LineParseException("not an NMEA sentence (no leading $)");
        }
        int star = line.lastIndexOf('*');
        if (star < 0) {
            throw new LineParseException("NMEA sentence without checksum");
        }
        String given = line.substring(star + 1).trim();
        if (given.length() != 2 || Character.digit(given.charAt(0), 16) < 0 || Character.digit(given.charAt(1), 16) < 0) {
            throw new LineParseException("NMEA checksum '" + given + "' is not two hex digits");
        }
        int sum = checksum(line, 1, star);
        if (sum != Integer.parseInt(given, 16)) {
            throw new LineParseException(String.format("NMEA checksum mismatch: line says %s, content gives %02X", given, sum));
        }
        return line.substring(1, star).split(",", -1);
    }

    /** XOR of the characters in [from, to). */
    static int checksum(String s, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum ^= s.charAt(i) & 0xff;
        }
        return sum;
    }

    /** latitude at f[i], N/S at f[i+1], longitude at f[i+2], E/W at f[i+3]; left out when empty. */
    private static void position(String[] f, int i, Map<String, Object> out) throws LineParseException {
        if (f.length <= i + 3 || f[i].isEmpty() || f[i + 2].isEmpty()) {
            return;
        }
        out.put("latitude", degrees(f[i], f[i + 1], 2, "N", "S", 90));
        out.put("longitude", degrees(f[i + 2], f[i + 3], 3, "E", "W", 180));
    }

    /** {@code ddmm.mmmm} (or {@code dddmm.mmmm}) and a hemisphere to signed decimal degrees. */
    static double degrees(String value, String hemisphere, int degreeDigits, String positive, String negative,
            int limit) throws LineParseException {
        int dot = value.indexOf('.');
        int end = dot < 0 ? value.length() : dot;
        if (end != degreeDigits + 2) {
            throw new LineParseException("coordinate '" + value + "' is not " + "d".repeat(degreeDigits) + "mm.mmmm");
        }
        double degrees;
        double minutes;
        try {
            degrees = Integer.parseInt(value.substring(0, degreeDigits));
            minutes = Double.parseDouble(value.substring(degreeDigits));
        } catch (NumberFormatException e) {
            throw new LineParseException("coordinate '" + value + "' is not a number");
        }
        double result = degrees + minutes / 60.0;
        if (minutes >= 60 || result > limit) {
            throw new LineParseException("coordinate '" + value + "' is out of range");
        }
        if (hemisphere.equals(negative)) {
            return -result;
        }
        if (!hemisphere.equals(positive)) {
            throw new LineParseException("hemisphere '" + hemisphere + "' is not " + positive + " or " + negative);
        }
        return result;
    }

    private static void decimal(String[] f, int i, String name, Map<String, Object> out) throws LineParseException {
        if (f.length > i && !f[i].isEmpty()) {
            try {
                out.put(name, Double.parseDouble(f[i]));
            } catch (NumberFormatException e) {
                throw new LineParseException(name + " '" + f[i] + "' is not a number");
            }
        }
    }

    private static void integer(String[] f, int i, String name, Map<String, Object> out) throws LineParseException {
        if (f.length > i && !f[i].isEmpty()) {
            try {
                out.put(name, Long.parseLong(f[i]));
            } catch (NumberFormatException e) {
                throw new LineParseException(name + " '" + f[i] + "' is not a whole number");
            }
        }
    }

    private static void valid(String[] f, int i, Map<String, Object> out) {
        if (f.length > i && !f[i].isEmpty()) {
            out.put("valid", "A".equals(f[i]) ? 1L : 0L);
        }
    }
}
