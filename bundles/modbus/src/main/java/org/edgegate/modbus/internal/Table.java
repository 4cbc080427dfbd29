package org.edgegate.modbus.internal;

import java.util.Locale;

/** The four Modbus tables, with the function that reads each. */
enum Table {
    COIL(1, true, true), DISCRETE(2, true, false), INPUT(4, false, false), HOLDING(3, false, true);

    private final int readFunction;
    private final boolean bits;
    private final boolean writable;

    Table(int readFunction, boolean bits, boolean writable) {
        this.readFunction = readFunction;
        this.bits = bits;
        this.writable = writable;
    }

    int readFunction() {
        return readFunction;
    }

    /** Coils and discrete inputs hold bits, the others 16-bit words. */
    boolean bits() {
        return bits;
    }

    boolean writable() {
        return writable;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
