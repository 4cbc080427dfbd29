package org.edgegate.camera.internal.jpeg;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** JPEG encoding of BGR pixels. */
public final class Jpeg {
    private Jpeg() {
    }

    public static byte[] encode(Mat bgr, int quality) {
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            if (!Imgcodecs.imencode(".jpg", bgr, out, params)) {
                throw new IllegalStateException("JPEG encoding failed for a " + bgr.cols() + "x" + bgr.rows() + " frame");
            }
            return out.toArray();
        } finally {
            out.release();
            params.release();
        }
    }

    /** Copies the pixels of a continuous 8-bit BGR image. */
    public static byte[] copyPixels(Mat bgr) {
        Mat m = bgr.isContinuous() ? bgr : bgr.clone();
        try {
            byte[] b = new byte[(int) (m.total() * m.channels())];
            m.get(0, 0, b);
            return b;
        } finally {
            if (m != bgr) {
                m.release();
            }
        }
    }
}
