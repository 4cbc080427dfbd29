package org.edgegate.camera.internal.source;

import java.io.IOException;

import org.edgegate.api.camera.FrameSourceProvider;
import org.edgegate.api.camera.JpegSource;
import org.edgegate.api.camera.SourceFormat;
import org.edgegate.api.camera.SourceRequest;
import org.edgegate.camera.internal.jpeg.JpegMode;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.osgi.service.component.annotations.Component;

/**
 * The camera bundle's own sources as the first frame-source providers: V4L2 devices, video files and the
 * test pattern. Cameras of this bundle use them with their full settings (pixels included); to anyone else
 * they serve the sources that deliver JPEG (MJPG files and devices), passed through.
 */
@Component(property = {FrameSourceProvider.SCHEME + "=device", FrameSourceProvider.SCHEME + "=file",
    FrameSourceProvider.SCHEME + "=pattern"})
public class BuiltInSources implements FrameSourceProvider {
    @Override
    public JpegSource create(SourceRequest r) {
        SourceSettings s = new SourceSettings(r.cameraId(), SourceSpec.parse(r.source()), r.width(), r.height(),
                r.fps(), true, "", JpegMode.PASSTHROUGH);
        FrameSource src = FrameSources.of(s);
        return new JpegSource() {
            @Override
            public SourceFormat open() throws IOException {
                try {
                    src.open();
                } catch (FrameSource.SourceException e) {
                    src.close();
                    if (e.fatal()) {
                        throw new IllegalArgumentException(e.getMessage());
                    }
                    throw new IOException(e.getMessage());
                }
                try {
                    JpegPlan.decide(JpegMode.PASSTHROUGH, src.deliversJpeg(), src.format());
                } catch (IllegalArgumentException e) {
                    src.close();
                    throw e;
                }
                return new SourceFormat(src.width(), src.height(), src.pace(), src.format());
            }

            @Override
            public byte[] next() throws IOException {
                byte[] b = src.readJpeg();
                String lost = b == null ? src.lostReason() : null;
                if (lost != null) {
                    throw new IOException(lost);
                }
                return b;
            }

            @Override
            public void close() {
                src.close();
            }
        };
    }
}
