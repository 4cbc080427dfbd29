package org.edgegate.camera.internal.source;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * A moving test pattern drawn with OpenCV (our videotestsrc): colour bars and a grey ramp, a sweeping line
 * and a bouncing ball, with the camera id, the frame number and the time written on it. For demos and
 * tests without hardware.
 */
public final class PatternSource extends FrameSource {
    /** The size and rate of the pattern when the configuration gives none. */
    public static final int WIDTH = 480;
    public static final int HEIGHT = 320;
    public static final double FPS = 25;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final int[][] BARS = { // BGR: white, yellow, cyan, green, magenta, red, blue
        {192, 192, 192}, {0, 192, 192}, {192, 192, 0}, {0, 192, 0}, {192, 0, 192}, {0, 0, 192}, {192, 0, 0}};

    private final String id;
    private Mat background;

    public PatternSource(SourceSettings settings) {
        this.id = settings.id();
        announce(settings.width() > 0 ? settings.width() : WIDTH,
                settings.height() > 0 ? settings.height() : HEIGHT,
                !settings.paced() ? 0 : settings.fps() > 0 ? settings.fps() : FPS);
        announceFormat(false, "pattern: draws pixels");
    }

    @Override
    public void open() {
        int width = width();
        int height = height();
        byte[] px = new byte[width * height * 3];
        int barsEnd = height * 2 / 3;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                if (y < barsEnd) {
                    int[] c = BARS[x * BARS.length / width];
                    px[i] = (byte) c[0];
                    px[i + 1] = (byte) c[1];
                    px[i + 2] = (byte) c[2];
                } else {
                    byte g = (byte) (x * 255 / Math.max(1, width - 1));
                    px[i] = g;
                    px[i + 1] = g;
                    px[i + 2] = g;
                }
            }
        }
        background = new Mat(height, width, CvType.CV_8UC3);
        background.put(0, 0, px);
    }

    @Override
    public boolean read(Mat into, long sequence) {
        int width = width();
        int height = height();
        background.copyTo(into);
        double unit = Math.min(width, height) / 320.0;
        int step = Math.max(1, width / 120);
        int sweep = (int) (sequence * step % width);
        Imgproc.line(into, new Point(sweep, 0), new Point(sweep, height - 1), new Scalar(255, 255, 255),
                Math.max(1, (int) (2 * unit)));
        int r = Math.max(4, (int) (18 * unit));
        Imgproc.circle(into, new Point(bounce(sequence * 3L * step, width - 2 * r) + r,
                bounce(sequence * 2L * step, height - 2 * r) + r), r, new Scalar(0, 0, 255), -1, Imgproc.LINE_AA);

        int font = Imgproc.FONT_HERSHEY_SIMPLEX;
        int thick = Math.max(1, (int) Math.round(2 * unit));
        double line = 30 * unit;
        Imgproc.rectangle(into, new Point(0, 0), new Point(Math.min(width - 1, 330 * unit), 3.4 * line),
                new Scalar(0, 0, 0), -1);
        Scalar white = new Scalar(255, 255, 255);
        Imgproc.putText(into, id, new Point(8 * unit, line), font, 0.9 * unit, white, thick, Imgproc.LINE_AA);
        Imgproc.putText(into, "frame " + sequence, new Point(8 * unit, 2 * line), font, 0.7 * unit, white, thick,
                Imgproc.LINE_AA);
        Imgproc.putText(into, TIME.format(Instant.now()), new Point(8 * unit, 3 * line), font, 0.6 * unit, white,
                Math.max(1, thick - 1), Imgproc.LINE_AA);
        return true;
    }

    /** Paced: drawn only for consumers. Free-running (a benchmark) draws flat out. */
    @Override
    public boolean drawsOnDemand() {
        return pace() > 0;
    }

    /** Position that runs 0..span and back. */
    private static int bounce(long t, int span) {
        if (span <= 0) {
            return 0;
        }
        long p = t % (2L * span);
        return (int) (p <= span ? p : 2L * span - p);
    }

    @Override
    public String lostReason() {
        return null;
    }

    @Override
    public void close() {
        if (background != null) {
            background.release();
            background = null;
        }
    }
}
