package org.edgegate.shell.internal.cli;

import static org.junit.Assert.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CliClientTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void quotesArgumentsTheShellKeptTogether() {
        assertEquals("gw:set a/b 5", CliClient.commandLine(new String[] {"gw:set", "a/b", "5"}));
        assertEquals("gw:set a/b \"hello world\"", CliClient.commandLine(new String[] {"gw:set", "a/b", "hello world"}));
        assertEquals("gw:set k \"say \\\"hi\\\" \\$x\"", CliClient.commandLine(new String[] {"gw:set", "k", "say \"hi\" $x"}));
        assertEquals("gw:sensor add x \"sim:th?rate=5\"", CliClient.commandLine(new String[] {"gw:sensor", "add", "x", "sim:th?rate=5"}));
        // a single argument is a whole command line, as typed at the Gogo prompt
        assertEquals("lb | grep edgegate", CliClient.commandLine(new String[] {"lb | grep edgegate"}));
    }

    @Test
    public void sendsTheCommandAndReturnsTheServersExitStatus() throws Exception {
        Path socket = tmp.getRoot().toPath().resolve("cli.sock");
        AtomicReference<String> received = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    received.set(new DataInputStream(Channels.newInputStream(c)).readUTF());
                    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                    byte[] text = "no entry\n".getBytes(StandardCharsets.UTF_8);
                    CliProtocol.writeFrame(out, CliProtocol.ERR, text, 0, text.length);
                    CliProtocol.writeExit(out, 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            assertEquals(1, CliClient.run(socket, "gw:get a/b", System.out, System.err));
            t.join(5000);
        }
        assertEquals("gw:get a/b", received.get());
    }

    @Test
    public void noGatewayIsExitStatusTwo() throws Exception {
        assertEquals(2, CliClient.run(tmp.getRoot().toPath().resolve("absent.sock"), "gw:status", System.out, System.err));
    }
}
