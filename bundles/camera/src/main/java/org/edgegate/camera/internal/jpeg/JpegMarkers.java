package org.edgegate.camera.internal.jpeg;

import java.io.ByteArrayOutputStream;

/**
 * Reads a JPEG's marker segments without decoding it: the frame size (SOF), whether Huffman tables (DHT)
 * are present, and inserts the standard tables when they are missing. Many UVC cameras send MJPG frames
 * without DHT (the AVI MJPEG convention of ISO/IEC 10918-1 Annex K tables being implied); most decoders
 * outside the camera world refuse such a frame.
 */
public final class JpegMarkers {
    private static final int SOI = 0xD8;
    private static final int SOS = 0xDA;
    private static final int DHT = 0xC4;

    private JpegMarkers() {
    }

    /** Width and height from the start-of-frame segment, or null when the bytes hold no readable one. */
    public static int[] size(byte[] jpeg) {
        int[] found = new int[2];
        int r = scan(jpeg, (marker, at, length) -> {
            if (isStartOfFrame(marker) && length >= 7) {
                found[1] = ((jpeg[at + 5] & 0xFF) << 8) | (jpeg[at + 6] & 0xFF);
                found[0] = ((jpeg[at + 7] & 0xFF) << 8) | (jpeg[at + 8] & 0xFF);
                return true;
            }
            return false;
        });
        return r >= 0 && found[0] > 0 && found[1] > 0 ? found : null;
    }

    /** True when a DHT segment comes before the scan. */
    public static boolean hasHuffmanTables(byte[] jpeg) {
        return scan(jpeg, (marker, at, length) -> marker == DHT) >= 0;
    }

    /**
     * The JPEG with the standard Huffman tables (ISO/IEC 10918-1 Annex K.3) inserted before the first scan
     * when it has none; the same array when it has its own (or is not a JPEG we can read).
     */
    public static byte[] withStandardHuffmanTables(byte[] jpeg) {
        int sos = scan(jpeg, (marker, at, length) -> marker == SOS || marker == DHT);
        if (sos < 0 || (jpeg[sos + 1] & 0xFF) != SOS) {
            return jpeg;
        }
        byte[] out = new byte[jpeg.length + STANDARD_DHT.length];
        System.arraycopy(jpeg, 0, out, 0, sos);
        System.arraycopy(STANDARD_DHT, 0, out, sos, STANDARD_DHT.length);
        System.arraycopy(jpeg, sos, out, sos + STANDARD_DHT.length, jpeg.length - sos);
        return out;
    }

    private interface Visitor {
        /** {@code at}: offset of the marker's 0xFF; {@code length}: the segment length field. */
        boolean visit(int marker, int at, int length);
    }

    /**
     * Walks the segments from SOI up to and including the first SOS; returns the offset of the first segment
     * the visitor accepts, -1 when none does or the bytes are not a JPEG.
     */
    private static int scan(byte[] b, Visitor v) {
        if (b == null || b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != SOI) {
            return -1;
        }
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return -1;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2 || i + 2 + length > b.length) {
                return -1;
            }
            if (v.visit(marker, i, length)) {
                return i;
            }
            if (marker == SOS || marker == 0xD9) {
                return -1;
            }
            i += 2 + length;
        }
        return -1;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != 0xCC;
    }

    // ---- ISO/IEC 10918-1 Annex K.3: the typical Huffman tables --------------------------------------
    // Each table: the number of codes of each length 1..16 (BITS), then the symbols in code order (HUFFVAL).

    /** Table K.3: luminance DC differences. */
    private static final int[] DC_LUMA_BITS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    /** Table K.4: chrominance DC differences. */
    private static final int[] DC_CHROMA_BITS = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    /** Both DC tables code the size categories 0 to 11. */
    private static final int[] DC_VALUES = range(0x00, 0x0B);

    /** Table K.5: luminance AC coefficients (run/size). */
    private static final int[] AC_LUMA_BITS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D};
    private static final int[] AC_LUMA_VALUES = concat(new int[] {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2A},
        range(0x34, 0x3A), range(0x43, 0x4A), range(0x53, 0x5A), range(0x63, 0x6A), range(0x73, 0x7A),
        range(0x83, 0x8A), range(0x92, 0x9A), range(0xA2, 0xAA), range(0xB2, 0xBA), range(0xC2, 0xCA),
        range(0xD2, 0xDA), range(0xE1, 0xEA), range(0xF1, 0xFA));

    /** Table K.6: chrominance AC coefficients (run/size). */
    private static final int[] AC_CHROMA_BITS = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] AC_CHROMA_VALUES = concat(new int[] {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
        0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
        0x27, 0x28, 0x29, 0x2A},
        range(0x35, 0x3A), range(0x43, 0x4A), range(0x53, 0x5A), range(0x63, 0x6A), range(0x73, 0x7A),
        range(0x82, 0x8A), range(0x92, 0x9A), range(0xA2, 0xAA), range(0xB2, 0xBA), range(0xC2, 0xCA),
        range(0xD2, 0xDA), range(0xE2, 0xEA), range(0xF2, 0xFA));

    /** One DHT segment holding the four tables: class/id 0x00, 0x10, 0x01, 0x11 as baseline decoders expect. */
    public static final byte[] STANDARD_DHT = dht();

    private static byte[] dht() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        table(body, 0x00, DC_LUMA_BITS, DC_VALUES);
        table(body, 0x10, AC_LUMA_BITS, AC_LUMA_VALUES);
        table(body, 0x01, DC_CHROMA_BITS, DC_VALUES);
        table(body, 0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES);
        byte[] b = body.toByteArray();
        byte[] seg = new byte[4 + b.length];
        seg[0] = (byte) 0xFF;
        seg[1] = (byte) DHT;
        seg[2] = (byte) ((b.length + 2) >> 8);
        seg[3] = (byte) (b.length + 2);
        System.arraycopy(b, 0, seg, 4, b.length);
        return seg;
    }

    private static void table(ByteArrayOutputStream out, int classAndId, int[] bits, int[] values) {
        int count = 0;
        for (int n : bits) {
            count += n;
        }
        if (count != values.length) {
            throw new IllegalStateException("Huffman table " + classAndId + ": " + count + " codes, " + values.length + " symbols");
        }
        out.write(classAndId);
        for (int n : bits) {
            out.write(n);
        }
        for (int v : values) {
            out.write(v);
        }
    }

    private static int[] range(int first, int last) {
        int[] r = new int[last - first + 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = first + i;
        }
        return r;
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] r = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }
}
