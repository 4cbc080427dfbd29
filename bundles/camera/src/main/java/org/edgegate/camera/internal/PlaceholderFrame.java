package org.edgegate.camera.internal;

import org.edgegate.camera.internal.jpeg.Jpeg;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The "no signal" picture given instead of nothing (the seed's default image): dark, with the camera id
 * and why there is no picture. Drawn once per size and reason, encoded at once, immutable.
 */
final class PlaceholderFrame extends AbstractFrame {
    private final String reason;
    private final byte[] jpeg;
    private final byte[] bgr;

    private PlaceholderFrame(String cameraId, String reason, int width, int height, byte[] jpeg, byte[] bgr) {
        super(cameraId, System.currentTimeMillis(), System.nanoTime(), width, height);
        this.reason = reason;
        this.jpeg = jpeg;
        this.bgr = bgr;
    }

    static PlaceholderFrame render(String cameraId, int width, int height, String reason, int quality) {
        Mat m = new Mat(height, width, CvType.CV_8UC3, new Scalar(48, 40, 40));
        try {
            double unit = Math.min(width, height) / 320.0;
            int stripe = Math.max(2, (int) (8 * unit));
            Imgproc.rectangle(m, new Point(0, 0), new Point(width - 1, stripe), new Scalar(0, 0, 200), -1);
            Imgproc.rectangle(m, new Point(0, height - 1 - stripe), new Point(width - 1, height - 1),
                    new Scalar(0, 0, 200), -1);
            centred(m, "NO SIGNAL", height * 0.45, 1.6 * unit, Math.max(1, (int) (3 * unit)), new Scalar(235, 235, 235));
            centred(m, "camera " + cameraId, height * 0.62, 0.8 * unit, Math.max(1, (int) (2 * unit)),
                    new Scalar(200, 200, 200));
            if (!reason.isEmpty()) {
                centred(m, shorten(reason, 60), height * 0.75, 0.5 * unit, 1, new Scalar(160, 160, 220));
            }
            return new PlaceholderFrame(cameraId, reason, width, height, Jpeg.encode(m, quality), Jpeg.copyPixels(m));
        } finally {
            m.release();
        }
    }

    private static void centred(Mat m, String text, double baseline, double scale, int thickness, Scalar colour) {
        int font = Imgproc.FONT_HERSHEY_SIMPLEX;
        Size s = Imgproc.getTextSize(text, font, scale, thickness, null);
        Imgproc.putText(m, text, new Point(Math.max(0, (m.cols() - s.width) / 2), baseline), font, scale, colour,
                thickness, Imgproc.LINE_AA);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    boolean fits(int w, int h, String why) {
        return width() == w && height() == h && reason.equals(why);
    }

    /** Always 0: a placeholder is not one of the camera's frames. */
    @Override
    public long sequence() {
        return 0;
    }

    @Override
    public byte[] jpeg() {
        return jpeg;
    }

    @Override
    public byte[] bgr() {
        return bgr;
    }

    @Override
    public boolean isPlaceholder() {
        return true;
    }
}
