package org.edgegate.jpegturbo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.edgegate.api.camera.JpegCodec;
import org.edgegate.api.camera.JpegImage;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * JPEG through libjpeg-turbo's TurboJPEG API. A TurboJPEG handle must not be used by two threads at once:
 * each call takes a handle (with its compressor, decompressor and buffers) from a pool and gives it back,
 * so there are as many handles as threads encoding at the same time, each used by one thread at a time,
 * and all are destroyed by {@link #close()}. Encoding reads the pixels where they are (an OpenCV Mat's
 * memory), with no copy; the JPEG is written into the handle's reusable buffer and copied out once.
 */
final class TurboJpegCodec implements JpegCodec {
    static final String NAME = "turbojpeg";

    private final ConcurrentLinkedDeque<Handle> idle = new ConcurrentLinkedDeque<>();
    private final List<Handle> all = new ArrayList<>();
    private final String description;
    private volatile boolean closed;

    TurboJpegCodec(String description) {
        this.description = description;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public byte[] encode(long address, int width, int height, int stride, int quality) {
        if (address == 0 || width <= 0 || height <= 0 || stride < width * 3) {
            throw new IllegalArgumentException("not a " + width + "x" + height + " BGR image at stride " + stride);
        }
        Handle h = take();
        try {
            return h.encode(new Pointer(address), width, height, stride, quality);
        } finally {
            giveBack(h);
        }
    }

    @Override
    public byte[] encode(byte[] bgr, int width, int height, int quality) {
        if (width <= 0 || height <= 0 || bgr.length < (long) width * height * 3) {
            throw new IllegalArgumentException(bgr.length + " bytes are not a " + width + "x" + height + " BGR image");
        }
        Handle h = take();
        try {
            Memory px = h.pixels(width * height * 3L);
            px.write(0, bgr, 0, width * height * 3);
            return h.encode(px, width, height, width * 3, quality);
        } finally {
            giveBack(h);
        }
    }

    @Override
    public JpegImage decode(byte[] jpeg) {
        Handle h = take();
        try {
            return h.decode(jpeg);
        } finally {
            giveBack(h);
        }
    }

    private Handle take() {
        if (closed) {
            throw new IllegalStateException("the turbojpeg codec has been stopped");
        }
        Handle h = idle.pollFirst();
        if (h == null) {
            h = new Handle();
            synchronized (all) {
                all.add(h);
            }
        }
        return h;
    }

    private void giveBack(Handle h) {
        if (closed) {
            h.destroy();
        } else {
            idle.addFirst(h);
        }
    }

    /** How many handles exist: one per thread that encoded or decoded at the same time as another. */
    int handles() {
        synchronized (all) {
            return all.size();
        }
    }

    /** Destroys every handle: those idle now, those in use as they come back. */
    void close() {
        closed = true;
        for (Handle h; (h = idle.pollFirst()) != null;) {
            h.destroy();
        }
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** One thread's TurboJPEG state. Not thread-safe: used by one caller at a time. */
    private static final class Handle {
        private Pointer compressor;
        private Pointer decompressor;
        private Memory out;
        private Memory pixels;
        private Memory in;
        /** Out-parameters: unsigned char *, unsigned long, four ints. */
        private final Memory bufSlot = new Memory(Native.POINTER_SIZE);
        private final Memory sizeSlot = new Memory(NativeLong.SIZE);
        private final Memory ints = new Memory(16);
        private boolean destroyed;

        byte[] encode(Pointer src, int width, int height, int stride, int quality) {
            if (compressor == null) {
                compressor = TurboJpegLibrary.tjInitCompress();
                if (compressor == null) {
                    throw new IllegalStateException("tjInitCompress failed: " + TurboJpegLibrary.tjGetErrorStr2(null));
                }
            }
            long need = TurboJpegLibrary.tjBufSize(width, height, TurboJpegLibrary.TJSAMP_420).longValue();
            if (out == null || out.size() < need) {
                close(out);
                out = new Memory(need);
            }
            bufSlot.setPointer(0, out);
            sizeSlot.setNativeLong(0, new NativeLong(out.size()));
            int rc = TurboJpegLibrary.tjCompress2(compressor, src, width, stride, height, TurboJpegLibrary.TJPF_BGR,
                    bufSlot, sizeSlot, TurboJpegLibrary.TJSAMP_420, Math.max(1, Math.min(100, quality)),
                    TurboJpegLibrary.TJFLAG_NOREALLOC);
            if (rc != 0) {
                throw new IllegalStateException("tjCompress2: " + TurboJpegLibrary.tjGetErrorStr2(compressor));
            }
            long size = sizeSlot.getNativeLong(0).longValue();
            return out.getByteArray(0, (int) size);
        }

        JpegImage decode(byte[] jpeg) {
            if (jpeg == null || jpeg.length < 4) {
                throw new IllegalArgumentException("not a JPEG (" + (jpeg == null ? 0 : jpeg.length) + " bytes)");
            }
            if (decompressor == null) {
                decompressor = TurboJpegLibrary.tjInitDecompress();
                if (decompressor == null) {
                    throw new IllegalStateException("tjInitDecompress failed: " + TurboJpegLibrary.tjGetErrorStr2(null));
                }
            }
            if (in == null || in.size() < jpeg.length) {
                close(in);
                in = new Memory(Math.max(jpeg.length, 64 * 1024));
            }
            in.write(0, jpeg, 0, jpeg.length);
            NativeLong n = new NativeLong(jpeg.length);
            int rc = TurboJpegLibrary.tjDecompressHeader3(decompressor, in, n, ints, ints.share(4), ints.share(8),
                    ints.share(12));
            if (rc != 0) {
                throw new IllegalArgumentException("not a JPEG libjpeg-turbo can read: "
                        + TurboJpegLibrary.tjGetErrorStr2(decompressor));
            }
            int width = ints.getInt(0);
            int height = ints.getInt(4);
            long bytes = (long) width * height * 3;
            if (width <= 0 || height <= 0 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("JPEG of unusable size " + width + "x" + height);
            }
            Memory px = pixels(bytes);
            rc = TurboJpegLibrary.tjDecompress2(decompressor, in, n, px, width, width * 3, height,
                    TurboJpegLibrary.TJPF_BGR, 0);
            // A warning (e.g. a truncated scan) still leaves a picture, as other decoders give one.
            if (rc != 0 && TurboJpegLibrary.tjGetErrorCode(decompressor) != TurboJpegLibrary.TJERR_WARNING) {
                throw new IllegalArgumentException("JPEG cannot be decoded: " + TurboJpegLibrary.tjGetErrorStr2(decompressor));
            }
            return new JpegImage(width, height, px.getByteArray(0, (int) bytes));
        }

        Memory pixels(long bytes) {
            if (pixels == null || pixels.size() < bytes) {
                close(pixels);
                pixels = new Memory(bytes);
            }
            return pixels;
        }

        synchronized void destroy() {
            if (destroyed) {
                return;
            }
            destroyed = true;
            if (compressor != null) {
                TurboJpegLibrary.tjDestroy(compressor);
                compressor = null;
            }
            if (decompressor != null) {
                TurboJpegLibrary.tjDestroy(decompressor);
                decompressor = null;
            }
            close(out);
            close(pixels);
            close(in);
            bufSlot.close();
            sizeSlot.close();
            ints.close();
        }

        private static void close(Memory m) {
            if (m != null) {
                m.close();
            }
        }
    }
}
