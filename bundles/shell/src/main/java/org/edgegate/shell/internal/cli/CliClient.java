package org.edgegate.shell.internal.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code bin/edgegate-cli}: runs one Gogo command in the running gateway through its command socket
 * and exits with the command's status: 0 done, 1 the command failed, 2 no gateway to talk to (or a
 * connection that broke, or an unusable command line), 3 the gateway is busy. Messages, never stack traces.
 * Plain JDK, no OSGi: it runs outside the framework.
 */
public final class CliClient {
    /** Characters Gogo would read as syntax or expand as a glob: an argument holding one is quoted. */
    private static final String SPECIAL = " \t\"'|;{}()[]$\\?*";
    /** Exit status: the command ran. */
    static final int OK = 0;
    /** Exit status: the command failed (its message on stderr). */
    static final int FAILED = 1;
    /** Exit status: no gateway answered, the connection broke, or the command line was unusable. */
    static final int NO_GATEWAY = 2;
    /** Exit status: the gateway is busy (too many commands or connections at once); try again. */
    static final int BUSY = CliListener.BUSY;

    private CliClient() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: edgegate-cli <gogo command> [arguments...]   e.g. edgegate-cli gw:status");
            System.exit(NO_GATEWAY);
        }
        Path socket = Path.of(args[0]);
        String[] command = new String[args.length - 1];
        System.arraycopy(args, 1, command, 0, command.length);
        String line;
        try {
            line = commandLine(command);
        } catch (IllegalArgumentException e) {
            System.err.println("edgegate-cli: " + e.getMessage());
            System.exit(NO_GATEWAY);
            return;
        }
        System.exit(run(socket, line, System.out, System.err));
    }

    /** Runs one command line; never throws: a broken connection is a message and {@link #NO_GATEWAY}. */
    static int run(Path socket, String commandLine, PrintStream stdout, PrintStream stderr) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(CliSocket.address(socket));
        } catch (IOException e) {
            stderr.println("edgegate-cli: cannot reach the gateway at " + socket + " (" + e.getMessage()
                    + "). Is it running?");
            return NO_GATEWAY;
        }
        try (channel) {
            IOException sendFailed = null;
            try {
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
                out.writeUTF(commandLine);
                out.flush();
            } catch (IOException e) {
                sendFailed = e; // a gateway that refused us at once may still have said why: read it
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            try {
                int status = CliProtocol.readResponse(in, stdout, stderr);
                stdout.flush();
                return status;
            } catch (IOException e) {
                IOException cause = sendFailed != null ? sendFailed : e;
                stderr.println("edgegate-cli: the gateway closed the connection before answering ("
                        + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()) + ")");
                return NO_GATEWAY;
            }
        } catch (IOException closing) {
            return NO_GATEWAY;
        }
    }

    /** Joins arguments into one Gogo command line, quoting those the shell passed with spaces or quotes. */
    static String commandLine(String[] args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (line.length() > 0) {
                line.append(' ');
            }
            if (args.length > 1 && (arg.isEmpty() || arg.chars().anyMatch(c -> SPECIAL.indexOf(c) >= 0))) {
                line.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$")).append('"');
            } else {
                line.append(arg);
            }
        }
        byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
        if (utf8.length > CliProtocol.MAX_COMMAND) {
            throw new IllegalArgumentException("command longer than " + CliProtocol.MAX_COMMAND + " bytes");
        }
        return line.toString();
    }
}
