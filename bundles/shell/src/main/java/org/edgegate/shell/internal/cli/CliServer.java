package org.edgegate.shell.internal.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Serves {@code bin/edgegate-cli}: runs each command line it receives in a Gogo session and sends the
 * output back. It listens on a Unix domain socket only (path from the framework property
 * {@value #SOCKET_PROPERTY}), readable and writable by the gateway's user alone, so only that user
 * (and root) can run commands; nothing listens on the network.
 */
@Component(immediate = true)
public class CliServer {
    static final String SOCKET_PROPERTY = "edgegate.cli.socket";
    private static final int MAX_SESSIONS = 4;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private CommandProcessor processor;

    private ServerSocketChannel server;
    private Path socket;
    private Thread acceptor;
    private ExecutorService sessions;

    @Activate
    void activate(BundleContext context) {
        String path = context.getProperty(SOCKET_PROPERTY);
        if (path == null || path.isBlank()) {
            log.info("No command socket: framework property {} is not set", SOCKET_PROPERTY);
            return;
        }
        socket = Path.of(path);
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket); // left behind by a gateway that did not stop cleanly
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            // Owner-only, or also the owner's group when edgegate.cli.socket.mode says so (the .deb: group edgegate).
            String mode = "rw-rw----".equals(context.getProperty(SOCKET_PROPERTY + ".mode")) ? "rw-rw----" : "rw-------";
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
        } catch (IOException | UnsupportedOperationException e) {
            log.error("Cannot open the command socket {}: {}; bin/edgegate-cli will not work", socket, e.toString());
            close();
            return;
        }
        AtomicInteger n = new AtomicInteger();
        sessions = new ThreadPoolExecutor(0, MAX_SESSIONS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> new Thread(r, "edgegate-cli-session-" + n.incrementAndGet()));
        acceptor = new Thread(this::accept, "edgegate-cli");
        acceptor.start();
        log.info("Command socket listening on {}", socket);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        close();
        if (acceptor != null) {
            acceptor.join(5000);
        }
        if (sessions != null) {
            sessions.shutdownNow();
            sessions.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void close() {
        try {
            if (server != null) {
                server.close();
            }
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            log.warn("Closing the command socket: {}", e.toString());
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                log.warn("Command socket accept failed: {}", e.toString());
                continue;
            }
            try {
                sessions.execute(() -> serve(client));
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                refuse(client, "edgegate-cli: " + MAX_SESSIONS + " commands already running, try again\n");
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            String line = in.readUTF();
            PrintStream stdout = new PrintStream(CliProtocol.framed(out, CliProtocol.OUT), true, StandardCharsets.UTF_8);
            PrintStream stderr = new PrintStream(CliProtocol.framed(out, CliProtocol.ERR), true, StandardCharsets.UTF_8);
            int status = execute(line, stdout, stderr);
            stdout.flush();
            stderr.flush();
            CliProtocol.writeExit(out, status);
        } catch (IOException e) {
            log.debug("Command socket client went away: {}", e.toString());
        }
    }

    private int execute(String line, PrintStream stdout, PrintStream stderr) {
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), stdout, stderr);
        try {
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                stdout.println(text);
            }
            return 0;
        } catch (Exception e) {
            stderr.println(e.getMessage() != null ? e.getMessage() : e.toString());
            return 1;
        } finally {
            session.close();
        }
    }

    private void refuse(SocketChannel client, String message) {
        try (client) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            CliProtocol.writeFrame(out, CliProtocol.ERR, bytes, 0, bytes.length);
            CliProtocol.writeExit(out, 1);
        } catch (IOException ignored) {
            // the client is gone already
        }
    }
}
