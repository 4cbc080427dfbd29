package org.edgegate.shm.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import org.edgegate.api.camera.Frame;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The writer against the layout of docs/shm.md, read back here through a mapping of its own. */
public class FrameFileTest {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Path dir;

    /** {@code beforeCopy}, when not null, sees the target of each {@link #copyBgrTo} first. */
    record TestFrame(String cameraId, long sequence, int width, int height, byte[] bgr, byte[] jpeg,
            Consumer<ByteBuffer> beforeCopy) implements Frame {
        TestFrame(String cameraId, long sequence, int width, int height, byte[] bgr, byte[] jpeg) {
            this(cameraId, sequence, width, height, bgr, jpeg, null);
        }

        @Override
        public void copyBgrTo(ByteBuffer target) {
            if (beforeCopy != null) {
                beforeCopy.accept(target);
            }
            target.put(bgr);
        }

        @Override
        public Instant time() {
            return Instant.ofEpochSecond(1_700_000_000L, sequence);
        }

        @Override
        public long nanoTime() {
            return 1000 + sequence;
        }

        @Override
        public boolean isPlaceholder() {
            return false;
        }
    }

    static TestFrame frame(long seq, int width, int height) {
        byte[] px = new byte[width * height * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + seq * 7);
        }
        return new TestFrame("cam", seq, width, height, px, new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) seq });
    }

    @Before
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "shm");
    }

    @After
    public void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private FrameFile create(int width, int height) throws IOException {
        return FrameFile.create(dir, "cam", FrameFormat.BGR, width, height, 3L * width * height, 4,
                FilePermissions.parse("0640", ""));
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return (MappedByteBuffer) ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Test
    public void headerAndSlotsAreWhereTheDocsSay() throws Exception {
        try (FrameFile f = create(8, 4)) {
            Path path = dir.resolve("cam.frames");
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            for (long seq = 1; seq <= 6; seq++) {
                assertEquals(96, f.write(frame(seq, 8, 4), true));
            }
            MappedByteBuffer m = map(path);
            byte[] magic = new byte[8];
            m.get(0, magic);
            assertEquals("EGFRAMES", new String(magic, "US-ASCII"));
            assertEquals(1, m.getInt(8));
            assertEquals(4096, m.getInt(12));
            assertEquals(4, m.getInt(16));
            assertEquals(64, m.getInt(20));
            assertEquals(4096, m.getLong(24)); // 64 + 96 rounded up to a page
            assertEquals(96, m.getLong(32));
            assertEquals(f.generation(), m.getLong(40));
            assertEquals(FrameLayout.STATE_LIVE, m.getInt(48));
            assertEquals(ProcessHandle.current().pid(), m.getInt(52));
            assertEquals(1, m.getInt(56)); // frames 1..6 went to slots 0,1,2,3,0,1
            assertEquals(1, m.getInt(60));
            assertEquals(8, m.getInt(64));
            assertEquals(4, m.getInt(68));
            assertEquals(6, m.getLong(72));
            assertEquals(4096 + 4 * 4096, Files.size(path));
            byte[] name = new byte[3];
            m.get(128, name);
            assertEquals("cam", new String(name, "UTF-8"));
            assertEquals(0, m.get(131));

            int slot = 4096 + 4096; // slot 1: frame 6
            assertEquals("written twice: two even lock values", 4, m.getLong(slot));
            assertEquals(6, m.getLong(slot + 8));
            assertEquals(1_700_000_000L * 1_000_000_000L + 6, m.getLong(slot + 16));
            assertEquals(1006, m.getLong(slot + 24));
            assertEquals(8, m.getInt(slot + 32));
            assertEquals(4, m.getInt(slot + 36));
            assertEquals(1, m.getInt(slot + 40));
            assertEquals(96, m.getInt(slot + 44));
            byte[] payload = new byte[96];
            m.get(slot + 64, payload);
            assertArrayEquals(frame(6, 8, 4).bgr(), payload);
            CRC32 crc = new CRC32();
            crc.update(payload);
            assertEquals((int) crc.getValue(), m.getInt(slot + 48));
            assertEquals(1, m.getInt(slot + 52));
        }
        assertFalse("removed when the publisher stops", Files.exists(dir.resolve("cam.frames")));
    }

    @Test
    public void aNewGenerationTakesThePathAndMarksTheOldReplaced() throws Exception {
        FrameFile first = create(8, 4);
        first.write(frame(1, 8, 4), false);
        MappedByteBuffer old = map(dir.resolve("cam.frames"));
        assertFalse(first.fits(16, 8, 384));
        FrameFile second = create(16, 8);
        first.close(false);
        try {
            assertEquals(FrameLayout.STATE_REPLACED, old.getInt(48));
            MappedByteBuffer now = map(dir.resolve("cam.frames"));
            assertEquals(FrameLayout.STATE_LIVE, now.getInt(48));
            assertEquals(16, now.getInt(64));
            assertTrue(second.generation() > first.generation());
            assertTrue(second.isAtItsPath());
            try (var files = Files.list(dir)) {
                assertEquals("no temporary file left", 1, files.count());
            }
        } finally {
            second.close();
        }
        assertFalse(Files.exists(second.path()));
    }

    @Test
    public void aTruncatedOrOverwrittenFileIsReportedNotWrittenInto() throws Exception {
        try (FrameFile f = create(64, 48)) {
            f.write(frame(1, 64, 48), false);
            try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.WRITE)) {
                ch.truncate(100);
            }
            try {
                f.write(frame(2, 64, 48), false);
                fail("wrote into a truncated file");
            } catch (FrameFile.Damaged expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("truncated"));
            }
        }
        try (FrameFile f = create(64, 48)) {
            try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap("garbage!".getBytes()), 0);
            }
            try {
                f.write(frame(2, 64, 48), false);
                fail("wrote into an overwritten file");
            } catch (FrameFile.Damaged expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("overwritten"));
            }
        }
    }

    /**
     * The file truncated by another process while a frame's pixels are being copied (ShmIT's JVM once died of
     * it: SIGBUS in OpenCV's copy into the mapping). The frame's own copy never writes the mapping, Java's copy
     * into the lost pages is a {@link FrameFile.Damaged}, and the writer goes on with a new file.
     */
    @Test
    public void aFileTruncatedDuringTheCopyIsReportedAndNoCopyWritesTheMapping() throws Exception {
        AtomicBoolean truncated = new AtomicBoolean();
        try (FrameFile f = create(64, 48)) {
            TestFrame pixels = frame(1, 64, 48);
            Frame truncating = new TestFrame("cam", 1, 64, 48, pixels.bgr(), pixels.jpeg(), target -> {
                assertFalse("a frame's copy (native, as OpenCV's) gets the mapped file", target.isDirect());
                try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.WRITE)) {
                    ch.truncate(100); // another process, between the writer's check and its copy
                    truncated.set(true);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            try {
                f.write(truncating, false);
                fail("wrote into a truncated file");
            } catch (FrameFile.Damaged expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("truncated"));
            }
        }
        assertTrue(truncated.get());
        try (FrameFile f = create(64, 48)) {
            assertEquals(64 * 48 * 3, f.write(frame(2, 64, 48), false));
        }
    }

    /** A reader as docs/shm.md describes it, racing a free-running writer: no copy it accepts is torn. */
    @Test
    public void aReaderRacingTheWriterNeverAcceptsATornFrame() throws Exception {
        int w = 160;
        int h = 120;
        TestFrame[] frames = new TestFrame[8];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(i, w, h);
        }
        try (FrameFile f = FrameFile.create(dir, "cam", FrameFormat.BGR, w, h, 3L * w * h, 2,
                FilePermissions.parse("0600", ""))) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                long seq = 0;
                while (!stop.get()) {
                    TestFrame t = frames[(int) (seq % frames.length)];
                    try {
                        f.write(new TestFrame("cam", seq++, w, h, t.bgr(), null), false);
                    } catch (FrameFile.Damaged e) {
                        throw new AssertionError(e);
                    }
                }
            });
            writer.start();
            MappedByteBuffer m = map(f.path());
            long accepted = 0;
            long torn = 0;
            long lastSeq = -1;
            byte[] copy = new byte[w * h * 3];
            long deadline = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < deadline || accepted < 200) {
                int slot = (int) INT.getAcquire(m, 56);
                if (slot < 0) {
                    continue;
                }
                int base = 4096 + slot * (int) m.getLong(24);
                long lock = (long) LONG.getAcquire(m, base);
                if ((lock & 1) != 0) {
                    torn++;
                    continue;
                }
                long seq = m.getLong(base + 8);
                m.get(base + 64, copy);
                VarHandle.loadLoadFence();
                if ((long) LONG.getOpaque(m, base) != lock) {
                    torn++;
                    continue;
                }
                if (seq <= lastSeq) {
                    continue;
                }
                assertArrayEquals("frame " + seq, frames[(int) (seq % frames.length)].bgr(), copy);
                lastSeq = seq;
                accepted++;
            }
            stop.set(true);
            writer.join();
            assertTrue("the writer went on: " + f.written(), f.written() > accepted);
            System.out.println("seqlock race: " + accepted + " frames accepted, " + torn + " copies overrun, "
                    + f.written() + " written");
        }
    }

    @Test
    public void modesAndGroupsAreChecked() {
        for (String bad : new String[] { "600x", "0400", "0755", "", "07777" }) {
            try {
                FilePermissions.parse(bad, "");
                fail(bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("mode"));
            }
        }
        assertEquals("0640", FilePermissions.parse("640", "").text());
        try {
            FilePermissions.parse("0640", "no-such-group-here");
            fail();
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no-such-group-here"));
        }
        assertEquals(Arrays.asList("bgr", "jpeg"),
                Arrays.stream(FrameFormat.values()).map(FrameFormat::key).toList());
    }
}
