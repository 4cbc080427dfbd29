package org.edgegate.shm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a small file, held while a publisher owns a camera's frame file, so that a second
 * gateway on the machine configured for the same directory reports the conflict instead of replacing the
 * first one's file again and again. The file holds the owner's process id, for the message.
 */
final class FileLock {
    private final Path path;
    private final FileChannel channel;
    private final java.nio.channels.FileLock lock;

    private FileLock(Path path, FileChannel channel, java.nio.channels.FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails with a message naming the process that holds it. */
    static FileLock take(Path path, FilePermissions permissions) throws IOException {
        FileChannel channel;
        try {
            // Never through a symbolic link: one planted in a shared directory would make the gateway truncate
            // and chmod the file it points to.
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(path)) {
                throw new IOException(path + " is a symbolic link: refused (someone else can write to the directory?)");
            }
            throw e;
        }
        try {
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                ByteBuffer b = ByteBuffer.allocate(32);
                channel.read(b, 0);
                String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
                throw new IOException(path.getParent().resolve(path.getFileName().toString()
                        .replaceFirst("^\\.", "").replaceFirst("\\.lock$", "")) + " is published by another process"
                        + (pid.isEmpty() ? "" : " (pid " + pid + ")") + ": give each gateway its own dir");
            }
            permissions.apply(path);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new FileLock(path, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Removes the lock file and lets go. */
    void release() {
        try {
            Files.deleteIfExists(path);
            lock.release();
        } catch (IOException e) {
            // gone with the directory
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held any more
            }
        }
    }
}
