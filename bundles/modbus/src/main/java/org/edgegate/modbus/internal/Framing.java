package org.edgegate.modbus.internal;

import java.io.IOException;

import org.edgegate.modbus.internal.Pdu.FrameException;

/**
 * How a PDU travels: RTU (unit, PDU, CRC-16; frames told apart by silence) on serial lines and
 * {@code socket://}, or Modbus TCP (the MBAP header: transaction, protocol 0, length, unit) on {@code tcp://}.
 */
abstract class Framing {
    /** The largest PDU: 253 bytes (a 256-byte RTU frame less unit and CRC). */
    static final int MAX_PDU = 253;

    /** The frame to send for {@code pdu} to {@code unit}. */
    abstract byte[] frame(int unit, byte[] pdu);

    /**
     * Reads the answer to the last frame sent: its PDU, or null when nothing came before the deadline.
     *
     * @throws FrameException for bytes that are not that answer (bad CRC, another unit, cut short)
     */
    abstract byte[] answer(Incoming in, int unit, long deadlineNanos) throws IOException;

    /** Whether frames need the 3.5-character silence between them. */
    abstract boolean silent();

    static final class Rtu extends Framing {
        @Override
        byte[] frame(int unit, byte[] pdu) {
            byte[] f = new byte[pdu.length + 3];
            f[0] = (byte) unit;
            System.arraycopy(pdu, 0, f, 1, pdu.length);
            int crc = Crc16.of(f, 0, pdu.length + 1);
            f[pdu.length + 1] = (byte) crc;
            f[pdu.length + 2] = (byte) (crc >> 8);
            return f;
        }

        @Override
        byte[] answer(Incoming in, int unit, long deadlineNanos) throws IOException {
            int first = in.next(deadlineNanos);
            if (first < 0) {
                return null;
            }
            byte[] f = new byte[MAX_PDU + 3];
            f[0] = (byte) first;
            byte[] pdu = new byte[MAX_PDU];
            int have = 0;
            int length = -1;
            while (length < 0 || have < length) {
                int b = in.next(deadlineNanos);
                if (b < 0) {
                    throw new FrameException("answer cut short after " + (have + 1) + " bytes");
                }
                pdu[have++] = (byte) b;
                if (length < 0) {
                    length = Pdu.responseLength(pdu, have);
                    if (length == 0 || length > MAX_PDU) {
                        throw new FrameException("garbage on the line (function " + (pdu[0] & 0xFF) + ")");
                    }
                }
            }
            int lo = in.next(deadlineNanos);
            int hi = lo < 0 ? -1 : in.next(deadlineNanos);
            if (hi < 0) {
                throw new FrameException("answer cut short before its CRC");
            }
            System.arraycopy(pdu, 0, f, 1, length);
            int crc = Crc16.of(f, 0, length + 1);
            if (crc != (lo | (hi << 8))) {
                throw new FrameException("CRC error");
            }
            if (first != unit) {
                throw new FrameException("answer from unit " + first + " instead of " + unit);
            }
            return java.util.Arrays.copyOf(pdu, length);
        }

        @Override
        boolean silent() {
            return true;
        }
    }

    static final class Tcp extends Framing {
        private int transaction;

        @Override
        byte[] frame(int unit, byte[] pdu) {
            transaction = (transaction + 1) & 0xFFFF;
            byte[] f = new byte[pdu.length + 7];
            f[0] = (byte) (transaction >> 8);
            f[1] = (byte) transaction;
            int length = pdu.length + 1;
            f[4] = (byte) (length >> 8);
            f[5] = (byte) length;
            f[6] = (byte) unit;
            System.arraycopy(pdu, 0, f, 7, pdu.length);
            return f;
        }

        /** Skips answers to earlier transactions (late answers to requests that timed out). */
        @Override
        byte[] answer(Incoming in, int unit, long deadlineNanos) throws IOException {
            while (true) {
                byte[] header = new byte[7];
                for (int i = 0; i < 7; i++) {
                    int b = in.next(deadlineNanos);
                    if (b < 0) {
                        if (i == 0) {
                            return null;
                        }
                        throw new FrameException("MBAP header cut short");
                    }
                    header[i] = (byte) b;
                }
                int length = Pdu.u16(header, 4);
                if (Pdu.u16(header, 2) != 0 || length < 2 || length > MAX_PDU + 1) {
                    throw new FrameException("not a Modbus TCP header (protocol " + Pdu.u16(header, 2) + ", length "
                            + length + ")");
                }
                byte[] pdu = new byte[length - 1];
                for (int i = 0; i < pdu.length; i++) {
                    int b = in.next(deadlineNanos);
                    if (b < 0) {
                        throw new FrameException("answer cut short");
                    }
                    pdu[i] = (byte) b;
                }
                if (Pdu.u16(header, 0) != transaction) {
                    continue;
                }
                if ((header[6] & 0xFF) != unit) {
                    throw new FrameException("answer from unit " + (header[6] & 0xFF) + " instead of " + unit);
                }
                return pdu;
            }
        }

        @Override
        boolean silent() {
            return false;
        }
    }
}
