package org.edgegate.shell.internal.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
 * (and root) can run commands; nothing listens on the network. The socket's bounds (connections, command
 * threads, read timeout, request size) are {@link CliListener}'s.
 */
@Component(immediate = true)
public class CliServer {
    static final String SOCKET_PROPERTY = "edgegate.cli.socket";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private CommandProcessor processor;

    private CliListener listener;

    @Activate
    void activate(BundleContext context) {
        String path = context.getProperty(SOCKET_PROPERTY);
        if (path == null || path.isBlank()) {
            log.info("No command socket: framework property {} is not set", SOCKET_PROPERTY);
            return;
        }
        Path socket = Path.of(path);
        try {
            listener = new CliListener(socket, CliListener.Limits.DEFAULTS, this::execute, m -> log.debug(m));
            // Owner-only, or also the owner's group when edgegate.cli.socket.mode says so (the .deb: group edgegate).
            if ("rw-rw----".equals(context.getProperty(SOCKET_PROPERTY + ".mode"))) {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.error("Cannot open the command socket {}: {}; bin/edgegate-cli will not work", socket, e.toString());
            return;
        }
        log.info("Command socket listening on {}", socket);
    }

    @Deactivate
    void deactivate() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    /** Runs a line in its own Gogo session: the result printed, a failure as its message only (no stack trace). */
    int execute(String line, PrintStream stdout, PrintStream stderr) {
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), stdout, stderr);
        try {
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                stdout.println(text);
            }
            return 0;
        } catch (Exception e) {
            stderr.println(message(e));
            return 1;
        } finally {
            session.close();
        }
    }

    /** A failure as one bounded message: its text, or its type when it has none. */
    static String message(Throwable e) {
        String m = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
        return m.length() <= CliListener.MAX_ERROR ? m
                : m.substring(0, CliListener.MAX_ERROR) + "... (" + m.length() + " characters)";
    }
}
