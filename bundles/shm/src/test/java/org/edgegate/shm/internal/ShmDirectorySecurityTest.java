package org.edgegate.shm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The shared-memory directory lives in a place every local user can write (/dev/shm): a directory someone
 * else made first, or links planted in it, must never make the gateway touch other files. A temporary folder
 * stands in for /dev/shm (never the real /dev/shm/edgegate of other gateways).
 */
public class ShmDirectorySecurityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final FilePermissions ownerOnly = FilePermissions.parse("0600", "");

    private Path victim() throws IOException {
        Path victim = tmp.getRoot().toPath().resolve("victim");
        Files.writeString(victim, "precious");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        return victim;
    }

    private static void assertUntouched(Path victim) throws IOException {
        assertEquals("precious", Files.readString(victim));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
    }

    private static String refused(FilePermissions permissions, Path dir) {
        try {
            permissions.makeDirectory(dir);
        } catch (IOException e) {
            return e.getMessage();
        }
        fail(dir + " accepted");
        return null;
    }

    @Test
    public void aMissingDirectoryIsMadePrivateWhateverTheMode() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("shm/edgegate");
        ownerOnly.makeDirectory(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path group = tmp.getRoot().toPath().resolve("group");
        FilePermissions.parse("0640", "").makeDirectory(group);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(group)));
        ownerOnly.makeDirectory(dir); // ours: used again
    }

    @Test
    public void aDirectoryOthersCanWriteToIsRefusedWithTheReason() throws Exception {
        Path dir = tmp.newFolder("open").toPath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String reason = refused(ownerOnly, dir);
        assertTrue(reason, reason.contains("writable by everyone") && reason.contains("rwxrwxrwx"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        reason = refused(ownerOnly, dir);
        assertTrue(reason, reason.contains("writable by its group"));
    }

    @Test
    public void aDirectoryThatIsALinkIsRefused() throws Exception {
        Path real = tmp.newFolder("real").toPath();
        Path link = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("link"), real);
        String reason = refused(ownerOnly, link);
        assertTrue(reason, reason.contains("symbolic link"));
    }

    @Test
    public void aDirectoryOfAnotherUserIsRefused() throws Exception {
        Assume.assumeTrue("only root can give a directory away", "root".equals(System.getProperty("user.name")));
        Path dir = tmp.newFolder("theirs").toPath();
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.getFileAttributeView(dir, PosixFileAttributeView.class).setOwner(nobody);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        String reason = refused(ownerOnly, dir);
        assertTrue(reason, reason.contains("belongs to nobody"));
    }

    @Test
    public void aPlantedLockLinkIsRefusedAndItsTargetUntouched() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("shm");
        ownerOnly.makeDirectory(dir);
        Path victim = victim();
        Files.createSymbolicLink(dir.resolve(".demo.frames.lock"), victim);
        try {
            FileLock.take(dir.resolve(".demo.frames.lock"), ownerOnly).release();
            fail("a lock taken through a link");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("symbolic link"));
        }
        assertUntouched(victim);
    }

    @Test
    public void aPlantedFrameFileLinkIsReplacedNotWrittenThrough() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("shm");
        ownerOnly.makeDirectory(dir);
        Path victim = victim();
        Files.createSymbolicLink(dir.resolve("demo.frames"), victim);
        FrameFile file = FrameFile.create(dir, "demo", FrameFormat.JPEG, 4, 4, 64, 2, ownerOnly);
        try {
            assertFalse(Files.isSymbolicLink(dir.resolve("demo.frames")));
            assertTrue(Files.isRegularFile(dir.resolve("demo.frames"), LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("demo.frames"))));
        } finally {
            file.close(true);
        }
        assertUntouched(victim);
    }
}
