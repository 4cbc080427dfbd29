package org.edgegate.kernel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reading service properties that another bundle sets: a whiteboard's filter (camera ids, sensor ids, state
 * key prefixes, source schemes) may be one String, a String[] or a Collection; each reader sees a list.
 */
public final class ServiceProperties {
    /** More values than any filter needs; a property with more is refused, not read. */
    public static final int MAX_VALUES = 1024;

    private ServiceProperties() {
    }

    /**
     * The values of a String, String[] or Collection property (anything else as its text), in order, nulls left
     * out; empty when absent. Values are as given: trimming or dropping blanks is the caller's choice.
     *
     * @throws IllegalArgumentException when it has more than {@link #MAX_VALUES} values
     */
    public static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        Object[] all = value instanceof Object[] a ? a
                : value instanceof Collection<?> c ? c.toArray() : new Object[] {value};
        if (all.length > MAX_VALUES) {
            throw new IllegalArgumentException("service property with " + all.length + " values refused (at most "
                    + MAX_VALUES + ")");
        }
        List<String> out = new ArrayList<>(all.length);
        for (Object o : all) {
            if (o != null) {
                out.add(o.toString());
            }
        }
        return List.copyOf(out);
    }

    /** The first value of a property, trimmed; {@code fallback} when absent or blank. */
    public static String first(Object value, String fallback) {
        List<String> v = strings(value);
        return v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0).trim();
    }
}
