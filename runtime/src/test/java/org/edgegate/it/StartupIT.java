package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

/**
 * What {@code bin/edgegate} does to start faster (issue 22), on the shipped demo, stopped with SIGTERM as an
 * operator stops it: OpenCV's library is taken from {@code data/native} (not inflated out of its jar again),
 * the class data archive is written at the first stop and mapped by the next start, the cached bundles are
 * not copied again at a restart, and still: a changed jar in {@code bundle/} is what runs after the restart
 * (an upgrade), and hot deploy works with the archive mapped.
 */
public class StartupIT {
    private static final String OPENCV = "data/native/libopencv_java490.so";

    private RuntimeProcess gateway;

    @After
    public void stopIt() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void aRestartMapsTheCachedLibraryAndArchiveAndCopiesNoBundle() throws Exception {
        gateway = new RuntimeProcess("StartupIT");
        Path home = gateway.home();
        gateway.start();
        awaitAllOk();
        List<String> maps = maps();
        assertTrue("OpenCV from " + OPENCV, maps.stream().anyMatch(l -> l.endsWith(home.resolve(OPENCV).toString())));
        assertFalse("no temporary copy of OpenCV", maps.stream().anyMatch(l -> l.contains("opencv_openpnp")));
        stop();
        Path archive;
        try (Stream<Path> files = Files.list(home.resolve("data/cds"))) {
            archive = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst()
                    .orElseThrow(() -> new AssertionError("no class data archive written at the stop"));
        }
        FileTime libraryTime = Files.getLastModifiedTime(home.resolve(OPENCV));
        Map<String, String> revisions = revisions();

        gateway.start();
        awaitAllOk();
        maps = maps();
        assertTrue("the archive is mapped", maps.stream().anyMatch(l -> l.endsWith(archive.toString())));
        assertTrue("OpenCV from " + OPENCV, maps.stream().anyMatch(l -> l.endsWith(home.resolve(OPENCV).toString())));
        assertEquals("the library is not copied again", libraryTime, Files.getLastModifiedTime(home.resolve(OPENCV)));
        assertEquals("no bundle copied into the cache again", revisions, revisions());

        // Hot deploy with the archive mapped: the shipped plug-in dropped into deploy/ runs.
        Files.copy(home.resolve("plugins/edgegate-parser-nmea.jar"), home.resolve("deploy/edgegate-parser-nmea.jar"));
        GatewayTestSupport.await("the hot-deployed plug-in ACTIVE", RuntimeProcess.TIMEOUT, () -> {
            RuntimeProcess.Result lb = gateway.bundles();
            return lb.status() == 0 && lb.output().lines().anyMatch(l -> l.contains("Active") && l.contains("nmea"));
        });
        stop();

        // An upgrade: a jar in bundle/ replaced (here: the same bytes, a new time) is installed again.
        Path shell;
        try (Stream<Path> jars = Files.list(home.resolve("bundle"))) {
            shell = jars.filter(j -> j.getFileName().toString().startsWith("edgegate-shell-")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(shell, FileTime.fromMillis(System.currentTimeMillis()));
        Map<String, String> before = revisions();
        gateway.start();
        awaitAllOk();
        assertNotEquals("the bundles are updated from bundle/ after it changed", before, revisions());
    }

    private void awaitAllOk() {
        GatewayTestSupport.await("gw:status All OK with the demo camera", RuntimeProcess.TIMEOUT, () -> {
            RuntimeProcess.Result s = gateway.cli("gw:status");
            return s.status() == 0 && s.output().contains("All OK") && s.output().contains("demo");
        });
    }

    private void stop() throws InterruptedException {
        gateway.process().destroy(); // SIGTERM
        assertTrue("stops after SIGTERM", gateway.process().waitFor(RuntimeProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    private List<String> maps() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(gateway.process().pid()), "maps"));
    }

    /** Each cached bundle's revision folders (a copy of its jar is a new one). */
    private Map<String, String> revisions() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> bundles = Files.list(gateway.home().resolve("data/cache"))) {
            for (Path b : bundles.filter(Files::isDirectory).toList()) {
                try (Stream<Path> versions = Files.list(b)) {
                    out.put(b.getFileName().toString(), versions.map(v -> v.getFileName().toString())
                            .filter(v -> v.startsWith("version")).sorted().toList().toString());
                }
            }
        }
        return out;
    }
}
