package org.edgegate.state.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.edgegate.api.state.StateEntry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SnapshotFileTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void roundTripsEveryValueType() throws IOException {
        SnapshotFile file = new SnapshotFile(tmp.getRoot().toPath().resolve("state/state.snapshot"));
        List<StateEntry> entries = List.of(
                new StateEntry("n", 42L, 1, 10),
                new StateEntry("d", -5.5, 2, 11),
                new StateEntry("b", true, 3, 12),
                new StateEntry("s", "héllo", 4, 13),
                new StateEntry("x", new byte[] {0, -1, 7}, 5, 14));
        file.write(entries);
        List<StateEntry> read = file.read();
        assertEquals(entries, read);
        assertArrayEquals(new byte[] {0, -1, 7}, (byte[]) read.get(4).value());
        assertFalse("no temporary file left", Files.exists(file.path().resolveSibling("state.snapshot.tmp")));
    }

    @Test
    public void absentFileIsAnEmptyState() throws IOException {
        assertTrue(new SnapshotFile(tmp.getRoot().toPath().resolve("none")).read().isEmpty());
    }

    @Test
    public void corruptFileIsDetectedAndCanBeKeptAside() throws IOException {
        Path path = tmp.getRoot().toPath().resolve("state.snapshot");
        SnapshotFile file = new SnapshotFile(path);
        file.write(List.of(new StateEntry("k", "value", 1, 1)));
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(path, bytes);
        assertThrows(IOException.class, file::read);
        Path aside = file.keepAside();
        assertTrue(Files.exists(aside));
        assertFalse(Files.exists(path));
        assertTrue(file.read().isEmpty());

        Files.write(path, new byte[] {1, 2, 3});
        assertThrows(IOException.class, file::read);
    }
}
