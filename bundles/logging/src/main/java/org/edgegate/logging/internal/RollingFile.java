package org.edgegate.logging.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only text file rotated by size: when the next write would pass {@code maxBytes}, the file
 * becomes {@code name.1}, the former {@code name.1} becomes {@code name.2}, and so on; {@code keep}
 * rotated files are kept.
 */
final class RollingFile implements Closeable {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    RollingFile(Path file, long maxBytes, int keep) {
        if (maxBytes <= 0 || keep < 0) {
            throw new IllegalArgumentException("maxBytes must be positive and keep not negative");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    Path path() {
        return file;
    }

    synchronized void write(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            open();
        }
        // A single entry larger than the limit still goes in whole, into a file of its own.
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(bytes);
        // Flushed per entry: the log is for people reading it now, and volume is low.
        out.flush();
        size += bytes.length;
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
