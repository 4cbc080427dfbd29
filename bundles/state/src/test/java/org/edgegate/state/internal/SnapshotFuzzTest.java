package org.edgegate.state.internal;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.edgegate.api.state.StateEntry;
import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A damaged snapshot is an IOException (the state then starts empty and keeps the file aside), never
 * another exception and never an allocation the file's size does not justify. The second target fixes
 * the checksum of every mutation, so the entries themselves are parsed.
 */
public class SnapshotFuzzTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private byte[] seed() throws IOException {
        SnapshotFile f = new SnapshotFile(tmp.getRoot().toPath().resolve("seed.snapshot"));
        f.write(List.of(new StateEntry("a/n", 42L, 1, 10), new StateEntry("a/d", -5.5, 2, 11),
                new StateEntry("b", true, 3, 12), new StateEntry("s", "héllo", 4, 13),
                new StateEntry("x", new byte[] {0, -1, 7}, 5, 14)));
        return Files.readAllBytes(f.path());
    }

    @Test
    public void damagedFiles() throws IOException {
        Path path = tmp.getRoot().toPath().resolve("state.snapshot");
        SnapshotFile file = new SnapshotFile(path);
        int n = Fuzz.run("snapshot", List.of(seed()), input -> {
            Files.write(path, input);
            file.read();
        }, IOException.class);
        assertTrue(n > 0);
    }

    @Test
    public void damagedEntriesWithAValidChecksum() throws IOException {
        Path path = tmp.getRoot().toPath().resolve("state.snapshot");
        SnapshotFile file = new SnapshotFile(path);
        byte[] seed = seed();
        int n = Fuzz.run("snapshot entries", List.of(Arrays.copyOf(seed, seed.length - 8)), input -> {
            CRC32 crc = new CRC32();
            crc.update(input);
            Files.write(path, ByteBuffer.allocate(input.length + 8).put(input).putLong(crc.getValue()).array());
            file.read();
        }, IOException.class);
        assertTrue(n > 0);
    }
}
