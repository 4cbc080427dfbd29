package org.edgegate.shell.internal.cli;

import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The address of the command socket, for the gateway's bind and the client's connect alike.
 *
 * <p>A Unix domain socket's address holds a path of at most {@value #MAX_PATH_BYTES} bytes (Linux's
 * {@code sun_path}): a gateway installed deep in the file tree (a checkout under a long home folder, say) could
 * not bind {@code data/cli.sock} by its absolute path. Such a path is then taken relative to the working
 * directory, the gateway's home for both ({@code bin/edgegate} and {@code bin/edgegate-cli} run there, as does
 * the systemd unit).
 */
final class CliSocket {
    static final int MAX_PATH_BYTES = 107;

    private CliSocket() {
    }

    /** The socket's path as given if it fits an address, else relative to the working directory if that fits. */
    static UnixDomainSocketAddress address(Path socket) {
        if (fits(socket)) {
            return UnixDomainSocketAddress.of(socket);
        }
        Path here = Path.of("").toAbsolutePath();
        Path absolute = socket.toAbsolutePath().normalize();
        Path relative = absolute.startsWith(here) ? here.relativize(absolute) : null;
        if (relative != null && fits(relative)) {
            return UnixDomainSocketAddress.of(relative);
        }
        return UnixDomainSocketAddress.of(socket); // too long either way: the bind or connect says so
    }

    private static boolean fits(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES;
    }
}
