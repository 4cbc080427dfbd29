package org.edgegate.camera.internal;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.AviFile;
import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.opencv.core.Mat;

/**
 * The decoders the camera bundle wrote, fed mutations of real files: JPEG marker handling (size, DHT
 * detection and insertion) never throws; the AVI reader refuses what it cannot read with an IOException,
 * never anything else, and never hangs.
 */
public class DecoderFuzzTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadOpenCv() {
        assertNull(OpenCvNative.ensureLoaded());
    }

    private static byte[] jpeg(int w, int h, int seed) {
        Mat m = JpegTest.picture(w, h, seed);
        try {
            return JpegTest.encode(m, 80);
        } finally {
            m.release();
        }
    }

    @Test
    public void jpegMarkers() {
        byte[] small = jpeg(16, 8, 1);
        int n = Fuzz.run("jpeg markers", List.of(small, jpeg(33, 17, 2), JpegTest.withoutHuffmanTables(small)), input -> {
            JpegMarkers.size(input);
            boolean had = JpegMarkers.hasHuffmanTables(input);
            byte[] out = JpegMarkers.withStandardHuffmanTables(input);
            if (out != input && (had || out.length <= input.length)) {
                throw new AssertionError("tables inserted into a JPEG that had them, or nothing inserted");
            }
        });
        assertTrue(n > 0);
    }

    @Test
    public void aviReader() throws IOException {
        Path clip = JpegTest.writeVideo(tmp.getRoot().toPath().resolve("clip.avi"), 16, 8, 3);
        Path file = tmp.getRoot().toPath().resolve("fuzz.avi");
        int n = Fuzz.run("avi reader", List.of(Files.readAllBytes(clip), JpegTest.tinyAvi(jpeg(16, 8, 3))), input -> {
            Files.write(file, input);
            try (AviFile avi = AviFile.open(file)) {
                for (int i = 0; i < avi.frameCount(); i++) {
                    avi.frame(i);
                }
            }
        }, IOException.class);
        assertTrue(n > 0);
    }
}
