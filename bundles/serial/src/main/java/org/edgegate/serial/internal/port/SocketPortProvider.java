package org.edgegate.serial.internal.port;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.PortSettings;
import org.osgi.service.component.annotations.Component;

/**
 * {@code socket://host:port}: raw serial-over-TCP as served by ser2net or ESP-Link. The line settings
 * belong to the serial server; reads time out after a short while (the reader sees a timeout, not an
 * error) and the peer closing the connection ends the stream.
 */
@Component(property = PortProvider.SCHEME + "=socket")
public class SocketPortProvider implements PortProvider {
    static final int CONNECT_TIMEOUT_MS = 5000;

    @Override
    public PortConnection open(String port, PortSettings settings) throws IOException {
        InetSocketAddress address = address(port);
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + address.getHostString());
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(StreamConnection.IDLE_READ_MS);
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + address.getHostString() + ":" + address.getPort() + ": "
                    + e.getMessage(), e);
        }
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new StreamConnection() {
            @Override
            int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        };
    }

    /** @throws IllegalArgumentException for anything but socket://host:port */
    static InetSocketAddress address(String port) {
        URI uri;
        try {
            uri = new URI(port.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a socket://host:port URL: " + e.getMessage());
        }
        if (!"socket".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException("expected socket://host:port, got " + port);
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    @Override
    public List<PortDescription> ports() {
        return List.of();
    }
}
