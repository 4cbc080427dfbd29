package org.edgegate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A hostile ZeroMQ peer over a plain TCP socket: it writes ZMTP 3.0 bytes by hand (RFC 23), so a test can
 * send what no ZeroMQ library would, e.g. a frame header announcing 200 MB and then nothing.
 */
final class Zmtp implements AutoCloseable {
    /** Flags of a frame: a message frame with an 8-byte size, a command with an 8-byte size. */
    static final int LONG_MESSAGE = 0x02;
    static final int LONG_COMMAND = 0x06;
    private static final int SHORT_COMMAND = 0x04;

    private final Socket socket;

    /** Connects to a {@code tcp://host:port} address. */
    Zmtp(String address) throws IOException {
        String hostPort = address.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))), 5_000);
        socket.setSoTimeout(50);
    }

    /** The 64-byte greeting of ZMTP 3.0 with the NULL mechanism, as a client. */
    Zmtp greeting() throws IOException {
        byte[] g = new byte[64];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, g, 12, mechanism.length);
        return write(g);
    }

    /** The NULL mechanism's READY command announcing this socket type (SUB, REQ …): the handshake's end. */
    Zmtp ready(String socketType) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] value = socketType.getBytes(StandardCharsets.US_ASCII);
        body.write(name.length);
        body.writeBytes(name);
        body.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        body.writeBytes(value);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(SHORT_COMMAND);
        frame.write(b.length);
        frame.writeBytes(b);
        return write(frame.toByteArray());
    }

    /** A frame header (flags and 8-byte size) and none of the bytes it announces. */
    Zmtp header(int flags, long size) throws IOException {
        return write(ByteBuffer.allocate(9).put((byte) flags).putLong(size).array());
    }

    Zmtp write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** True once the other side closed the connection (end of stream or reset); reads and drops what it sent. */
    boolean closedByPeer() {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
