package org.edgegate.shm.internal;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The frame file's header, overwritten by another process with anything: the writer notices
 * ({@link FrameFile.Damaged}) or goes on, never fails otherwise; and a damaged file left at the path is
 * replaced by a new one.
 */
public class FrameHeaderFuzzTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

    private Path dir;

    @Before
    public void makeDir() {
        dir = tmp.getRoot().toPath();
    }

    private FrameFile create() throws IOException {
        return FrameFile.create(dir, "cam", FrameFormat.BGR, 8, 4, 96, 4, FilePermissions.parse("0600", ""));
    }

    private byte[] header() throws Exception {
        try (FrameFile f = create()) {
            f.write(FrameFileTest.frame(1, 8, 4), true);
            return Arrays.copyOf(Files.readAllBytes(dir.resolve("cam.frames")), 256);
        }
    }

    private void overwrite(byte[] input) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("cam.frames"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(input, 0, Math.min(input.length, FrameLayout.HEADER_SIZE)), 0);
        }
    }

    @Test
    public void aWriterNoticesAnOverwrittenHeader() throws Exception {
        int n = Fuzz.run("shm header", List.of(header()), input -> {
            try (FrameFile f = create()) {
                overwrite(input);
                f.write(FrameFileTest.frame(2, 8, 4), true);
            }
        }, FrameFile.Damaged.class);
        assertTrue(n > 0);
    }

    @Test
    public void aDamagedFileAtThePathIsReplaced() throws Exception {
        int n = Fuzz.run("shm leftover", List.of(header(), new byte[0]), input -> {
            Files.write(dir.resolve("cam.frames"), input);
            try (FrameFile f = create()) {
                f.write(FrameFileTest.frame(3, 8, 4), false);
            }
        }, IOException.class);
        assertTrue(n > 0);
    }
}
