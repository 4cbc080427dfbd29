package org.edgegate.serial.internal;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.api.state.StateKeys;

/**
 * A sensor's channel mapping, written {@code KEY:name[:unit[:scale[:offset]]]}, entries separated by
 * {@code ,} or given as separate values: {@code T:temperature:°C, H:humidity:%, MQ2:smoke:ppm:0.1}.
 * A number becomes {@code value * scale + offset}; text values pass unchanged. The name {@code -}
 * drops the channel. Channels without an entry keep the key from the line as their name.
 */
final class ChannelMapping {
    static final ChannelMapping NONE = new ChannelMapping(Map.of());

    record Channel(String name, String unit, BigDecimal scale, BigDecimal offset) {
        boolean dropped() {
            return name.equals("-");
        }

        boolean transforms() {
            return scale.compareTo(BigDecimal.ONE) != 0 || offset.signum() != 0;
        }
    }

    /** Mapped values and the units of the channels that have one. */
    record Mapped(Map<String, Object> values, Map<String, String> units) {
    }

    private final Map<String, Channel> channels;

    private ChannelMapping(Map<String, Channel> channels) {
        this.channels = channels;
    }

    Map<String, Channel> channels() {
        return Collections.unmodifiableMap(channels);
    }

    /** @throws IllegalArgumentException naming the entry that is wrong */
    static ChannelMapping parse(String[] spec) {
        if (spec == null) {
            return NONE;
        }
        Map<String, Channel> channels = new LinkedHashMap<>();
        for (String element : spec) {
            for (String entry : element.split("[,\\n]")) {
                entry = entry.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                String[] p = entry.split(":", -1);
                if (p.length < 2 || p.length > 5 || p[0].isBlank() || p[1].isBlank()) {
                    throw new IllegalArgumentException("channel mapping '" + entry
                            + "' is not KEY:name[:unit[:scale[:offset]]]");
                }
                String name = p[1].trim();
                if (!name.equals("-") && StateKeys.problem(name) != null || name.contains("/")) {
                    throw new IllegalArgumentException("channel name '" + name + "' in '" + entry
                            + "' cannot be a state key segment (no '/', spaces or control characters)");
                }
                String unit = p.length > 2 ? p[2].trim() : "";
                BigDecimal scale = p.length > 3 ? number(p[3], BigDecimal.ONE, entry) : BigDecimal.ONE;
                BigDecimal offset = p.length > 4 ? number(p[4], BigDecimal.ZERO, entry) : BigDecimal.ZERO;
                if (channels.put(p[0].trim(), new Channel(name, unit, scale, offset)) != null) {
                    throw new IllegalArgumentException("channel '" + p[0].trim() + "' is mapped twice");
                }
            }
        }
        return channels.isEmpty() ? NONE : new ChannelMapping(channels);
    }

    private static BigDecimal number(String text, BigDecimal fallback, String entry) {
        String t = text.trim();
        if (t.isEmpty()) {
            return fallback;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' in channel mapping '" + entry + "' is not a number");
        }
    }

    Mapped apply(Map<String, Object> parsed) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : parsed.entrySet()) {
            Channel c = channels.get(e.getKey());
            if (c == null) {
                values.put(segment(e.getKey()), e.getValue());
                continue;
            }
            if (c.dropped()) {
                continue;
            }
            Object v = e.getValue();
            if (v instanceof Number n && c.transforms()) {
                // decimal arithmetic, so 123 * 0.1 is 12.3 and not 12.300000000000001
                BigDecimal x = n instanceof Long l ? BigDecimal.valueOf(l) : BigDecimal.valueOf(n.doubleValue());
                v = x.multiply(c.scale()).add(c.offset()).doubleValue();
            }
            values.put(c.name(), v);
            if (!c.unit().isEmpty()) {
                units.put(c.name(), c.unit());
            }
        }
        return new Mapped(values, units);
    }

    /** A key from a device line made safe as one state key segment. */
    static String segment(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append(c == '/' || Character.isWhitespace(c) || Character.isISOControl(c) ? '_' : c);
        }
        return b.length() == 0 ? "_" : b.toString();
    }
}
