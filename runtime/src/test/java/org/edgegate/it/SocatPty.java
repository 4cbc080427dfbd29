package org.edgegate.it;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pseudo-terminal pair made by socat: the gateway opens {@link #device()} through jSerialComm as if
 * it were /dev/ttyUSB0, the test plays the board by writing into {@link #board()}. Killing socat is
 * unplugging the board; {@link #start()} again plugs it back in at the same path.
 */
final class SocatPty implements AutoCloseable {
    private final Path dir;
    private Process socat;
    private OutputStream board;

    SocatPty(Path parent) throws IOException {
        Files.createDirectories(parent);
        dir = Files.createTempDirectory(parent, "pty");
    }

    Path device() {
        return dir.resolve("dev");
    }

    /** The board's end, for a program that plays the board itself (a Modbus server). */
    Path boardPath() {
        return dir.resolve("board");
    }

    SocatPty start() throws IOException {
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + device(), "pty,raw,echo=0,link=" + boardPath())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        GatewayTestSupport.await("socat's pty links in " + dir, Duration.ofSeconds(10),
                () -> Files.exists(device()) && Files.exists(boardPath()));
        return this;
    }

    /** Unplugs the board: socat ends and both ptys vanish. */
    void kill() throws Exception {
        closeBoard();
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        GatewayTestSupport.await("socat's links to go", Duration.ofSeconds(5), () -> !Files.exists(device()));
    }

    /** The board's end, kept open until {@link #kill()}. Writes block while the pty is full: nothing is lost. */
    synchronized OutputStream board() throws IOException {
        if (board == null) {
            board = new FileOutputStream(boardPath().toFile());
        }
        return board;
    }

    void write(String text) throws IOException {
        OutputStream out = board();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** How many file descriptors of this JVM are open on the device end (the gateway's port). */
    long openDescriptors() throws IOException {
        Path target = device().toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false;
                }
            }).count();
        }
    }

    private synchronized void closeBoard() {
        if (board != null) {
            try {
                board.close();
            } catch (IOException ignored) {
                // the pty is going away anyway
            }
            board = null;
        }
    }

    @Override
    public void close() throws Exception {
        if (socat != null && socat.isAlive()) {
            kill();
        }
        Files.deleteIfExists(dir);
    }
}
