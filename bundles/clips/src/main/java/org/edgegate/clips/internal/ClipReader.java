package org.edgegate.clips.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Reads back the clips this bundle wrote, for replay: the frames of a camera's .avi through its {@code idx1}
 * (our own fixed layout, {@link AviWriter}) with their capture times from the sidecar's frame lines. Files of
 * other writers are the camera bundle's AVI source's business.
 */
final class ClipReader {
    /** At most this many frames are replayed from one file. */
    static final int MAX_FRAMES = 100_000;

    record Frame(int index, long offset, int length, long time) {
    }

    private ClipReader() {
    }

    static List<Frame> frames(Path clipDir, String camera, Path avi) throws IOException {
        Map<Integer, Long> times = times(clipDir.resolve(Manifest.SIDECAR), camera);
        List<Frame> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(avi, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 224);
            if (!fourcc(h, 0).equals("RIFF") || !fourcc(h, 220).equals("movi")) {
                throw new IOException(avi.getFileName() + " is not a clip file");
            }
            long moviEnd = 220 + (h.getInt(216) & 0xFFFFFFFFL);
            ByteBuffer idx = read(ch, moviEnd, 8);
            if (!fourcc(idx, 0).equals("idx1")) {
                throw new IOException(avi.getFileName() + " has no index yet (being written)");
            }
            int entries = (int) Math.min(MAX_FRAMES, (idx.getInt(4) & 0xFFFFFFFFL) / 16);
            ByteBuffer e = read(ch, moviEnd + 8, entries * 16);
            long last = 0;
            for (int i = 0; i < entries; i++) {
                long offset = 220 + (e.getInt(i * 16 + 8) & 0xFFFFFFFFL) + 8;
                int length = e.getInt(i * 16 + 12);
                last = times.getOrDefault(i, last + 40);
                out.add(new Frame(i, offset, length, last));
            }
        }
        return out;
    }

    static byte[] jpeg(Path avi, Frame f) throws IOException {
        if (f.length() < 0 || f.length() > AviWriter.MAX_BYTES) {
            throw new IOException("frame " + f.index() + " has a bad length");
        }
        try (FileChannel ch = FileChannel.open(avi, StandardOpenOption.READ)) {
            return read(ch, f.offset(), f.length()).array();
        }
    }

    private static Map<Integer, Long> times(Path sidecar, String camera) throws IOException {
        Map<Integer, Long> out = new HashMap<>();
        if (!Files.exists(sidecar)) {
            return out;
        }
        for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
            if (!line.contains("\"type\":\"frame\"")) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (camera.equals(o.get("camera").getAsString())) {
                    out.put(o.get("index").getAsInt(), o.get("t").getAsLong());
                }
            } catch (RuntimeException e) {
                // not a line of ours: no time for it
            }
        }
        return out;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new EOFException("the clip file ends early");
            }
        }
        return b.flip();
    }

    private static String fourcc(ByteBuffer b, int at) {
        byte[] c = new byte[4];
        for (int i = 0; i < 4; i++) {
            c[i] = b.get(at + i);
        }
        return new String(c, StandardCharsets.ISO_8859_1);
    }
}
