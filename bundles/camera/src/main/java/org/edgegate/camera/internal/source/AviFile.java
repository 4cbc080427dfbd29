package org.edgegate.camera.internal.source;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The frames of an MJPG {@code .avi}, read as the JPEG chunks they are stored as, never decoded. Parses
 * the RIFF structure: the header list ({@code avih}, the first video stream's {@code strh}), every
 * {@code movi} list (also those of OpenDML {@code AVIX} extensions), and the {@code idx1} index when
 * present; without a usable index the {@code movi} lists are walked. Frames are the video stream's
 * {@code NNdc} chunks, read with positional reads so the file can be played in a loop.
 */
public final class AviFile implements Closeable {
    private final FileChannel channel;
    private final long[] offsets;
    private final int[] lengths;
    private final int width;
    private final int height;
    private final double fps;
    private final boolean indexed;

    private AviFile(FileChannel channel, long[] offsets, int[] lengths, int width, int height, double fps,
            boolean indexed) {
        this.channel = channel;
        this.offsets = offsets;
        this.lengths = lengths;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.indexed = indexed;
    }

    /** Not an AVI, or one without JPEG frames: the message says which. */
    public static final class NotMjpegException extends IOException {
        private static final long serialVersionUID = 1L;

        NotMjpegException(String message) {
            super(message);
        }
    }

    /** Opens and indexes the file. */
    public static AviFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            AviFile f = new Parser(ch, path).parse();
            ch = null;
            return f;
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    public int frameCount() {
        return offsets.length;
    }

    /** Width and height from the header; the frames' own JPEG headers are authoritative. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames per second from the stream header, 0 when it says nothing usable. */
    public double fps() {
        return fps;
    }

    /** True when the frames were found through {@code idx1}, false when the movi lists were walked. */
    public boolean indexed() {
        return indexed;
    }

    /** The bytes of frame {@code i} exactly as stored in its chunk. */
    public byte[] frame(int i) throws IOException {
        byte[] b = new byte[lengths[i]];
        ByteBuffer buf = ByteBuffer.wrap(b);
        long pos = offsets[i];
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos + buf.position());
            if (n < 0) {
                throw new EOFException("frame " + i + " ends past the end of the file (truncated?)");
            }
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static final class Parser {
        private final FileChannel ch;
        private final Path path;
        private final long size;
        private final ByteBuffer hdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        private int width;
        private int height;
        private double fps;
        private long microsPerFrame;
        private int videoStream = -1;
        private int streams;
        private long firstMovi = -1;
        private int riffs;
        private long idx1 = -1;
        private int idx1Length;
        private final LongList moviStarts = new LongList();
        private final LongList moviEnds = new LongList();

        Parser(FileChannel ch, Path path) throws IOException {
            this.ch = ch;
            this.path = path;
            this.size = ch.size();
        }

        AviFile parse() throws IOException {
            long pos = 0;
            while (pos + 12 <= size) {
                read(pos, 12);
                String id = fourcc(0);
                long len = u32(4);
                String type = fourcc(8);
                if (!id.equals("RIFF") || !(type.equals("AVI ") || type.equals("AVIX"))) {
                    if (riffs == 0) {
                        throw new NotMjpegException(path + " is not an AVI file (no RIFF AVI header)");
                    }
                    break; // trailing bytes after the RIFF chunks
                }
                riffs++;
                long end = Math.min(size, pos + 8 + len);
                walkList(pos + 12, end, riffs == 1);
                pos = pos + 8 + len + (len & 1);
            }
            if (videoStream < 0) {
                throw new NotMjpegException(path + " has no video stream");
            }
            double rate = fps > 0 ? fps : microsPerFrame > 0 ? 1e6 / microsPerFrame : 0;
            LongList offs = new LongList();
            IntList lens = new IntList();
            boolean indexed = riffs == 1 && idx1 >= 0 && fromIdx1(offs, lens);
            if (!indexed) {
                offs.clear();
                lens.clear();
                for (int i = 0; i < moviStarts.size(); i++) {
                    walkMovi(moviStarts.get(i), moviEnds.get(i), offs, lens);
                }
            }
            if (offs.size() == 0) {
                throw new NotMjpegException(path + " holds no video frames");
            }
            AviFile f = new AviFile(ch, offs.toArray(), lens.toArray(), width, height, rate, indexed);
            byte[] first = f.frame(0);
            if (first.length < 2 || (first[0] & 0xFF) != 0xFF || (first[1] & 0xFF) != 0xD8) {
                throw new NotMjpegException(path + " is an AVI whose video is not MJPG (its frames are not JPEG)");
            }
            return f;
        }

        /** Walks the chunks of a list's body; descends into hdrl and strl, notes movi lists and idx1. */
        private void walkList(long pos, long end, boolean first) throws IOException {
            while (pos + 8 <= end) {
                read(pos, Math.min(12, (int) (end - pos)));
                String id = fourcc(0);
                long len = u32(4);
                long body = pos + 8;
                if (id.equals("LIST") && pos + 12 <= end) {
                    String type = fourcc(8);
                    long listEnd = Math.min(end, body + len);
                    if (type.equals("movi")) {
                        if (firstMovi < 0) {
                            firstMovi = body;
                        }
                        moviStarts.add(body + 4);
                        moviEnds.add(listEnd);
                    } else if (type.equals("hdrl") || type.equals("strl")) {
                        walkList(body + 4, listEnd, first);
                    }
                } else if (id.equals("avih") && len >= 40) {
                    ByteBuffer b = bytes(body, 40);
                    microsPerFrame = b.getInt(0) & 0xFFFFFFFFL;
                    width = b.getInt(32);
                    height = b.getInt(36);
                } else if (id.equals("strh") && len >= 32) {
                    ByteBuffer b = bytes(body, 32);
                    if (fourcc(b, 0).equals("vids") && videoStream < 0) {
                        videoStream = streams;
                        long scale = b.getInt(20) & 0xFFFFFFFFL;
                        long rate = b.getInt(24) & 0xFFFFFFFFL;
                        fps = scale > 0 && rate > 0 ? (double) rate / scale : 0;
                    }
                    streams++;
                } else if (id.equals("idx1") && first) {
                    idx1 = body;
                    idx1Length = (int) Math.min(len, end - body);
                }
                pos = body + len + (len & 1);
            }
        }

        /** Frames from idx1; false when it does not fit the file (then the movi lists are walked). */
        private boolean fromIdx1(LongList offs, IntList lens) throws IOException {
            if (firstMovi < 0 || idx1Length < 16) {
                return false;
            }
            ByteBuffer b = bytes(idx1, idx1Length);
            String want = chunkId();
            long base = -1;
            for (int at = 0; at + 16 <= idx1Length; at += 16) {
                if (!fourcc(b, at).equals(want)) {
                    continue;
                }
                long off = b.getInt(at + 8) & 0xFFFFFFFFL;
                int len = b.getInt(at + 12);
                if (base < 0) {
                    // Offsets count from the 'movi' id (usual) or from the start of the file (some writers).
                    if (matches(firstMovi + off, want)) {
                        base = firstMovi;
                    } else if (matches(off, want)) {
                        base = 0;
                    } else {
                        return false;
                    }
                }
                long data = base + off + 8;
                if (len < 0 || data + len > size) {
                    return false;
                }
                if (len > 0) {
                    offs.add(data);
                    lens.add(len);
                }
            }
            return offs.size() > 0;
        }

        private void walkMovi(long pos, long end, LongList offs, IntList lens) throws IOException {
            String want = chunkId();
            while (pos + 8 <= end) {
                read(pos, 8);
                String id = fourcc(0);
                long len = u32(4);
                if (id.equals("LIST")) { // 'rec ' lists group chunks: step inside
                    pos += 12;
                    continue;
                }
                if (id.equals(want) && len > 0 && pos + 8 + len <= size) {
                    offs.add(pos + 8);
                    lens.add((int) len);
                }
                pos += 8 + len + (len & 1);
            }
        }

        private String chunkId() {
            return String.format("%02ddc", videoStream);
        }

        private boolean matches(long pos, String id) throws IOException {
            if (pos < 0 || pos + 8 > size) {
                return false;
            }
            read(pos, 4);
            return fourcc(0).equals(id);
        }

        private void read(long pos, int n) throws IOException {
            hdr.clear().limit(n);
            while (hdr.hasRemaining()) {
                if (ch.read(hdr, pos + hdr.position()) < 0) {
                    throw new EOFException(path + " ends inside a chunk header (truncated?)");
                }
            }
        }

        private ByteBuffer bytes(long pos, int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    throw new EOFException(path + " ends inside a header (truncated?)");
                }
            }
            return b.clear();
        }

        private String fourcc(int at) {
            return fourcc(hdr, at);
        }

        private long u32(int at) {
            return hdr.getInt(at) & 0xFFFFFFFFL;
        }

        private static String fourcc(ByteBuffer b, int at) {
            byte[] c = new byte[4];
            for (int i = 0; i < 4; i++) {
                c[i] = b.get(at + i);
            }
            return new String(c, StandardCharsets.ISO_8859_1);
        }
    }

    private static final class LongList {
        private long[] a = new long[256];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        void clear() {
            n = 0;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class IntList {
        private int[] a = new int[256];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void clear() {
            n = 0;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
