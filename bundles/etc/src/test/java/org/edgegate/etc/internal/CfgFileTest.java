package org.edgegate.etc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CfgFileTest {
    private static final String SHIPPED = "# Demo: the seed's temperature/humidity board, simulated.\n"
            + "id = th\n"
            + "port = sim:th?rate=1\n"
            + "# the degree sign, escaped\n"
            + "channels = T:temperature:\\u00b0C, H:humidity:%\n"
            + "data = ${edgegate.data}/th\n";

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private Path shipped() throws Exception {
        Path file = dir.getRoot().toPath().resolve("org.edgegate.serial.sensor-th.cfg");
        Files.writeString(file, SHIPPED, StandardCharsets.ISO_8859_1);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        return file;
    }

    /** What File Install makes of the file: its properties, substituted, plus its own keys. */
    private static Map<String, Object> asMadeByFileInstall(Path file) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", "th");
        p.put("port", "sim:th?rate=1");
        p.put("channels", "T:temperature:\u00b0C, H:humidity:%");
        p.put("data", "/var/lib/edgegate/th");
        p.put("service.pid", "org.edgegate.serial.sensor~th");
        p.put("service.factoryPid", "org.edgegate.serial.sensor");
        p.put("felix.fileinstall.filename", file.toUri().toString());
        return p;
    }

    private static boolean update(Path file, Map<String, Object> p) throws Exception {
        // the callback is asked for a variable's value by its name, as File Install asks the framework
        return new CfgFile((name, key, variable) -> "edgegate.data".equals(variable) ? "/var/lib/edgegate" : null,
                StandardCharsets.ISO_8859_1).update(file, p);
    }

    @Test
    public void aConfigurationMadeFromTheFileLeavesItUntouched() throws Exception {
        Path file = shipped();
        assertFalse(update(file, asMadeByFileInstall(file)));
        assertEquals(SHIPPED, Files.readString(file, StandardCharsets.ISO_8859_1));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    public void aChangedValueIsWrittenWithCommentsKeptAndNoTemporaryFileLeft() throws Exception {
        Path file = shipped();
        Map<String, Object> p = asMadeByFileInstall(file);
        p.put("port", "/dev/ttyUSB1");
        p.put("baud", 9600);
        p.remove("data");
        assertTrue(update(file, p));
        String now = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(now, now.contains("# Demo: the seed's temperature/humidity board, simulated."));
        assertTrue(now, now.contains("# the degree sign, escaped"));
        assertTrue(now, now.contains("/dev/ttyUSB1") && !now.contains("sim:th"));
        assertTrue(now, now.contains("baud") && now.contains("9600"));
        assertFalse(now, now.contains("data ="));
        assertFalse(now, now.contains("felix.fileinstall") || now.contains("service.pid"));
        try (var files = Files.list(dir.getRoot().toPath())) {
            assertEquals(1, files.count());
        }
        // read back as File Install reads it: nothing left to write
        Map<String, Object> again = asMadeByFileInstall(file);
        again.put("port", "/dev/ttyUSB1");
        again.put("baud", 9600);
        again.remove("data");
        assertFalse(update(file, again));
    }

    @Test
    public void aConsoleSaveIsWrittenAndTheFileKeepsItsMode() throws Exception {
        Path file = shipped();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> p = asMadeByFileInstall(file);
        p.remove("felix.fileinstall.filename"); // the Web Console's Save drops it
        p.put("baud", 9600);
        p.put("enabled", Boolean.TRUE);
        p.put("fps", 10.0);
        assertTrue(update(file, p));
        CfgFile cfg = new CfgFile((name, key, variable) -> "edgegate.data".equals(variable) ? "/var/lib/edgegate" : null,
                StandardCharsets.ISO_8859_1);
        Map<String, Object> read = cfg.read(file);
        assertEquals("read back with their types, as File Install reads them", 10.0, read.get("fps"));
        assertEquals(9600, read.get("baud"));
        assertEquals(Boolean.TRUE, read.get("enabled"));
        assertEquals("th", read.get("id"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void aNewFileIsReadableByItsGroupOnlyWhateverTheUmask() throws Exception {
        Path file = dir.getRoot().toPath().resolve("org.edgegate.camera-front.cfg");
        Files.deleteIfExists(file);
        Map<String, Object> p = new HashMap<>();
        p.put("id", "front");
        p.put("fps", 12.5);
        assertTrue(update(file, p));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        CfgFile cfg = new CfgFile((name, key, variable) -> null, StandardCharsets.ISO_8859_1);
        assertEquals(12.5, cfg.read(file).get("fps"));
        assertFalse(update(file, p));
    }

    @Test
    public void theTemporaryFileIsNotOpenedThroughALinkPlantedInItsPlace() throws Exception {
        Path file = shipped();
        Path victim = dir.newFile("victim").toPath();
        Files.writeString(victim, "keep");
        Files.createSymbolicLink(file.resolveSibling("." + file.getFileName() + ".saving"), victim);
        Map<String, Object> p = asMadeByFileInstall(file);
        p.put("port", "/dev/ttyUSB3");
        assertTrue(update(file, p));
        assertEquals("keep", Files.readString(victim));
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).contains("/dev/ttyUSB3"));
    }
}
