package org.edgegate.camera.internal.jpeg;

import java.lang.reflect.Field;

import org.edgegate.api.camera.JpegCodec;
import org.edgegate.api.camera.JpegImage;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in JPEG codec: OpenCV's {@code imencode}/{@code imdecode}. Always there (ranking 0); a faster
 * codec with a higher ranking (bundle jpeg-turbo) takes over where it is installed.
 */
@Component(service = JpegCodec.class, property = {"service.ranking:Integer=0", JpegCodec.NAME + "=" + OpenCvJpegCodec.NAME})
public class OpenCvJpegCodec implements JpegCodec {
    public static final String NAME = "opencv";
    private static volatile String description;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        String d = description;
        if (d == null) {
            String failure = OpenCvNative.ensureLoaded();
            if (failure != null) {
                return failure;
            }
            d = "OpenCV " + Core.VERSION + " " + jpegBuild();
            description = d;
        }
        return d;
    }

    /** The JPEG line of OpenCV's build information, e.g. "build-libjpeg-turbo (ver 2.1.3-62), SIMD NO". */
    private static String jpegBuild() {
        String info = Core.getBuildInformation();
        String jpeg = "";
        boolean inJpeg = false;
        for (String line : info.split("\n")) {
            String t = line.trim();
            if (t.startsWith("JPEG:")) {
                jpeg = t.substring(5).trim();
                inJpeg = true;
            } else if (inJpeg && t.startsWith("SIMD Support:")) {
                jpeg += ", SIMD " + t.substring(t.indexOf(':') + 1).trim();
                break;
            } else if (inJpeg && !t.isEmpty() && t.contains(":") && !t.startsWith("SIMD")) {
                break;
            }
        }
        return jpeg.isEmpty() ? "(JPEG build unknown)" : "(" + jpeg + ")";
    }

    private static void ensureOpenCv() {
        String failure = OpenCvNative.ensureLoaded();
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Encodes a continuous or strided 8-bit BGR Mat. */
    public byte[] encode(Mat bgr, int quality) {
        return Jpeg.encode(bgr, quality);
    }

    @Override
    public byte[] encode(long address, int width, int height, int stride, int quality) {
        // OpenCV's Java API cannot wrap foreign memory: copy the rows in first.
        byte[] px = NativeMemory.copy(address, width, height, stride);
        return encode(px, width, height, quality);
    }

    @Override
    public byte[] encode(byte[] bgr, int width, int height, int quality) {
        ensureOpenCv();
        if (bgr.length < (long) width * height * 3) {
            throw new IllegalArgumentException(bgr.length + " bytes are not a " + width + "x" + height + " BGR image");
        }
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        try {
            m.put(0, 0, bgr);
            return Jpeg.encode(m, quality);
        } finally {
            m.release();
        }
    }

    @Override
    public JpegImage decode(byte[] jpeg) {
        ensureOpenCv();
        MatOfByte buf = new MatOfByte(jpeg);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        try {
            if (m.empty()) {
                throw new IllegalArgumentException("not a JPEG OpenCV can decode (" + jpeg.length + " bytes)");
            }
            return new JpegImage(m.cols(), m.rows(), Jpeg.copyPixels(m));
        } finally {
            m.release();
            buf.release();
        }
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** Reads foreign memory through sun.misc.Unsafe (module jdk.unsupported), when the platform offers it. */
    public static final class NativeMemory {
        private static final Object UNSAFE;
        private static final java.lang.reflect.Method COPY;
        private static final long BYTE_BASE;

        static {
            Object u = null;
            java.lang.reflect.Method copy = null;
            long base = 0;
            try {
                Class<?> c = Class.forName("sun.misc.Unsafe");
                Field f = c.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                u = f.get(null);
                copy = c.getMethod("copyMemory", Object.class, long.class, Object.class, long.class, long.class);
                base = ((Number) c.getMethod("arrayBaseOffset", Class.class).invoke(u, byte[].class)).longValue();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                u = null;
            }
            UNSAFE = u;
            COPY = copy;
            BYTE_BASE = base;
        }

        private NativeMemory() {
        }

        static byte[] copy(long address, int width, int height, int stride) {
            if (UNSAFE == null) {
                throw new UnsupportedOperationException("this platform offers no way to read native memory from Java "
                        + "(sun.misc.Unsafe): pass the pixels as a byte[]");
            }
            if (address == 0 || width <= 0 || height <= 0 || stride < width * 3) {
                throw new IllegalArgumentException("not a " + width + "x" + height + " BGR image at stride " + stride);
            }
            int row = width * 3;
            byte[] out = new byte[row * height];
            try {
                for (int y = 0; y < height; y++) {
                    COPY.invoke(UNSAFE, null, address + (long) y * stride, out, BYTE_BASE + (long) y * row, (long) row);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read native memory: " + e, e);
            }
            return out;
        }
    }
}
