package org.edgegate.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

import org.edgegate.api.camera.Frame;

/**
 * One frame as a part of the multipart stream, made once per frame and shared by every client of the
 * camera: its header, the frame's JPEG and the boundary that closes it, in one array, so a client is sent
 * a frame in one write (one system call) and a browser, which shows a part once the boundary after it
 * arrives, shows it at once. A stream starts with {@link #PREAMBLE}.
 */
record Part(String cameraId, long sequence, byte[] bytes) {
    static final String BOUNDARY = "edgegate-frame";
    static final String CONTENT_TYPE = "multipart/x-mixed-replace;boundary=" + BOUNDARY;
    static final byte[] PREAMBLE = ("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);

    static Part of(Frame frame) {
        byte[] jpeg = frame.jpeg();
        Instant t = frame.time();
        byte[] header = String.format(Locale.ROOT,
                "Content-Type: image/jpeg\r\nContent-Length: %d\r\nX-Timestamp: %d.%06d\r\nX-Frame-Sequence: %d\r\n\r\n",
                jpeg.length, t.getEpochSecond(), t.getNano() / 1000, frame.sequence()).getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[header.length + jpeg.length + CLOSE.length];
        System.arraycopy(header, 0, bytes, 0, header.length);
        System.arraycopy(jpeg, 0, bytes, header.length, jpeg.length);
        System.arraycopy(CLOSE, 0, bytes, header.length + jpeg.length, CLOSE.length);
        return new Part(frame.cameraId(), frame.sequence(), bytes);
    }
}
