package org.edgegate.clips.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An MJPEG {@code .avi} (AVI 1.0: RIFF {@code AVI }, one video stream {@code vids}/{@code MJPG}, {@code 00dc}
 * chunks holding the JPEGs as given, an {@code idx1} index), the layout VLC, ffmpeg, OpenCV and the camera
 * bundle's AVI source read. The header is a fixed 224 bytes, so {@link #sync()} can patch the sizes and the
 * frame count in place while recording: a file cut by a crash is readable up to its last patch, and
 * {@link #repair} makes it whole up to its last whole frame (then with an index).
 */
final class AviWriter implements Closeable {
    /** RIFF AVI 1.0 sizes are 32-bit; stay well inside. */
    static final long MAX_BYTES = 1L << 30;
    private static final int MOVI_ID = 220;
    private static final int FIRST_CHUNK = 224;
    private static final int AVIF_HASINDEX = 0x10;
    private static final int AVIIF_KEYFRAME = 0x10;

    private final FileChannel ch;
    private final int width;
    private final int height;
    private long end = FIRST_CHUNK;
    private int frames;
    private int maxChunk;
    private int[] offsets = new int[256];
    private int[] lengths = new int[256];

    private AviWriter(FileChannel ch, int width, int height) {
        this.ch = ch;
        this.width = width;
        this.height = height;
    }

    /** Makes {@code path} (replacing any file there) with the header of an empty clip. */
    static AviWriter create(Path path, int width, int height, double fps) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        AviWriter w = new AviWriter(ch, width, height);
        w.writeHeader(fps, false);
        return w;
    }

    int frames() {
        return frames;
    }

    long bytes() {
        return end;
    }

    /** Appends one frame; false (nothing written) when the file would pass {@link #MAX_BYTES}. */
    boolean write(byte[] jpeg) throws IOException {
        int pad = jpeg.length & 1;
        if (end + 8 + jpeg.length + pad + 16L * (frames + 1) + 8 > MAX_BYTES) {
            return false;
        }
        ByteBuffer head = le(8).put(ascii("00dc")).putInt(jpeg.length).flip();
        ByteBuffer[] parts = pad == 0 ? new ByteBuffer[] {head, ByteBuffer.wrap(jpeg)}
                : new ByteBuffer[] {head, ByteBuffer.wrap(jpeg), ByteBuffer.allocate(1)};
        ch.position(end);
        long n = 8L + jpeg.length + pad;
        while (n > 0) {
            n -= ch.write(parts);
        }
        note((int) (end - MOVI_ID), jpeg.length);
        end += 8L + jpeg.length + pad;
        return true;
    }

    private void note(int offset, int length) {
        if (frames == offsets.length) {
            offsets = Arrays.copyOf(offsets, frames * 2);
            lengths = Arrays.copyOf(lengths, frames * 2);
        }
        offsets[frames] = offset;
        lengths[frames] = length;
        frames++;
        maxChunk = Math.max(maxChunk, length);
    }

    /** Patches the sizes and the frame count into the header, so what is written so far is a readable file. */
    void sync(double fps) throws IOException {
        writeHeader(fps, false);
    }

    /** Appends the index and the final header; {@code fps}: the clip's average rate. */
    void finish(double fps) throws IOException {
        ByteBuffer idx = le(8 + 16 * frames).put(ascii("idx1")).putInt(16 * frames);
        for (int i = 0; i < frames; i++) {
            idx.put(ascii("00dc")).putInt(AVIIF_KEYFRAME).putInt(offsets[i]).putInt(lengths[i]);
        }
        idx.flip();
        long at = end;
        while (idx.hasRemaining()) {
            at += ch.write(idx, at);
        }
        writeHeader(fps, true);
        ch.force(false);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    private void writeHeader(double fps, boolean indexed) throws IOException {
        double rate = fps > 0 && fps < 1000 ? fps : 25;
        int scale = 1000;
        int rateTimesScale = (int) Math.round(rate * scale);
        long fileEnd = indexed ? end + 8 + 16L * frames : end;
        ByteBuffer h = le(FIRST_CHUNK);
        h.put(ascii("RIFF")).putInt((int) (fileEnd - 8)).put(ascii("AVI "));
        h.put(ascii("LIST")).putInt(192).put(ascii("hdrl"));
        h.put(ascii("avih")).putInt(56);
        h.putInt((int) Math.round(1e6 / rate)).putInt(0).putInt(0).putInt(indexed ? AVIF_HASINDEX : 0)
                .putInt(frames).putInt(0).putInt(1).putInt(maxChunk + 8).putInt(width).putInt(height)
                .put(new byte[16]);
        h.put(ascii("LIST")).putInt(116).put(ascii("strl"));
        h.put(ascii("strh")).putInt(56);
        h.put(ascii("vids")).put(ascii("MJPG")).putInt(0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(scale).putInt(rateTimesScale).putInt(0).putInt(frames).putInt(maxChunk + 8).putInt(-1)
                .putInt(0).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height);
        h.put(ascii("strf")).putInt(40);
        h.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).put(ascii("MJPG"))
                .putInt(width * height * 3).putInt(0).putInt(0).putInt(0).putInt(0);
        h.put(ascii("LIST")).putInt((int) (end - MOVI_ID - 4 + 4)).put(ascii("movi"));
        h.flip();
        long at = 0;
        while (h.hasRemaining()) {
            at += ch.write(h, at);
        }
    }

    /**
     * Makes a file this class wrote, cut short by a crash, whole: keeps its frames up to the last complete
     * chunk, cuts what follows, appends the index and patches the header. A file that is already complete
     * (it has its index) is left as it is.
     *
     * @return the frames the file holds
     * @throws IOException when the file is not one of ours (no header of this layout)
     */
    static int repair(Path path, double fps) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer h = le(FIRST_CHUNK);
            read(ch, h, 0);
            if (size < FIRST_CHUNK || !fourcc(h, 0).equals("RIFF") || !fourcc(h, 8).equals("AVI ")
                    || !fourcc(h, 220).equals("movi")) {
                throw new IOException(path.getFileName() + " is not a clip file (no header of our layout)");
            }
            AviWriter w = new AviWriter(ch, h.getInt(64), h.getInt(68));
            ByteBuffer chunk = le(8);
            long pos = FIRST_CHUNK;
            while (pos + 8 <= size) {
                read(ch, chunk.clear(), pos);
                String id = fourcc(chunk, 0);
                long len = chunk.getInt(4) & 0xFFFFFFFFL;
                if (id.equals("idx1")) {
                    return w.frames; // finished before the crash: complete as it is
                }
                if (!id.equals("00dc") || pos + 8 + len > size || len > MAX_BYTES) {
                    break; // the chunk the crash cut (or garbage after it)
                }
                w.note((int) (pos - MOVI_ID), (int) len);
                pos += 8 + len + (len & 1);
            }
            w.end = Math.min(pos, size);
            ch.truncate(w.end);
            if (w.end < pos) { // the last frame's pad byte was cut
                ch.write(ByteBuffer.allocate(1), w.end);
                w.end = pos;
            }
            w.finish(fps);
            return w.frames;
        }
    }

    private static void read(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                break;
            }
        }
        b.flip();
    }

    private static String fourcc(ByteBuffer b, int at) {
        byte[] c = new byte[4];
        for (int i = 0; i < 4; i++) {
            c[i] = b.get(at + i);
        }
        return new String(c, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
