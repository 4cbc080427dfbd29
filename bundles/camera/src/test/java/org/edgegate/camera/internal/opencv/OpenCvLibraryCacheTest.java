package org.edgegate.camera.internal.opencv;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OpenCvLibraryCacheTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theFolderIsUsedOnlyWhenTheJdkLooksInIt() {
        assertEquals(Path.of("/opt/eg/data/native"),
                OpenCvLibraryCache.folder("/opt/eg/data/native", "/opt/eg/data/native/:/usr/lib"));
        assertNull(OpenCvLibraryCache.folder("/opt/eg/data/native", "/usr/java/packages/lib:/usr/lib"));
        assertNull(OpenCvLibraryCache.folder(null, "/opt/eg/data/native"));
        assertNull(OpenCvLibraryCache.folder(" ", "/opt/eg/data/native"));
        assertNull(OpenCvLibraryCache.folder("/opt/eg/data/native", null));
    }

    @Test
    public void theEntryFollowsOpenpnpsLayout() {
        String f = "libopencv_java490.so";
        assertEquals("nu/pattern/opencv/linux/x86_64/" + f, OpenCvLibraryCache.entry("Linux", "amd64", f));
        assertEquals("nu/pattern/opencv/linux/ARMv8/" + f, OpenCvLibraryCache.entry("Linux", "aarch64", f));
        assertEquals("nu/pattern/opencv/linux/ARMv7/" + f, OpenCvLibraryCache.entry("Linux", "arm", f));
        assertNull(OpenCvLibraryCache.entry("Linux", "riscv64", f));
        assertNull(OpenCvLibraryCache.entry("Mac OS X", "aarch64", f));
    }

    @Test
    public void copiedOnceThenKeptUntilTheSourceChanges() throws IOException {
        Path jar = tmp.newFile("lib-a.so").toPath();
        Files.write(jar, new byte[] {1, 2, 3});
        Path folder = tmp.getRoot().toPath().resolve("native");
        URL source = jar.toUri().toURL();

        assertTrue(OpenCvLibraryCache.prepare(folder, "libx.so", source, "opencv 4.9.0 entry"));
        Path lib = folder.resolve("libx.so");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(lib));
        Files.setLastModifiedTime(lib, FileTime.fromMillis(1000));
        assertFalse("the same source: kept", OpenCvLibraryCache.prepare(folder, "libx.so", source, "opencv 4.9.0 entry"));
        assertEquals(1000, Files.getLastModifiedTime(lib).toMillis());

        assertTrue("another version: replaced", OpenCvLibraryCache.prepare(folder, "libx.so", source, "opencv 5.0.0 entry"));
        Files.write(jar, new byte[] {4, 5, 6, 7});
        assertTrue("another size: replaced", OpenCvLibraryCache.prepare(folder, "libx.so", source, "opencv 5.0.0 entry"));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, Files.readAllBytes(lib));

        Files.write(lib, new byte[] {9}); // a damaged copy (not the size of its source) is replaced
        assertTrue(OpenCvLibraryCache.prepare(folder, "libx.so", source, "opencv 5.0.0 entry"));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, Files.readAllBytes(lib));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals("no temporary files left", 2, files.count());
        }
    }
}
