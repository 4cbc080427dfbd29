package org.edgegate.shm.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
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

    /** Sets the file's mode (exactly, whatever the umask) and group. */
    void apply(Path path) throws IOException {
        Files.setPosixFilePermissions(path, file);
        if (group != null) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
        }
    }

    /** Makes the directory if it is missing, with the mode and group that let the files' readers in. */
    void makeDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, directory);
        if (group != null) {
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
        }
    }
}
