package org.edgegate.it;

import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * docs/zmq.md: "max.fps paces without drift (25 fps limited to 10 gives 10)". One 25 fps camera, two native
 * endpoints: one limited to 10, one not (the control). Rates come from the frames' own capture timestamps, read
 * in the same window, so a loaded machine slows both sides alike: the limited stream carries
 * min(10, what the camera made).
 */
@ExamReactorStrategy(PerClass.class)
public class PromisesZmqIT extends GatewayTestSupport {
    private static final Duration T = Duration.ofSeconds(60);
    private final List<Configuration> configurations = new ArrayList<>();
    private final ZContext zmq = new ZContext();

    @After
    public void tearDown() throws Exception {
        zmq.close();
        for (Configuration c : configurations) {
            c.delete();
        }
    }

    private String endpoint(String id, Map<String, Object> extra) throws Exception {
        String address = "tcp://127.0.0.1:" + freePort();
        Map<String, Object> p = new java.util.HashMap<>(extra);
        p.put("id", id);
        p.put("mode", "native");
        p.put("address", address);
        p.put("topics", "camera/pz");
        configurations.add(createFactoryConfiguration("org.edgegate.zmq.endpoint", id, p));
        return address;
    }

    /** A frame header seen by a subscriber: its capture time (ms) and sequence. */
    private record Seen(double ts, long seq) {
    }

    private static Seen receive(ZMQ.Socket sub) {
        byte[] topic = sub.recv(0);
        if (topic == null) {
            return null;
        }
        JsonObject header = JsonParser.parseString(sub.recvStr(0)).getAsJsonObject();
        while (sub.hasReceiveMore()) {
            sub.recv(0);
        }
        assertTrue(new String(topic, StandardCharsets.UTF_8).equals("camera/pz"));
        return new Seen(header.get("ts").getAsDouble(), header.get("seq").getAsLong());
    }

    /**
     * A subscriber that has received a frame: JeroMQ SUB-PUB connections sometimes stall in the handshake
     * (FIELD-NOTES), so one that gets nothing for ten seconds is replaced.
     */
    private ZMQ.Socket subscriber(String address) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ZMQ.Socket s = zmq.createSocket(SocketType.SUB);
            s.setReceiveTimeOut(200);
            s.connect(address);
            s.subscribe("camera/pz".getBytes(StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (receive(s) != null) {
                    return s;
                }
            }
            zmq.destroySocket(s);
        }
        throw new AssertionError("no frame on " + address + " for five subscribers in a row");
    }

    /** Frames per second between the first and the last of these frames, by their capture timestamps. */
    private static double rate(List<Seen> frames) {
        return (frames.size() - 1) * 1000.0 / (frames.get(frames.size() - 1).ts() - frames.get(0).ts());
    }

    /** How many of these frames a drift-free pacer at {@code fps} passes (the first, then one per interval). */
    private static int pacedCount(List<Seen> frames, double fps) {
        double interval = 1000 / fps;
        Double next = null;
        int count = 0;
        for (Seen f : frames) {
            if (next != null && f.ts() < next) {
                continue;
            }
            double following = next == null ? f.ts() + interval : next + interval;
            next = following <= f.ts() ? f.ts() + interval : following;
            count++;
        }
        return count;
    }

    @Test
    public void maxFpsGivesTheAskedRate() throws Exception {
        configurations.add(createFactoryConfiguration("org.edgegate.camera", "pz", Map.of("id", "pz", "source",
                "pattern:", "width", 160, "height", 120, "fps", 25, "enabled", true)));
        ZMQ.Socket limited = subscriber(endpoint("pzlimited", Map.of("max.fps", 10.0)));
        ZMQ.Socket control = subscriber(endpoint("pzcontrol", Map.of()));
        List<Seen> slow = new ArrayList<>();
        List<Seen> all = new ArrayList<>();
        // both read in one loop, so both see the same stretch of the camera's life
        long deadline = System.nanoTime() + T.toNanos() * 2;
        while (slow.size() < 51 && System.nanoTime() < deadline) {
            for (Seen s; (s = receive(limited)) != null;) {
                slow.add(s);
                if (slow.size() >= 51) {
                    break;
                }
            }
            for (Seen s; (s = receive(control)) != null;) {
                all.add(s);
                if (!slow.isEmpty() && s.ts() >= slow.get(slow.size() - 1).ts()) {
                    break;
                }
            }
        }
        assertTrue("51 limited frames within the deadline, got " + slow.size(), slow.size() >= 51);
        double first = slow.get(1).ts(); // from the second on: the subscriptions began at different moments
        double last = slow.get(slow.size() - 1).ts();
        List<Seen> window = all.stream().filter(s -> s.ts() >= first && s.ts() <= last).toList();
        List<Seen> paced = slow.subList(1, slow.size());
        double camera = rate(window);
        double got = rate(paced);
        // what a 10 fps pacer lets through of the frames the camera really made in that window: on a steady
        // camera 10 a second; a camera stalled by a loaded machine starts again from its next frame (no burst)
        int expected = pacedCount(window, 10);
        System.out.printf("PromisesZmqIT: max.fps 10 gave %.2f fps over %d frames (a 10 fps pacer on the "
                + "control's frames: %d); the camera made %.2f fps (%d frames) in the same window%n", got,
                paced.size(), expected, camera, window.size());
        assertTrue("max.fps 10 gave " + got + " fps", got <= 10 * 1.1);
        assertTrue("max.fps 10 let " + paced.size() + " frames through where a 10 fps pacer on the camera's frames "
                + "lets " + expected, Math.abs(paced.size() - expected) <= Math.max(4, expected / 10));
        for (int i = 1; i < paced.size(); i++) {
            assertTrue("frames in order", paced.get(i).seq() > paced.get(i - 1).seq());
        }
    }
}
