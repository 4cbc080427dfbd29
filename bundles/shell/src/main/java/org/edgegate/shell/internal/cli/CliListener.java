package org.edgegate.shell.internal.cli;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The command socket itself, plain Java: one thread accepts connections and reads their requests
 * without blocking, each within {@link Limits#readTimeoutMillis}; only a complete request takes one of
 * the {@link Limits#sessions} command threads. So idle or slow clients can neither hold a command
 * thread nor lock others out: they are closed when their time is up, and beyond
 * {@link Limits#connections} waiting connections a new one is refused at once.
 */
final class CliListener implements AutoCloseable {
    /** The exit status sent when the gateway refuses a request (busy, too many connections). */
    static final int BUSY = 3;
    /** How much of a failed command's message is sent back. */
    static final int MAX_ERROR = 4096;

    /** The bounds of the socket. */
    record Limits(int connections, int sessions, long readTimeoutMillis) {
        static final Limits DEFAULTS = new Limits(16, 4, 5_000);
    }

    /** Runs one command line; returns its exit status. Output goes to the two streams. */
    interface Commands {
        int run(String line, PrintStream out, PrintStream err);
    }

    private final Path socket;
    private final Limits limits;
    private final Commands commands;
    private final Consumer<String> debug;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ExecutorService sessions;
    private final Thread thread;

    /** Binds the socket (owner-only) and starts serving. */
    CliListener(Path socket, Limits limits, Commands commands, Consumer<String> debug) throws IOException {
        this.socket = socket;
        this.limits = limits;
        this.commands = commands;
        this.debug = debug;
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket); // left behind by a gateway that did not stop cleanly
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(CliSocket.address(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        sessions = new ThreadPoolExecutor(0, limits.sessions(), 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> new Thread(r, "edgegate-cli-session-" + n.incrementAndGet()));
        thread = new Thread(this::loop, "edgegate-cli");
        thread.start();
    }

    /** A connection whose request is not complete yet. */
    private static final class Pending {
        final long deadline;
        final ByteBuffer header = ByteBuffer.allocate(2);
        ByteBuffer body;

        Pending(long deadline) {
            this.deadline = deadline;
        }
    }

    private void loop() {
        try {
            while (server.isOpen()) {
                selector.select(nextTimeout());
                List<SelectionKey> complete = new ArrayList<>();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable() && read(key)) {
                        complete.add(key);
                    }
                }
                expire();
                if (!complete.isEmpty()) {
                    complete.forEach(SelectionKey::cancel);
                    selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
                    complete.forEach(this::dispatch);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (server.isOpen()) {
                debug.accept("command socket stopped: " + e);
            }
        } finally {
            for (SelectionKey k : selector.keys()) {
                if (k.channel() != server) {
                    close(k, "the command socket is closing");
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private long nextTimeout() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Pending p) {
                next = Math.min(next, p.deadline - now);
            }
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void accept() throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        if (selector.keys().size() - 1 >= limits.connections()) {
            refuse(client, "edgegate-cli: " + limits.connections() + " connections already wait, try again");
            return;
        }
        client.configureBlocking(false);
        client.register(selector, SelectionKey.OP_READ,
                new Pending(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.readTimeoutMillis())));
    }

    /** Reads what has come; true when the request is complete. */
    private boolean read(SelectionKey key) {
        SocketChannel client = (SocketChannel) key.channel();
        Pending p = (Pending) key.attachment();
        try {
            ByteBuffer target = p.body == null ? p.header : p.body;
            if (client.read(target) < 0) {
                close(key, "client closed before its request was complete");
                return false;
            }
            if (p.body == null && !p.header.hasRemaining()) {
                int length = Short.toUnsignedInt(p.header.getShort(0));
                if (length > CliProtocol.MAX_COMMAND) {
                    close(key, "request over " + CliProtocol.MAX_COMMAND + " bytes");
                    return false;
                }
                p.body = ByteBuffer.allocate(length);
                client.read(p.body);
            }
            return p.body != null && !p.body.hasRemaining();
        } catch (IOException e) {
            close(key, e.toString());
            return false;
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Pending p && now - p.deadline >= 0) {
                close(k, "no complete request within " + limits.readTimeoutMillis() + " ms");
            }
        }
    }

    private void close(SelectionKey key, String why) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        debug.accept("command socket: closed a connection: " + why);
    }

    private void dispatch(SelectionKey key) {
        SocketChannel client = (SocketChannel) key.channel();
        Pending p = (Pending) key.attachment();
        String line;
        try {
            client.configureBlocking(true);
            ByteBuffer utf = ByteBuffer.allocate(2 + p.body.capacity()).put(p.header.flip()).put(p.body.flip());
            line = new DataInputStream(new ByteArrayInputStream(utf.array())).readUTF();
        } catch (IOException e) {
            close(key, "unreadable request: " + e);
            return;
        }
        try {
            sessions.execute(() -> serve(client, line));
        } catch (RejectedExecutionException busy) {
            refuse(client, "edgegate-cli: " + limits.sessions() + " commands already running, try again");
        }
    }

    private void serve(SocketChannel client, String line) {
        try (client) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            PrintStream stdout = new PrintStream(CliProtocol.framed(out, CliProtocol.OUT), true, StandardCharsets.UTF_8);
            PrintStream stderr = new PrintStream(CliProtocol.framed(out, CliProtocol.ERR), true, StandardCharsets.UTF_8);
            int status = commands.run(line, stdout, stderr);
            stdout.flush();
            stderr.flush();
            CliProtocol.writeExit(out, status);
        } catch (IOException e) {
            debug.accept("command socket client went away: " + e);
        }
    }

    /** Sends an error and the {@link #BUSY} status, then closes; the message is a few bytes, so this never blocks. */
    private void refuse(SocketChannel client, String message) {
        try (client) {
            client.configureBlocking(true);
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
            CliProtocol.writeFrame(out, CliProtocol.ERR, bytes, 0, bytes.length);
            CliProtocol.writeExit(out, BUSY);
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    /** Open connections, waiting or running (for tests and diagnosis). */
    int waiting() {
        return Math.max(0, selector.keys().size() - 1);
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
            selector.wakeup();
            thread.join(5000);
            sessions.shutdownNow();
            sessions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(socket);
        }
    }
}
