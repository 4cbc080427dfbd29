package org.edgegate.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

import org.edgegate.api.camera.Frame;

/**
 * One frame as a part of the multipart stream: its header, the frame's own JPEG array (shared by every
 * client of the camera, never copied) and the line end closing the part. Made once per frame.
 */
record Part(String cameraId, long sequence, byte[] header, byte[] jpeg) {
    static final String BOUNDARY = "edgegate-frame";
    static final String CONTENT_TYPE = "multipart/x-mixed-replace;boundary=" + BOUNDARY;
    static final byte[] END = "\r\n".getBytes(StandardCharsets.US_ASCII);

    static Part of(Frame frame) {
        byte[] jpeg = frame.jpeg();
        Instant t = frame.time();
        String header = String.format(Locale.ROOT,
                "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\nX-Timestamp: %d.%06d\r\n"
                        + "X-Frame-Sequence: %d\r\n\r\n",
                BOUNDARY, jpeg.length, t.getEpochSecond(), t.getNano() / 1000, frame.sequence());
        return new Part(frame.cameraId(), frame.sequence(), header.getBytes(StandardCharsets.US_ASCII), jpeg);
    }
}
