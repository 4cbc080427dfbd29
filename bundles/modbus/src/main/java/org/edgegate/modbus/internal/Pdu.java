package org.edgegate.modbus.internal;

import java.util.Arrays;

/**
 * Modbus PDUs (function code and data) for the functions this bundle uses: read coils (1), discrete inputs
 * (2), holding registers (3), input registers (4), write single coil (5), single register (6), multiple
 * registers (16). The framings ({@link Framing}) wrap them for RTU and TCP.
 */
final class Pdu {
    static final int MAX_REGISTERS = 125;
    static final int MAX_BITS = 2000;
    static final int WRITE_COIL = 5;
    static final int WRITE_REGISTER = 6;
    static final int WRITE_REGISTERS = 16;

    private Pdu() {
    }

    /** A read of {@code count} items of {@code table} from {@code address}. */
    static byte[] read(Table table, int address, int count) {
        int max = table.bits() ? MAX_BITS : MAX_REGISTERS;
        if (count < 1 || count > max || address < 0 || address + count > 0x10000) {
            throw new IllegalArgumentException("cannot read " + count + " " + table + " from " + address);
        }
        return new byte[] {(byte) table.readFunction(), hi(address), lo(address), hi(count), lo(count)};
    }

    static byte[] writeCoil(int address, boolean on) {
        return new byte[] {WRITE_COIL, hi(address), lo(address), (byte) (on ? 0xFF : 0), 0};
    }

    /** Function 6 for one word, 16 for more. */
    static byte[] writeRegisters(int address, int[] words) {
        if (words.length == 1) {
            return new byte[] {WRITE_REGISTER, hi(address), lo(address), hi(words[0]), lo(words[0])};
        }
        byte[] pdu = new byte[6 + 2 * words.length];
        pdu[0] = WRITE_REGISTERS;
        pdu[1] = hi(address);
        pdu[2] = lo(address);
        pdu[3] = hi(words.length);
        pdu[4] = lo(words.length);
        pdu[5] = (byte) (2 * words.length);
        for (int i = 0; i < words.length; i++) {
            pdu[6 + 2 * i] = hi(words[i]);
            pdu[7 + 2 * i] = lo(words[i]);
        }
        return pdu;
    }

    /**
     * The length of the whole response PDU once its first {@code have} bytes are known (function code,
     * and the byte count for reads), or -1 when more bytes are needed to tell; an exception is 2 bytes.
     */
    static int responseLength(byte[] pdu, int have) {
        if (have < 1) {
            return -1;
        }
        int fc = pdu[0] & 0xFF;
        if ((fc & 0x80) != 0) {
            return 2;
        }
        return switch (fc) {
            case 1, 2, 3, 4 -> have < 2 ? -1 : 2 + (pdu[1] & 0xFF);
            case 5, 6, 15, 16 -> 5;
            default -> 0; // a function we never ask for: the frame is garbage
        };
    }

    /**
     * Checks a response against its request: the same function, no exception, the expected size.
     *
     * @throws ModbusException for an exception response
     * @throws java.io.IOException (as {@link FrameException}) when it does not answer the request
     */
    static void check(byte[] request, byte[] response) throws ModbusException, FrameException {
        int fc = request[0] & 0xFF;
        int got = response[0] & 0xFF;
        if (got == (fc | 0x80)) {
            throw new ModbusException(response.length > 1 ? response[1] & 0xFF : 0);
        }
        if (got != fc) {
            throw new FrameException("answer to function " + got + " instead of " + fc);
        }
        if (fc <= 4) {
            int count = u16(request, 3);
            int bytes = fc <= 2 ? (count + 7) / 8 : 2 * count;
            if (response.length != 2 + bytes || (response[1] & 0xFF) != bytes) {
                throw new FrameException("answer of " + (response.length - 2) + " bytes to a read of " + bytes);
            }
        } else if (!Arrays.equals(Arrays.copyOf(response, 3), Arrays.copyOf(request, 3))) {
            throw new FrameException("write answered for another address");
        }
    }

    /** The 16-bit words of a register read response. */
    static int[] words(byte[] response) {
        int[] w = new int[(response[1] & 0xFF) / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = u16(response, 2 + 2 * i);
        }
        return w;
    }

    /** Bit {@code i} of a coil or discrete input read response. */
    static boolean bit(byte[] response, int i) {
        return ((response[2 + i / 8] >> (i % 8)) & 1) != 0;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static byte hi(int v) {
        return (byte) (v >> 8);
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    /** A frame that is not the answer to the request: bad CRC, wrong unit or function, wrong size. */
    static final class FrameException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        FrameException(String message) {
            super(message);
        }
    }

    /** The device answered with a Modbus exception code. */
    static final class ModbusException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        ModbusException(int code) {
            super("Modbus exception " + code + " (" + name(code) + ")");
            this.code = code;
        }

        int code() {
            return code;
        }

        static String name(int code) {
            return switch (code) {
                case 1 -> "illegal function";
                case 2 -> "illegal data address";
                case 3 -> "illegal data value";
                case 4 -> "server device failure";
                case 5 -> "acknowledge";
                case 6 -> "server device busy";
                case 10 -> "gateway path unavailable";
                case 11 -> "gateway target device failed to respond";
                default -> "code " + code;
            };
        }
    }
}
