package org.edgegate.shell.internal.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code bin/edgegate-cli}: runs one Gogo command in the running gateway through its command socket
 * and exits with the command's status (0 done, 1 the command failed, 2 no gateway to talk to).
 * Plain JDK, no OSGi: it runs outside the framework.
 */
public final class CliClient {
    /** Characters Gogo would read as syntax or expand as a glob: an argument holding one is quoted. */
    private static final String SPECIAL = " \t\"'|;{}()[]$\\?*";

    private CliClient() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: edgegate-cli <gogo command> [arguments...]   e.g. edgegate-cli gw:status");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        String[] command = new String[args.length - 1];
        System.arraycopy(args, 1, command, 0, command.length);
        System.exit(run(socket, commandLine(command)));
    }

    static int run(Path socket, String commandLine) throws IOException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            System.err.println("edgegate-cli: cannot reach the gateway at " + socket + " (" + e.getMessage()
                    + "). Is it running?");
            return 2;
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            out.writeUTF(commandLine);
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            int status = CliProtocol.readResponse(in, System.out, System.err);
            System.out.flush();
            return status;
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
