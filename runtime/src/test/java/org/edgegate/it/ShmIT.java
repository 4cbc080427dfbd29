package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.edgegate.api.camera.FrameListener;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/**
 * Issue 12 in the real runtime: pattern cameras published to shared-memory files in a folder of the test
 * home, read by a Java reader written from docs/shm.md and by the shipped Python module (Debian's
 * python3-numpy); bad readers and damaged files against a writer that must never stall.
 */
@ExamReactorStrategy(PerClass.class)
public class ShmIT extends GatewayTestSupport {
    private static final String CAMERA_PID = "org.edgegate.camera";
    private static final String SHM_PID = "org.edgegate.shm.frames";
    private static final int W = 480;
    private static final int H = 320;

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith(CAMERA_PID + "-") && !fileName.startsWith(SHM_PID + "-");
    }

    @After
    public void cleanUp() throws Exception {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        for (Configuration c : configurations) {
            c.delete();
        }
    }

    /** CRC-32 of every frame's pixels as the camera gave them to a listener, by sequence. */
    private Map<Long, Integer> recordCrcs(String camera) {
        Map<Long, Integer> crcs = new ConcurrentHashMap<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(FrameListener.CAMERA_ID, camera);
        registrations.add(context.registerService(FrameListener.class, (FrameListener) f -> {
            CRC32 c = new CRC32();
            c.update(f.bgr());
            crcs.put(f.sequence(), (int) c.getValue());
        }, props));
        return crcs;
    }

    private Path publish(String camera, boolean paced, double fps) throws IOException {
        Path dir = home().resolve("shm");
        configurations.add(createFactoryConfiguration(CAMERA_PID, camera, Map.of("id", camera, "source", "pattern:",
                "width", W, "height", H, "fps", fps, "paced", paced)));
        configurations.add(createFactoryConfiguration(SHM_PID, "p-" + camera, Map.of("id", "p-" + camera,
                "cameras", camera, "dir", dir.toString(), "checksum", true)));
        Path file = dir.resolve(camera + ".frames");
        await(file + " made", DEFAULT_TIMEOUT, () -> Files.exists(file));
        return file;
    }

    @Test
    public void aJavaReaderGets200WholeFramesEqualToTheCameras() throws Exception {
        Map<Long, Integer> camera = recordCrcs("shm-a");
        Path file = publish("shm-a", true, 50);
        try (ShmReader reader = new ShmReader(file)) {
            long last = -1;
            int compared = 0;
            for (int i = 0; i < 200; i++) {
                ShmReader.ReadFrame f = reader.next(10_000);
                assertNotNull("frame " + i + " within 10 s", f);
                assertTrue("sequence rises: " + last + " then " + f.seq(), f.seq() > last);
                last = f.seq();
                assertEquals(W, f.width());
                assertEquals(H, f.height());
                assertEquals(1, f.format());
                assertEquals(W * H * 3, f.payload().length);
                assertTrue("the writer reports a CRC", f.hasCrc());
                assertEquals("frame " + f.seq() + " whole", f.crc(), f.payloadCrc());
                long epochMillis = f.epochNanos() / 1_000_000;
                assertTrue("capture time is now-ish", Math.abs(System.currentTimeMillis() - epochMillis) < 60_000);
                Integer given = camera.get(f.seq());
                if (given != null) {
                    assertEquals("frame " + f.seq() + " has the camera's pixels", given.intValue(), f.crc());
                    compared++;
                }
            }
            assertTrue("compared with the camera's own pixels: " + compared, compared >= 100);
        }
        String shm = gogo("gw:shm");
        assertTrue(shm, shm.contains("p-shm-a") && shm.contains(file.toString()) && shm.contains("480x320 bgr"));
        assertTrue(shm, shm.contains("invisible"));
        String status = gogo("gw:status");
        assertTrue(status, Pattern.compile("shm\\s+p-shm-a\\s+OPEN").matcher(status).find());
    }

    @Test
    public void jpegFramesGoInAsTheCameraGivesThem() throws Exception {
        Map<Long, Integer> camera = new ConcurrentHashMap<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(FrameListener.CAMERA_ID, "shm-jpeg");
        registrations.add(context.registerService(FrameListener.class, (FrameListener) f -> {
            CRC32 c = new CRC32();
            c.update(f.jpeg());
            camera.put(f.sequence(), (int) c.getValue());
        }, props));
        Path dir = home().resolve("shm");
        configurations.add(createFactoryConfiguration(CAMERA_PID, "shm-jpeg", Map.of("id", "shm-jpeg", "source",
                "pattern:", "width", W, "height", H, "fps", 50)));
        configurations.add(createFactoryConfiguration(SHM_PID, "p-shm-jpeg", Map.of("id", "p-shm-jpeg", "cameras",
                "shm-jpeg", "dir", dir.toString(), "format", "jpeg", "mode", "0640", "checksum", true)));
        Path file = dir.resolve("shm-jpeg.frames");
        await(file + " made", DEFAULT_TIMEOUT, () -> Files.exists(file));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
        try (ShmReader reader = new ShmReader(file)) {
            int compared = 0;
            for (int i = 0; i < 30; i++) {
                ShmReader.ReadFrame f = reader.next(10_000);
                assertNotNull(f);
                assertEquals(2, f.format());
                byte[] j = f.payload();
                assertTrue("a JPEG: SOI ... EOI", (j[0] & 0xFF) == 0xFF && (j[1] & 0xFF) == 0xD8
                        && (j[j.length - 2] & 0xFF) == 0xFF && (j[j.length - 1] & 0xFF) == 0xD9);
                assertEquals(f.crc(), f.payloadCrc());
                Integer given = camera.get(f.seq());
                if (given != null) {
                    assertEquals("frame " + f.seq() + " is the camera's JPEG", given.intValue(), f.crc());
                    compared++;
                }
            }
            assertTrue("compared: " + compared, compared >= 10);
        }
    }

    @Test
    public void aNewFrameSizeMakesANewFileAndReadersFollow() throws Exception {
        Path file = publish("shm-size", true, 50);
        try (ShmReader reader = new ShmReader(file)) {
            ShmReader.ReadFrame first = reader.next(10_000);
            assertEquals(W, first.width());
            updateConfiguration(configurations.get(0), Map.of("id", "shm-size", "source", "pattern:", "width", 320,
                    "height", 240, "fps", 50));
            ShmReader.ReadFrame resized = awaitValue("a 320x240 frame", DEFAULT_TIMEOUT, () -> {
                try {
                    ShmReader.ReadFrame f = reader.next(200);
                    return f != null && f.width() == 320 ? f : null;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(240, resized.height());
            assertEquals(320 * 240 * 3, resized.payload().length);
            assertEquals(resized.crc(), resized.payloadCrc());
            assertTrue("a new generation", resized.generation() != first.generation());
        }
    }

    @Test
    public void aSecondGatewayOnTheSameFilesIsToldNotFought() throws Exception {
        Path dir = home().resolve("shm-other");
        Files.createDirectories(dir);
        // Another gateway's publisher, as far as ours can tell: a process holding the camera's lock file.
        Process other = new ProcessBuilder(Python.interpreter(), "-c", "import fcntl, os, sys, time\n"
                + "f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); f.write('%d\\n' % os.getpid()); "
                + "f.flush(); print('locked', flush=True); time.sleep(120)", dir.resolve(".shm-other.frames.lock")
                .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("other.out").toFile()).start();
        try {
            await("the other process holding the lock", DEFAULT_TIMEOUT, () -> {
                try {
                    return Files.readString(dir.resolve("other.out")).startsWith("locked");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            configurations.add(createFactoryConfiguration(CAMERA_PID, "shm-other", Map.of("id", "shm-other",
                    "source", "pattern:", "width", 160, "height", 120, "fps", 25)));
            configurations.add(createFactoryConfiguration(SHM_PID, "p-shm-other", Map.of("id", "p-shm-other",
                    "cameras", "shm-other", "dir", dir.toString())));
            String pid = Long.toString(other.pid());
            await("gw:status names the other process", DEFAULT_TIMEOUT, () -> {
                try {
                    String status = gogo("gw:status");
                    return status.contains("p-shm-other") && status.contains("RECONNECTING")
                            && status.contains("published by another process (pid " + pid + ")");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertFalse(Files.exists(dir.resolve("shm-other.frames")));
        } finally {
            other.destroy();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        await("the file published once the other process is gone", DEFAULT_TIMEOUT,
                () -> Files.exists(dir.resolve("shm-other.frames")));
    }

    @Test
    public void aFreeRunningWriterNeverGivesATornFrame() throws Exception {
        Path file = publish("shm-free", false, 0);
        try (ShmReader reader = new ShmReader(file)) {
            long frames = 0;
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < deadline || frames < 200) {
                ShmReader.ReadFrame f = reader.next(10_000);
                assertNotNull(f);
                assertEquals("frame " + f.seq() + " whole (torn copies thrown away so far: " + reader.torn + ")",
                        f.crc(), f.payloadCrc());
                assertTrue(f.seq() > last);
                last = f.seq();
                frames++;
            }
            System.out.println("free-running: " + frames + " whole frames read, " + reader.torn
                    + " copies overrun and thrown away, last seq " + last);
        }
    }

    @Test
    public void theShippedPythonModuleReads100FramesOfARunningCamera() throws Exception {
        Map<Long, Integer> camera = recordCrcs("shm-py");
        Path file = publish("shm-py", true, 50);
        Python py = Python.start(file.getParent(), "shm-py", 100, 60);
        try {
            long last = -1;
            int compared = 0;
            for (int i = 0; i < 100; i++) {
                String line = py.line(20);
                Matcher m = FRAME.matcher(line);
                assertTrue("a frame from Python: " + line, m.find());
                long seq = Long.parseLong(m.group(1));
                assertTrue(seq > last);
                last = seq;
                assertEquals(W, Integer.parseInt(m.group(2)));
                assertEquals(H, Integer.parseInt(m.group(3)));
                Integer given = camera.get(seq);
                if (given != null) {
                    assertEquals("frame " + seq + " in Python has the camera's pixels", given.intValue() & 0xFFFFFFFFL,
                            Long.parseLong(m.group(4)));
                    compared++;
                }
            }
            assertTrue("compared: " + compared, compared >= 50);
            assertTrue(py.line(20).contains("\"done\": 100"));
        } finally {
            py.stop();
        }
    }

    @Test
    public void aTruncatedOrOverwrittenFileIsMadeAnewAndReadersFollow() throws Exception {
        Path file = publish("shm-bad", true, 50);
        try (ShmReader reader = new ShmReader(file)) {
            assertNotNull(reader.next(10_000));
            long generation = reader.generation();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(1000); // another process cuts the file short
            }
            ShmReader.ReadFrame after = awaitValue("a frame of a new file", DEFAULT_TIMEOUT, () -> {
                try {
                    ShmReader.ReadFrame f = reader.next(200);
                    return f != null && f.generation() != generation ? f : null;
                } catch (IOException e) {
                    return null; // clear error while the file is short; the writer makes it anew
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(after.crc(), after.payloadCrc());
            long second = reader.generation();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap("not a frame file".getBytes(StandardCharsets.US_ASCII)), 0);
            }
            awaitValue("a frame of a third file", DEFAULT_TIMEOUT, () -> {
                try {
                    ShmReader.ReadFrame f = reader.next(200);
                    return f != null && f.generation() != second ? f : null;
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        }
        String shm = gogo("gw:shm");
        assertTrue(shm, shm.contains("truncated") || shm.contains("overwritten"));
        assertTrue("still writing: " + shm, Pattern.compile("shm-bad\\s+\\S+shm-bad\\.frames  480x320").matcher(shm).find());
    }

    @Test
    public void aReaderStuckInASlotNeitherStallsTheWriterNorGetsATornFrame() throws Exception {
        Path file = publish("shm-stuck", true, 50);
        try (ShmReader reader = new ShmReader(file)) {
            assertNotNull(reader.next(10_000));
            long[] during = new long[2];
            boolean accepted = reader.copyWithStall(() -> {
                try {
                    during[0] = reader.written();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    // Held until the writer has come round every slot twice (4 slots): it did not wait for us.
                    while ((during[1] = reader.written()) < during[0] + 10 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue("the writer went on while a reader held a slot: " + during[0] + " -> " + during[1],
                    during[1] >= during[0] + 10);
            assertFalse("the stuck reader's copy is recognised as overrun", accepted);
        }
    }

    @Test
    public void aPythonReaderFollowsTheGatewayRestarting() throws Exception {
        // 10 a second: the 30 frames Python still wants take 3 s, more than the stop below.
        Path file = publish("shm-restart", true, 10);
        Bundle shm = bundleNamed("org.edgegate.shm");
        Python py = Python.start(file.getParent(), "shm-restart", 40, 60);
        try {
            for (int i = 0; i < 10; i++) {
                assertTrue(FRAME.matcher(py.line(20)).find());
            }
            shm.stop();
            await("the file removed when the publisher stops", DEFAULT_TIMEOUT, () -> !Files.exists(file));
            // Frames it read before the stop may still be queued; then, with no publisher, next() must time out
            // (a "none" line) instead of failing or handing out a frame again.
            List<String> seen = new ArrayList<>();
            for (String line = py.line(20); !line.contains("\"none\""); line = py.line(20)) {
                seen.add(line);
                assertTrue("Python waits (None at its timeout) instead of failing: " + seen, FRAME.matcher(line).find());
                assertTrue("Python read its 40 frames before the stop: " + seen, seen.size() < 30);
            }
            shm.start();
            String done = null;
            while (done == null) {
                String l = py.line(30);
                assertFalse(l, l.contains("error"));
                if (l.contains("done")) {
                    done = l;
                }
            }
            assertTrue(done, done.contains("\"done\": 40"));
            Matcher remaps = Pattern.compile("\"remaps\": (\\d+)").matcher(done);
            assertTrue(done, remaps.find() && Integer.parseInt(remaps.group(1)) >= 1);
        } finally {
            if (shm.getState() != Bundle.ACTIVE) {
                shm.start();
            }
            py.stop();
        }
    }

    private static final Pattern FRAME = Pattern.compile(
            "\"seq\": (\\d+), \"w\": (\\d+), \"h\": (\\d+), \"skipped\": \\d+, \"crc\": (\\d+)");

    /** The test script on the shipped module, run by a python3 that has numpy. */
    private static final class Python {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Python(Process process) {
            this.process = process;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null;) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("{\"error\": \"" + e + "\"}");
                }
            }, "shm-it-python");
            t.setDaemon(true);
            t.start();
        }

        static Python start(Path dir, String camera, int count, int seconds) throws IOException {
            String python = interpreter();
            ProcessBuilder pb = new ProcessBuilder(python, Path.of("src/test/python/shm_read.py").toAbsolutePath()
                    .toString(), dir.toString(), camera, Integer.toString(count), Integer.toString(seconds));
            pb.environment().put("PYTHONPATH", DIST.resolve("python").toAbsolutePath().toString());
            pb.redirectErrorStream(true);
            return new Python(pb.start());
        }

        /** /usr/bin/python3 (Debian's, with python3-numpy) or the python3 on the PATH, whichever has numpy. */
        static String interpreter() throws IOException {
            for (String candidate : List.of("/usr/bin/python3", "python3")) {
                try {
                    Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                    if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        return candidate;
                    }
                    p.destroyForcibly();
                } catch (IOException e) {
                    // not there: the next one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            throw new AssertionError("no python3 with numpy: install Debian's python3-numpy (./test does)");
        }

        String line(int seconds) throws InterruptedException {
            String l = lines.poll(seconds, TimeUnit.SECONDS);
            assertNotNull("a line from the Python reader within " + seconds + " s", l);
            assertFalse(l, l.startsWith("{\"error\""));
            return l;
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
