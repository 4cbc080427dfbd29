package org.edgegate.logging.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RollingFileTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void rotatesBySizeAndKeepsTheConfiguredNumberOfFiles() throws Exception {
        Path log = folder.getRoot().toPath().resolve("log/edgegate.log");
        try (RollingFile file = new RollingFile(log, 20, 2)) {
            for (int i = 0; i < 6; i++) {
                file.write("line " + i + " 0123456\n"); // 15 bytes: one line per file
            }
        }
        assertEquals("line 5 0123456\n", Files.readString(log));
        assertEquals("line 4 0123456\n", Files.readString(log.resolveSibling("edgegate.log.1")));
        assertEquals("line 3 0123456\n", Files.readString(log.resolveSibling("edgegate.log.2")));
        assertFalse("only two rotated files kept", Files.exists(log.resolveSibling("edgegate.log.3")));
    }

    @Test
    public void appendsToAnExistingFileAndCountsItsSize() throws Exception {
        Path log = folder.getRoot().toPath().resolve("edgegate.log");
        Files.writeString(log, "0123456789\n"); // 11 bytes from an earlier run
        try (RollingFile file = new RollingFile(log, 20, 1)) {
            file.write("abcdefgh\n"); // 20 bytes in all: still fits
            assertFalse(Files.exists(log.resolveSibling("edgegate.log.1")));
            file.write("x\n"); // would pass the limit: rotate first
        }
        assertEquals("x\n", Files.readString(log));
        assertEquals("0123456789\nabcdefgh\n", Files.readString(log.resolveSibling("edgegate.log.1")));
    }

    @Test
    public void keepingNoFileTruncates() throws Exception {
        Path log = folder.getRoot().toPath().resolve("edgegate.log");
        try (RollingFile file = new RollingFile(log, 10, 0)) {
            file.write("12345678\n");
            file.write("abcdefgh\n");
        }
        assertEquals("abcdefgh\n", Files.readString(log));
        assertFalse(Files.exists(log.resolveSibling("edgegate.log.1")));
    }

    @Test
    public void formatsOneLinePerEntryWithItsStackTrace() {
        String text = LogFormat.format(0L, "ERROR", "org.edgegate.serial", "Sensor.th", "edgegate-serial-th",
                "port gone", new IllegalStateException("EIO"));
        String[] lines = text.split(System.lineSeparator());
        assertTrue(lines[0], lines[0].matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[org.edgegate.serial\\] Sensor.th: port gone \\{edgegate-serial-th\\}"));
        assertEquals("java.lang.IllegalStateException: EIO", lines[1]);
    }
}
