package org.edgegate.shell.internal.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The command socket's bounds, with real Unix domain sockets and the real client. */
public class CliListenerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<SocketChannel> opened = new ArrayList<>();
    private CliListener listener;
    private Path socket;

    @After
    public void close() throws IOException {
        for (SocketChannel c : opened) {
            c.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    private void start(CliListener.Limits limits, CliListener.Commands commands) throws IOException {
        socket = tmp.getRoot().toPath().resolve("cli.sock");
        listener = new CliListener(socket, limits, commands, m -> { });
    }

    private static int echo(String line, PrintStream out, PrintStream err) {
        out.print("ran " + line);
        return 0;
    }

    private SocketChannel idle() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        opened.add(c);
        return c;
    }

    /** Runs the real client; its stdout and stderr together. */
    private Result cli(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = CliClient.run(socket, line, ps, ps);
        return new Result(status, out.toString(StandardCharsets.UTF_8));
    }

    record Result(int status, String output) {
    }

    /**
     * A gateway installed deep in the file tree: the socket's absolute path is too long for a Unix domain
     * socket address (107 bytes), so the listener binds and the client connects by the path relative to the
     * working directory (the gateway's home, for bin/edgegate and bin/edgegate-cli).
     */
    @Test
    public void aSocketDeepInTheFileTreeIsReachedFromTheWorkingDirectory() throws Exception {
        Path deep = Path.of("target", "deep-" + "d".repeat(80));
        socket = deep.toAbsolutePath().resolve("cli.sock");
        assertTrue(socket.toString(), socket.toString().length() > CliSocket.MAX_PATH_BYTES);
        try {
            listener = new CliListener(socket, CliListener.Limits.DEFAULTS, CliListenerTest::echo, m -> { });
            Result r = cli("gw:status");
            assertEquals(r.output(), 0, r.status());
            assertEquals("ran gw:status", r.output());
        } finally {
            if (listener != null) {
                listener.close();
                listener = null;
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(deep);
        }
    }

    @Test
    public void idleConnectionsNeitherHoldCommandThreadsNorStayOpen() throws Exception {
        start(new CliListener.Limits(16, 2, 300), CliListenerTest::echo);
        List<SocketChannel> idle = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            idle.add(idle());
        }
        Result r = cli("gw:status");
        assertEquals(r.output(), 0, r.status());
        assertEquals("ran gw:status", r.output());
        for (SocketChannel c : idle) {
            await(() -> endOfStream(c));
        }
        await(() -> listener.waiting() == 0);
    }

    @Test
    public void aHalfSentRequestIsClosedAtTheReadTimeout() throws Exception {
        start(new CliListener.Limits(16, 2, 300), CliListenerTest::echo);
        SocketChannel c = idle();
        c.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 'g', 'w'})); // announces 65535 bytes, sends 2
        await(() -> endOfStream(c));
    }

    @Test
    public void connectionsBeyondTheBoundAreRefusedAsBusy() throws Exception {
        start(new CliListener.Limits(2, 2, 10_000), CliListenerTest::echo);
        idle();
        idle();
        await(() -> listener.waiting() == 2);
        Result r = cli("gw:status");
        assertEquals(r.output(), CliListener.BUSY, r.status());
        assertTrue(r.output(), r.output().contains("2 connections already wait"));
        assertFalse(r.output().contains("Exception"));
    }

    @Test
    public void commandsBeyondTheThreadsAreRefusedAsBusyAndOthersStillRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        start(new CliListener.Limits(16, 1, 10_000), (line, out, err) -> {
            if (line.equals("slow")) {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        });
        Thread slow = new Thread(() -> cli("slow"));
        slow.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        Result busy = cli("gw:status");
        assertEquals(busy.output(), CliListener.BUSY, busy.status());
        assertTrue(busy.output(), busy.output().contains("1 commands already running"));
        release.countDown();
        slow.join(10_000);
        await(() -> cli("gw:status").status() == 0);
    }

    @Test
    public void aFailedCommandIsItsMessageAndStatusOne() throws Exception {
        start(CliListener.Limits.DEFAULTS, (line, out, err) -> {
            err.println(CliServer.message(new IllegalArgumentException("x".repeat(100_000))));
            return 1;
        });
        Result r = cli("gw:get a");
        assertEquals(1, r.status());
        assertTrue("bounded: " + r.output().length(), r.output().length() < CliListener.MAX_ERROR + 100);
        assertTrue(r.output().contains("(100000 characters)"));
    }

    @Test
    public void closingRemovesTheSocketAndItsThreads() throws Exception {
        start(CliListener.Limits.DEFAULTS, CliListenerTest::echo);
        SocketChannel waiting = idle();
        assertEquals(0, cli("x").status());
        listener.close();
        listener = null;
        assertFalse(Files.exists(socket));
        await(() -> endOfStream(waiting));
        await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("edgegate-cli")));
        assertEquals(CliClient.NO_GATEWAY, cli("x").status());
    }

    private static boolean endOfStream(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(16)) < 0;
        } catch (IOException closed) {
            return true;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
