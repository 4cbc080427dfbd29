package org.edgegate.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the gateway keeps its files and what it is called, from the framework properties (a bundle passes
 * {@code context::getProperty}, a test {@code System::getProperty}): {@code edgegate.etc} and
 * {@code edgegate.data}, else {@code etc/} and {@code data/} under {@code edgegate.home}, else in the working
 * directory; the host name. Relative file names in a configuration resolve against {@link #etc}.
 */
public final class GatewayPaths {
    private GatewayPaths() {
    }

    public static Path etc(UnaryOperator<String> property) {
        return dir(property, "edgegate.etc", "etc");
    }

    public static Path data(UnaryOperator<String> property) {
        return dir(property, "edgegate.data", "data");
    }

    private static Path dir(UnaryOperator<String> property, String key, String underHome) {
        String dir = property.apply(key);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String home = property.apply("edgegate.home");
        return home != null && !home.isBlank() ? Path.of(home, underHome) : Path.of(underHome);
    }

    /** This machine's name, else {@code HOSTNAME} from the environment, else {@code edgegate}. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "edgegate" : env;
        }
    }
}
