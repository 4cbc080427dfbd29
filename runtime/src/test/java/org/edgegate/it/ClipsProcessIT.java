package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A clip cut by {@code kill -9}: the shipped runtime ({@code bin/edgegate}, its demo camera) records a manual clip,
 * is killed while it writes, and is started again; the clip is then whole up to its last whole frame, and ffprobe
 * and OpenCV count the frames its repaired manifest says.
 */
public class ClipsProcessIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));

    /** The frame count the .avi's header says (patched every second while recording). */
    private static int headerFrames(Path avi) {
        try (RandomAccessFile f = new RandomAccessFile(avi.toFile(), "r")) {
            if (f.length() < 224) {
                return 0;
            }
            f.seek(48);
            return Integer.reverseBytes(f.readInt());
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path onlyClip(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(Files::isDirectory).toList();
            return all.size() == 1 ? all.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonObject manifest(Path clip) {
        try {
            return JsonParser.parseString(Files.readString(clip.resolve("manifest.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Test
    public void aClipCutByKill9IsReadableUpToItsLastWholeFrameAfterTheRestart() throws Exception {
        try (RuntimeProcess g = new RuntimeProcess("ClipsProcessIT")) {
            g.start();
            RuntimeProcess.Result r = GatewayTestSupport.awaitValue("a manual clip of the demo camera started",
                    RuntimeProcess.TIMEOUT, () -> {
                        RuntimeProcess.Result x = g.cli("gw:clips", "record", "demo", "120");
                        return x.status() == 0 && x.output().contains("recording clip") ? x : null;
                    });
            Path manual = g.home().resolve("data/clips/manual");
            Path clip = GatewayTestSupport.awaitValue("the clip's folder " + r.output(), RuntimeProcess.TIMEOUT,
                    () -> Files.isDirectory(manual) ? onlyClip(manual) : null);
            Path avi = clip.resolve("demo.avi");
            GatewayTestSupport.await("two seconds of frames written and the header patched", RuntimeProcess.TIMEOUT,
                    () -> headerFrames(avi) >= 40);
            g.process().destroyForcibly(); // SIGKILL while the clip is written: no shutdown, no index
            assertTrue(g.process().waitFor(20, TimeUnit.SECONDS));
            assertEquals("recording", manifest(clip).get("state").getAsString());
            long cutAt = Files.size(avi);

            g.start();
            GatewayTestSupport.await("the clip repaired at start-up", RuntimeProcess.TIMEOUT,
                    () -> manifest(clip) != null && manifest(clip).get("state").getAsString().equals("repaired"));
            JsonObject cam = manifest(clip).getAsJsonArray("cameras").get(0).getAsJsonObject();
            int frames = cam.get("frames").getAsInt();
            assertTrue("frames kept: " + frames, frames >= 40);
            assertTrue("no frame written after the restart", Files.size(avi) <= cutAt + 8 + 16L * frames);
            ClipsIT.assertReadableWithFrames(avi, frames, 480);
            String listing = g.cli("gw:clips").output();
            assertTrue(listing, listing.contains("1 repaired after a crash"));
            System.out.println("ClipsProcessIT: " + frames + " frames kept of a clip cut at " + cutAt + " bytes");
        }
    }
}
