package org.edgegate.it;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** Test videos written by OpenCV itself, and decoding, for the camera tests. */
final class Videos {
    private Videos() {
    }

    /** Binds OpenCV to the OpenCV bundle's class loader, where the camera bundle finds it too; once. */
    static void opencv() {
        nu.pattern.OpenCV.loadLocally();
    }

    /** An MJPG .avi written by OpenCV: a moving square and the frame number on a coloured ground. */
    static Path write(Path dir, String name, int w, int h, int frames) throws IOException {
        opencv();
        Files.createDirectories(dir);
        Path path = dir.resolve(name);
        VideoWriter writer = new VideoWriter(path.toString(), Videoio.CAP_OPENCV_MJPEG,
                VideoWriter.fourcc('M', 'J', 'P', 'G'), 25, new Size(w, h));
        assertTrue("VideoWriter opened " + path, writer.isOpened());
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        try {
            for (int i = 0; i < frames; i++) {
                m.setTo(new Scalar(90, 60 + i * 10 % 150, 30));
                int x = i * (w - 20) / Math.max(1, frames - 1);
                Imgproc.rectangle(m, new Point(x, h / 3.0), new Point(x + 20, h / 3.0 + 20), new Scalar(255, 255, 255), -1);
                Imgproc.putText(m, "frame " + i, new Point(5, h - 10), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5,
                        new Scalar(255, 255, 255), 1);
                writer.write(m);
            }
        } finally {
            writer.release();
            m.release();
        }
        assertTrue(Files.size(path) > 0);
        return path.toRealPath();
    }

    /** "WxH" of a JPEG as OpenCV decodes it, "undecodable" when it cannot. */
    static String decodedSize(byte[] jpeg) {
        opencv();
        MatOfByte buf = new MatOfByte(jpeg);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        try {
            return m.empty() ? "undecodable" : m.cols() + "x" + m.rows();
        } finally {
            m.release();
            buf.release();
        }
    }
}
