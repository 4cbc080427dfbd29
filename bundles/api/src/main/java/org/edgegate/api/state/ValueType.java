package org.edgegate.api.state;

/** The types a state value can have. */
public enum ValueType {
    NUMBER, BOOLEAN, STRING, BYTES;

    public static ValueType of(Object value) {
        if (value instanceof Number) {
            return NUMBER;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof String) {
            return STRING;
        } else if (value instanceof byte[]) {
            return BYTES;
        }
        throw new IllegalArgumentException("not a state value type: "
                + (value == null ? "null" : value.getClass().getName()));
    }
}
