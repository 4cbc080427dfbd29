package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where the gateway keeps its files and what it is called, from the framework properties: {@code edgegate.etc}
 * and {@code edgegate.data}, else {@code etc/} and {@code data/} under {@code edgegate.home} (or the working
 * directory); the host name.
 */
final class GatewayPaths {
    private GatewayPaths() {
    }

    static Path etc(BundleContext context) {
        return dir(context, "edgegate.etc", "etc");
    }

    static Path data(BundleContext context) {
        return dir(context, "edgegate.data", "data");
    }

    private static Path dir(BundleContext context, String property, String underHome) {
        String dir = context.getProperty(property);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String home = context.getProperty("edgegate.home");
        return home != null && !home.isBlank() ? Path.of(home, underHome) : Path.of(underHome);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "edgegate" : env;
        }
    }
}
