package org.edgegate.camera.internal.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.opencv.core.Mat;

/**
 * An MJPG {@code .avi} played in a loop as the JPEG chunks it stores ({@link AviFile}): nothing is decoded
 * to read it. Paced like the other file source: the configured fps, else the file's own.
 */
public final class AviMjpegSource extends FrameSource {
    private final SourceSettings settings;
    private final Path path;
    private AviFile avi;
    private int next;

    public AviMjpegSource(SourceSettings settings) {
        this.settings = settings;
        this.path = settings.source().presence();
    }

    /** True when the file starts like an AVI (RIFF....AVI ), so this source should serve it. */
    public static boolean looksLikeAvi(Path file) {
        byte[] head = new byte[12];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 12) < 12) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        return head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'A'
                && head[9] == 'V' && head[10] == 'I';
    }

    @Override
    public void open() throws SourceException {
        if (!Files.exists(path)) {
            throw new SourceException("file not found: " + path);
        }
        try {
            avi = AviFile.open(path);
        } catch (AviFile.NotMjpegException e) {
            // Nothing else here reads such a file either; passthrough cannot work with it at all.
            String refused = JpegPlan.refusal(settings.jpeg(), e.getMessage());
            throw new SourceException(refused != null ? refused : e.getMessage(), refused != null);
        } catch (IOException e) {
            throw new SourceException("cannot read " + path + ": " + e.getMessage());
        }
        next = 0;
        double own = avi.fps();
        double pace = !settings.paced() ? 0 : settings.fps() > 0 ? settings.fps() : own > 0 ? own : 25;
        int[] size = size(avi);
        announce(size[0], size[1], pace);
        announceFormat(true, "the file's MJPG frames ("
                + avi.frameCount() + ", found through " + (avi.indexed() ? "idx1" : "the movi list") + ")");
    }

    /** The size of the first frame as its JPEG header tells it, the AVI header's when unreadable. */
    private static int[] size(AviFile avi) {
        try {
            int[] s = JpegMarkers.size(avi.frame(0));
            if (s != null) {
                return s;
            }
        } catch (IOException e) {
            // fall back to the header
        }
        return new int[] {avi.width(), avi.height()};
    }

    @Override
    public byte[] readJpeg() {
        if (next >= avi.frameCount()) {
            next = 0; // the end of the file: play it again
        }
        try {
            return JpegMarkers.withStandardHuffmanTables(avi.frame(next++));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean read(Mat into, long sequence) {
        throw new UnsupportedOperationException("an MJPG file source delivers JPEG");
    }

    @Override
    public String lostReason() {
        return Files.exists(path) ? null : "file removed: " + path;
    }

    @Override
    public void close() {
        if (avi != null) {
            try {
                avi.close();
            } catch (IOException e) {
                // closing a read-only channel: nothing to lose
            }
            avi = null;
        }
    }
}
