package org.edgegate.modbus.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a device's register map, {@code name:table:address:type[*scale][+offset][:unit][:rw]}, and
 * how its words become a value and a value its words. Words are big-endian within themselves (Modbus);
 * {@code littleWordOrder} puts the least significant word first for 32- and 64-bit types.
 */
record Register(String name, Table table, int address, Type type, BigDecimal scale, BigDecimal offset, String unit,
        boolean writable) {

    /** Entries per device: a map is typed in by hand, so this is generous. */
    static final int MAX_ENTRIES = 512;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TYPE = Pattern.compile(
            "([a-z0-9]+)(?:\\*(-?\\d+(?:\\.\\d+)?))?(?:([+-]-?\\d+(?:\\.\\d+)?))?");

    enum Type {
        BOOL(0), INT16(1), UINT16(1), INT32(2), UINT32(2), FLOAT32(2), INT64(4), FLOAT64(4);

        private final int words;

        Type(int words) {
            this.words = words;
        }

        /** 16-bit words it takes; 0 for a bit. */
        int words() {
            return words;
        }

        boolean floating() {
            return this == FLOAT32 || this == FLOAT64;
        }
    }

    /** Items of its table it takes: one bit, or its words. */
    int size() {
        return Math.max(1, type.words);
    }

    boolean scaled() {
        return scale.compareTo(BigDecimal.ONE) != 0 || offset.signum() != 0;
    }

    /** Parses comma-separated entries (also several values, each possibly comma-separated). */
    static List<Register> parseAll(String[] entries) {
        List<Register> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String value : entries == null ? new String[0] : entries) {
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                Register r = parse(entry.strip());
                if (!names.add(r.name)) {
                    throw new IllegalArgumentException("register name '" + r.name + "' is used twice");
                }
                out.add(r);
                if (out.size() > MAX_ENTRIES) {
                    throw new IllegalArgumentException("more than " + MAX_ENTRIES + " registers in one device");
                }
            }
        }
        return List.copyOf(out);
    }

    static Register parse(String entry) {
        String[] f = entry.split(":", -1);
        if (f.length < 4 || f.length > 6) {
            throw bad(entry, "expected name:table:address:type[*scale][+offset][:unit][:rw]");
        }
        String name = f[0].strip();
        if (!NAME.matcher(name).matches()) {
            throw bad(entry, "the name must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        Table table = switch (f[1].strip().toLowerCase(Locale.ROOT)) {
            case "coil" -> Table.COIL;
            case "discrete" -> Table.DISCRETE;
            case "input" -> Table.INPUT;
            case "holding" -> Table.HOLDING;
            default -> throw bad(entry, "table must be coil, discrete, input or holding, not '" + f[1].strip() + "'");
        };
        int address;
        try {
            String a = f[2].strip().toLowerCase(Locale.ROOT);
            address = a.startsWith("0x") ? Integer.parseInt(a.substring(2), 16) : Integer.parseInt(a);
        } catch (NumberFormatException e) {
            throw bad(entry, "address '" + f[2].strip() + "' is not a number");
        }
        Matcher m = TYPE.matcher(f[3].strip());
        if (!m.matches()) {
            throw bad(entry, "'" + f[3].strip() + "' is not type[*scale][+offset], e.g. int16*0.1 or uint16*0.5-40");
        }
        Type type;
        try {
            type = Type.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(entry, "type must be bool, int16, uint16, int32, uint32, float32, int64 or float64, not '"
                    + m.group(1) + "'");
        }
        BigDecimal scale = m.group(2) == null ? BigDecimal.ONE : new BigDecimal(m.group(2));
        BigDecimal offset = m.group(3) == null ? BigDecimal.ZERO
                : new BigDecimal(m.group(3).startsWith("+") ? m.group(3).substring(1) : m.group(3));
        if (scale.signum() == 0) {
            throw bad(entry, "a scale of 0 loses the value");
        }
        String unit = "";
        boolean rw = false;
        for (int i = 4; i < f.length; i++) {
            String extra = f[i].strip();
            if (i == f.length - 1 && extra.equalsIgnoreCase("rw")) {
                rw = true;
            } else if (i == 4) {
                unit = extra;
            } else {
                throw bad(entry, "after the unit only :rw may follow, not '" + extra + "'");
            }
        }
        if (table.bits() != (type == Type.BOOL)) {
            throw bad(entry, table.bits() ? table + " holds bits: use type bool" : "bool is for coil and discrete");
        }
        if (type == Type.BOOL && (scale.compareTo(BigDecimal.ONE) != 0 || offset.signum() != 0)) {
            throw bad(entry, "a bool takes no scale or offset");
        }
        if (rw && !table.writable()) {
            throw bad(entry, table + " is read-only in Modbus: only coil and holding take :rw");
        }
        int size = Math.max(1, type.words);
        if (address < 0 || address + size > 0x10000) {
            throw bad(entry, "address must be 0-65535 (0-based, as on the wire) and the value must fit below 65536");
        }
        return new Register(name, table, address, type, scale, offset, unit, rw);
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("register '" + entry + "': " + why);
    }

    // ---- words <-> values ----

    /**
     * The value of this register from its words ({@link #size()} of them, in wire order): a Long for
     * integers and bools (0/1), a Double for floats and scaled values; null for a float that is not a number.
     */
    Object decode(int[] words, boolean littleWordOrder) {
        long bits = join(words, littleWordOrder);
        Number raw = switch (type) {
            case BOOL, UINT16 -> bits;
            case INT16 -> (long) (short) bits;
            case INT32 -> (long) (int) bits;
            case UINT32, INT64 -> bits;
            case FLOAT32 -> (double) Float.intBitsToFloat((int) bits);
            case FLOAT64 -> Double.longBitsToDouble(bits);
        };
        if (raw instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (!scaled()) {
            return raw;
        }
        BigDecimal v = raw instanceof Double d ? new BigDecimal(Double.toString(d)) : BigDecimal.valueOf(raw.longValue());
        return v.multiply(scale).add(offset).doubleValue();
    }

    /**
     * The words to write for {@code value} (a number, or for a bool also true/false/on/off), in wire order.
     *
     * @throws IllegalArgumentException when the value cannot be written to this register (says why)
     */
    int[] encode(Object value, boolean littleWordOrder) {
        if (type == Type.BOOL) {
            return new int[] {bool(value) ? 1 : 0};
        }
        BigDecimal v;
        try {
            v = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        BigDecimal raw = v.subtract(offset).divide(scale, 12, RoundingMode.HALF_EVEN);
        long bits;
        if (type.floating()) {
            double d = raw.doubleValue();
            bits = type == Type.FLOAT32 ? Float.floatToIntBits((float) d) & 0xFFFFFFFFL : Double.doubleToLongBits(d);
        } else {
            BigDecimal whole = raw.setScale(0, RoundingMode.HALF_EVEN);
            BigDecimal[] range = switch (type) {
                case INT16 -> range(Short.MIN_VALUE, Short.MAX_VALUE);
                case UINT16 -> range(0, 0xFFFF);
                case INT32 -> range(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case UINT32 -> range(0, 0xFFFFFFFFL);
                default -> range(Long.MIN_VALUE, Long.MAX_VALUE);
            };
            if (whole.compareTo(range[0]) < 0 || whole.compareTo(range[1]) > 0) {
                throw new IllegalArgumentException(value + " is out of range for " + name + " (" + type.name()
                        .toLowerCase(Locale.ROOT) + (scaled() ? " * " + scale + " + " + offset : "") + ")");
            }
            bits = whole.longValue();
        }
        return split(bits, type.words, littleWordOrder);
    }

    static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "1", "1.0", "true", "on" -> true;
            case "0", "0.0", "false", "off" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not on/off: use true, false, 1 or 0");
        };
    }

    private static BigDecimal[] range(long min, long max) {
        return new BigDecimal[] {BigDecimal.valueOf(min), BigDecimal.valueOf(max)};
    }

    static long join(int[] words, boolean little) {
        long bits = 0;
        for (int i = 0; i < words.length; i++) {
            int w = words[little ? words.length - 1 - i : i] & 0xFFFF;
            bits = (bits << 16) | w;
        }
        return bits;
    }

    static int[] split(long bits, int count, boolean little) {
        int[] w = new int[count];
        for (int i = 0; i < count; i++) {
            int word = (int) (bits >>> (16 * (count - 1 - i))) & 0xFFFF;
            w[little ? count - 1 - i : i] = word;
        }
        return w;
    }
}
