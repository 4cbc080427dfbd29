package org.edgegate.shm.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Set;

/** The configured file mode and group, checked, and the directory's mode that goes with them. */
record FilePermissions(Set<PosixFilePermission> file, Set<PosixFilePermission> directory, GroupPrincipal group,
        String text) {

    private static final PosixFilePermission[] BITS = { // from 0400 down to 0001
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE };

    /**
     * Parses an octal mode such as 0600 or 640 and looks the group up (empty: none).
     *
     * @throws IllegalArgumentException with a readable reason
     */
    static FilePermissions parse(String mode, String groupName) {
        String m = mode == null ? "" : mode.trim();
        if (!m.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("mode must be octal file permissions such as 0600 or 0640, not '"
                    + mode + "'");
        }
        int bits = Integer.parseInt(m, 8);
        if ((bits & 0600) != 0600) {
            throw new IllegalArgumentException("mode " + m + " must let the owner (the gateway) read and write");
        }
        if ((bits & 0111) != 0) {
            throw new IllegalArgumentException("mode " + m + " makes frame files executable: leave out the 1 bits");
        }
        Set<PosixFilePermission> file = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < 9; i++) {
            if ((bits & (0400 >> i)) != 0) {
                file.add(BITS[i]);
            }
        }
        Set<PosixFilePermission> dir = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        if (file.contains(PosixFilePermission.GROUP_READ)) {
            dir.add(PosixFilePermission.GROUP_READ);
            dir.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (file.contains(PosixFilePermission.OTHERS_READ)) {
            dir.add(PosixFilePermission.OTHERS_READ);
            dir.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        GroupPrincipal group = null;
        String g = groupName == null ? "" : groupName.trim();
        if (!g.isEmpty()) {
            try {
                group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(g);
            } catch (UserPrincipalNotFoundException e) {
                throw new IllegalArgumentException("group '" + g + "' does not exist on this system");
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("cannot look group '" + g + "' up: " + e.getMessage());
            }
        }
        return new FilePermissions(file, dir, group, String.format("%04o", bits) + (group == null ? "" : " " + g));
    }

    /** Sets the file's mode (exactly, whatever the umask) and group, never through a symbolic link. */
    void apply(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setPermissions(file);
        if (group != null) {
            view.setGroup(group);
        }
    }

    /**
     * Makes the directory if it is missing, private but for the files' readers (created so, whatever the
     * umask); an existing one is used only when it is a directory of the gateway's user that nobody else
     * can write to: in a shared place such as /dev/shm, anyone may have made it first to plant links.
     *
     * @throws IOException saying why the directory is refused
     */
    void makeDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(directory)); // the umask only removes
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: checked below like any existing one
            }
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view.readAttributes().owner().equals(self())) {
                view.setPermissions(directory);
                if (group != null) {
                    view.setGroup(group);
                }
            }
        }
        check(dir, self());
    }

    /** Refuses a directory that is a link, another user's, or writable by others than its owner. */
    static void check(Path dir, UserPrincipal self) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new IOException(dir + " is a symbolic link: refused, give a directory of the gateway's own");
        }
        if (!a.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        if (!a.owner().equals(self)) {
            throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to " + self.getName()
                    + " (the gateway's user): refused; remove it or give another dir");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by " + (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    ? "everyone" : "its group") + " (mode " + PosixFilePermissions.toString(a.permissions())
                    + "): refused; make it private (chmod go-w) or give another dir");
        }
    }

    /** The user this JVM runs as. */
    static UserPrincipal self() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
