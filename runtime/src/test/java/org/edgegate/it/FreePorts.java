package org.edgegate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Free TCP ports for test homes. Other sessions on the machine run tests at the same time, so no test
 * may listen on a port the shipped {@code etc/} names (8080, 5556, 5557): {@link #rewrite(Path)} moves
 * every port of a home's {@code etc/} to a free one before the gateway starts.
 */
final class FreePorts {
    /** {@code tcp://host:port} anywhere in a file (ZeroMQ endpoint addresses, comments naming them). */
    private static final Pattern TCP = Pattern.compile("(tcp://[^\\s:/]+:)(\\d+)");
    /**
     * A line {@code port = N}, {@code x.port = N} or {@code xPort = N} ({@code org.osgi.service.http.port},
     * Karaf's {@code sshPort}); not {@code transport = N}.
     */
    private static final Pattern PORT_KEY = Pattern.compile(
            "(?m)^(\\s*(?:(?:[\\w.-]*[._-])?port|[\\w.-]*Port)\\s*[=:]\\s*)(\\d+)([ \\t]*)$");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A TCP port free at the time of the call and not handed out before in this JVM: the kernel may
     * offer a just-closed port again, and two endpoints of one test must not get the same one.
     */
    static int next() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Moves every port named in the files of this {@code etc/} folder (its {@code .cfg}, {@code .config}
     * and {@code .properties} files, not sub-folders) to a free one: {@code tcp://host:N} and lines
     * {@code <anything>port = N}. One old port becomes the same new port in every file of the folder.
     *
     * @return the old port mapped to its new one
     */
    static Map<Integer, Integer> rewrite(Path etc) {
        Map<Integer, Integer> moved = new HashMap<>();
        try (Stream<Path> files = Files.list(etc)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".cfg") && !name.endsWith(".config") && !name.endsWith(".properties")) {
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                String changed = replace(PORT_KEY, replace(TCP, text, moved), moved);
                if (!changed.equals(text)) {
                    Files.writeString(file, changed, StandardCharsets.ISO_8859_1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the ports of " + etc + " to free ones", e);
        }
        return moved;
    }

    private static String replace(Pattern pattern, String text, Map<Integer, Integer> moved) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int old = Integer.parseInt(m.group(2));
            if (old == 0) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue; // "any port" already
            }
            int port = moved.computeIfAbsent(old, k -> next());
            String tail = m.groupCount() >= 3 ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + port + tail));
        }
        m.appendTail(out);
        return out.toString();
    }
}
