package org.edgegate.camera.internal.source;

import java.io.IOException;

import org.edgegate.api.camera.JpegSource;
import org.edgegate.api.camera.SourceFormat;
import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.kernel.Connector;
import org.opencv.core.Mat;

/**
 * A plug-in's {@link JpegSource} as one of our sources: its pictures get the standard Huffman tables where
 * they lack them (as USB cameras' do) and are passed through; when the plug-in cannot tell the size before
 * the first picture, open reads that picture and takes the size from it.
 */
public final class PluginSource extends FrameSource {
    private final JpegSource source;
    private final boolean paced;
    private final String shown;
    private byte[] first;
    private String lost;

    public PluginSource(JpegSource source, boolean paced, String shown) {
        this.source = source;
        this.paced = paced;
        this.shown = shown;
    }

    @Override
    public void open() throws SourceException {
        SourceFormat f;
        try {
            f = source.open();
        } catch (IOException e) {
            throw new SourceException(Connector.message(e));
        } catch (IllegalArgumentException e) {
            throw new SourceException(Connector.message(e), true);
        } catch (RuntimeException e) {
            throw new SourceException("source failed: " + e);
        }
        int width = f.width();
        int height = f.height();
        if (width == 0 || height == 0) {
            first = next();
            int[] size = first == null ? null : JpegMarkers.size(first);
            if (size == null) {
                throw new SourceException(lost != null ? lost
                        : first == null ? "no picture from " + shown : "not a readable JPEG from " + shown);
            }
            width = size[0];
            height = size[1];
        }
        announce(width, height, paced ? f.pace() : 0);
        announceFormat(true, f.description());
    }

    @Override
    public byte[] readJpeg() {
        byte[] b = first;
        if (b != null) {
            first = null;
            return b;
        }
        return next();
    }

    private byte[] next() {
        try {
            byte[] b = source.next();
            return b == null ? null : JpegMarkers.withStandardHuffmanTables(b);
        } catch (IOException e) {
            lost = Connector.message(e);
        } catch (RuntimeException e) {
            lost = "source failed: " + e;
        }
        return null;
    }

    @Override
    public boolean read(Mat into, long sequence) {
        throw new UnsupportedOperationException("a plug-in source delivers JPEG");
    }

    @Override
    public String lostReason() {
        return lost;
    }

    @Override
    public void abort() {
        source.abort();
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (RuntimeException e) {
            // the plug-in's bug; the connection is dropped with the source either way
        }
    }
}
