package org.edgegate.it;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

/**
 * The shared-memory publisher in a place others can write to, in the real runtime: a directory writable by
 * everyone is refused (FAILED, with the reason), a lock file planted as a link never makes the gateway touch
 * its target. Directories of the test home stand in for /dev/shm (never the real /dev/shm/edgegate).
 */
@ExamReactorStrategy(PerClass.class)
public class ShmSecurityIT extends GatewayTestSupport {
    private static final String CAMERA_PID = "org.edgegate.camera";
    private static final String SHM_PID = "org.edgegate.shm.frames";

    private final List<Configuration> configurations = new ArrayList<>();

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith(CAMERA_PID + "-") && !fileName.startsWith(SHM_PID + "-");
    }

    @After
    public void cleanUp() throws Exception {
        for (Configuration c : configurations) {
            c.delete();
        }
    }

    private void publish(String camera, Path dir) throws Exception {
        configurations.add(createFactoryConfiguration(CAMERA_PID, camera, Map.of("id", camera, "source", "pattern:",
                "width", 64, "height", 48, "fps", 10)));
        configurations.add(createFactoryConfiguration(SHM_PID, "p-" + camera, Map.of("id", "p-" + camera,
                "cameras", camera, "dir", dir.toString())));
    }

    private Health health(String publisher) {
        try {
            for (ServiceReference<Monitored> r : context.getServiceReferences(Monitored.class, null)) {
                Monitored m = context.getService(r);
                try {
                    if (m != null && "p-".concat(publisher).equals(m.id())) {
                        return m.health();
                    }
                } finally {
                    context.ungetService(r);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    public void aDirectoryEveryoneCanWriteIsRefusedWithTheReason() throws Exception {
        Path dir = Files.createDirectories(home().resolve("shm-open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        publish("sec-open", dir);
        await("the publisher FAILED: writable by everyone", DEFAULT_TIMEOUT, () -> {
            Health h = health("sec-open");
            return h != null && h.state() == HealthState.FAILED && h.reason().contains("writable by everyone");
        });
        try (var files = Files.list(dir)) {
            assertEquals("nothing made in it", 0, files.count());
        }
    }

    @Test
    public void aLockFilePlantedAsALinkIsRefusedAndItsTargetUntouched() throws Exception {
        Path dir = Files.createDirectories(home().resolve("shm-planted"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path victim = Files.writeString(home().resolve("victim.txt"), "precious");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(dir.resolve(".sec-link.frames.lock"), victim);
        publish("sec-link", dir);
        await("the publisher says why it cannot publish", DEFAULT_TIMEOUT, () -> {
            Health h = health("sec-link");
            return h != null && h.state() == HealthState.RECONNECTING && h.reason().contains("symbolic link");
        });
        assertEquals("precious", Files.readString(victim));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
    }
}
