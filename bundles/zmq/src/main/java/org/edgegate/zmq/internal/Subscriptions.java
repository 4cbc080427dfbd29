package org.edgegate.zmq.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.zeromq.ZMQ;

/**
 * The topic prefixes that at least one subscriber of an XPUB socket asked for, so nothing else is encoded
 * or sent. The socket's thread reads them; any thread asks {@link #want}.
 */
final class Subscriptions {
    /** Replaced, never changed, so readers need no lock. */
    private volatile List<byte[]> prefixes = List.of();

    /** Reads the (un)subscribe messages waiting on the XPUB socket, without blocking. */
    void read(ZMQ.Socket xpub) {
        byte[] m;
        while ((m = xpub.recv(ZMQ.DONTWAIT)) != null) {
            if (m.length == 0) {
                continue;
            }
            byte[] prefix = Arrays.copyOfRange(m, 1, m.length);
            List<byte[]> next = new ArrayList<>(prefixes);
            next.removeIf(p -> Arrays.equals(p, prefix));
            if (m[0] == 1) {
                next.add(prefix);
            }
            prefixes = List.copyOf(next);
        }
    }

    /** Whether a subscriber wants {@code topic}; a message without topic goes to anyone subscribed. */
    boolean want(String topic) {
        List<byte[]> prefixes = this.prefixes;
        if (topic == null) {
            return !prefixes.isEmpty();
        }
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        for (byte[] p : prefixes) {
            if (p.length <= t.length && Arrays.equals(p, 0, p.length, t, 0, p.length)) {
                return true;
            }
        }
        return false;
    }

    /** The socket was closed: its subscribers are gone with it. */
    void clear() {
        prefixes = List.of();
    }
}
