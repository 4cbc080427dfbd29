package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The shipped etc/ in a test home listens on no shipped port. */
public class FreePortsTest {
    private static final Path SHIPPED_ETC = Path.of("src/main/dist/etc");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void everyShippedPortMovesToAFreeOneTheSameInEveryFile() throws Exception {
        Path etc = temp.newFolder("etc").toPath();
        try (Stream<Path> files = Files.list(SHIPPED_ETC)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        Map<Integer, Integer> moved = FreePorts.rewrite(etc);
        assertTrue("moved: " + moved, moved.keySet().containsAll(java.util.Set.of(8080, 5556, 5557)));
        try (Stream<Path> files = Files.list(etc)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                for (int old : moved.keySet()) {
                    assertFalse(f + " still names " + old, Pattern.compile("(tcp://[^\\s:/]+:|port\\s*=\\s*)" + old + "\\b")
                            .matcher(text).find());
                }
            }
        }
        Matcher address = Pattern.compile("address = tcp://127\\.0\\.0\\.1:(\\d+)")
                .matcher(Files.readString(etc.resolve("org.edgegate.zmq.endpoint-native.cfg")));
        assertTrue(address.find());
        assertEquals((int) moved.get(5556), Integer.parseInt(address.group(1)));
        assertNotEquals(moved.get(5556), moved.get(5557));
        // a serial port is no TCP port
        assertTrue(Files.readString(etc.resolve("org.edgegate.serial.sensor-th.cfg")).contains("port = sim:th"));
    }

    @Test
    public void karafStylePortKeysMoveButOtherNumbersStay() throws Exception {
        Path etc = temp.newFolder("karaf-etc").toPath();
        Files.writeString(etc.resolve("a.cfg"), "sshPort = 8101\ntransport = 7\nfelix.fileinstall.poll=1000\nshutdown.port=0\n");
        Map<Integer, Integer> moved = FreePorts.rewrite(etc);
        assertEquals("sshPort = " + moved.get(8101) + "\ntransport = 7\nfelix.fileinstall.poll=1000\nshutdown.port=0\n",
                Files.readString(etc.resolve("a.cfg")));
    }
}
