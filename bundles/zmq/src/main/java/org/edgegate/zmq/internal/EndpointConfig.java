package org.edgegate.zmq.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.zeromq.SocketType;

/**
 * One endpoint's configuration, checked: {@link #parse} either returns a complete configuration with
 * every default applied or throws an {@link IllegalArgumentException} whose message tells the operator
 * which key is wrong and why (the endpoint then shows it as FAILED).
 */
record EndpointConfig(String id, Mode mode, SocketType socket, String address, boolean bind, List<String> topics,
        List<String> cameras, double maxFps, boolean raw, String name, int hwm, int queue, int replyTimeoutMillis,
        int maxRequestBytes, int retryMaxSeconds, Curve curve) {

    enum Mode {
        NATIVE, SEED, IMAGEZMQ, STATE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * CURVE settings, paths resolved against {@code etc/}; {@code null} in {@link EndpointConfig#curve} when
     * CURVE is off. {@code clients} is null when any client may connect; {@code serverKey} is a Z85 key or a
     * file, empty for a binding endpoint.
     */
    record Curve(Path keypair, Path clients, String serverKey) {
    }

    static final String DEFAULT_NATIVE_ADDRESS = "tcp://127.0.0.1:5556";
    static final String DEFAULT_STATE_ADDRESS = "tcp://127.0.0.1:5557";

    private static final Pattern ADDRESS = Pattern.compile("(tcp|ipc|inproc)://\\S+");

    /** Whether this endpoint carries camera frames at all. */
    boolean carriesFrames() {
        return switch (mode) {
            case SEED, IMAGEZMQ -> true;
            case NATIVE -> wantsTopicsUnder("camera/");
            case STATE -> false;
        };
    }

    boolean carriesReadings() {
        return mode == Mode.NATIVE && wantsTopicsUnder("sensor/");
    }

    /**
     * State key prefixes to listen to for {@code state/<key>} messages, or null when none are carried. An
     * empty string in the list means every key.
     */
    List<String> statePrefixes() {
        if (mode != Mode.NATIVE || !wantsTopicsUnder("state/")) {
            return null;
        }
        List<String> prefixes = new ArrayList<>();
        for (String topic : topicsOrAll()) {
            if (topic.startsWith("state/")) {
                prefixes.add(topic.substring("state/".length()));
            } else if ("state/".startsWith(topic)) {
                prefixes.add("");
            }
        }
        return prefixes.contains("") ? List.of("") : prefixes;
    }

    /** True when a message of this topic is carried. */
    boolean carriesTopic(String topic) {
        if (topics.isEmpty()) {
            return true;
        }
        for (String prefix : topics) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    boolean carriesCamera(String cameraId) {
        return cameras.isEmpty() || cameras.contains(cameraId);
    }

    /** True if some topic under {@code root} (e.g. {@code camera/}) can match a configured prefix. */
    private boolean wantsTopicsUnder(String root) {
        for (String prefix : topicsOrAll()) {
            if (prefix.startsWith(root) || root.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private List<String> topicsOrAll() {
        return topics.isEmpty() ? List.of("") : topics;
    }

    /** Parses with {@code etc/} found from system properties (tests, tools). */
    static EndpointConfig parse(Map<String, ?> p) {
        return parse(p, CurveKeys.etc(System::getProperty));
    }

    static EndpointConfig parse(Map<String, ?> p, Path etc) {
        String id = string(p, "id", "");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id is missing: every endpoint needs an id");
        }
        Mode mode = mode(string(p, "mode", "native"));
        SocketType socket = socket(mode, string(p, "socket", ""));
        String address = string(p, "address", "");
        if (address.isEmpty()) {
            address = switch (mode) {
                case NATIVE -> DEFAULT_NATIVE_ADDRESS;
                case STATE -> DEFAULT_STATE_ADDRESS;
                default -> throw new IllegalArgumentException(
                        "address is missing: a " + mode.key() + " endpoint needs the receiver's address, "
                                + "e.g. tcp://192.168.1.10:5556");
            };
        }
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("address '" + address
                    + "' is not a ZeroMQ address (tcp://host:port, ipc://path or inproc://name)");
        }
        String bindText = string(p, "bind", "");
        boolean bind;
        if (bindText.isEmpty()) {
            bind = mode == Mode.NATIVE || socket == SocketType.PUB || socket == SocketType.REP;
        } else if (bindText.equalsIgnoreCase("true") || bindText.equalsIgnoreCase("false")) {
            bind = Boolean.parseBoolean(bindText.toLowerCase(Locale.ROOT));
        } else {
            throw new IllegalArgumentException("bind must be true or false, not '" + bindText + "'");
        }
        List<String> topics = strings(p, "topics");
        if (!topics.isEmpty() && mode != Mode.NATIVE) {
            throw new IllegalArgumentException("topics apply to native endpoints only; a " + mode.key()
                    + " endpoint carries camera frames (choose them with cameras)");
        }
        List<String> cameras = strings(p, "cameras");
        if (mode == Mode.SEED && cameras.size() != 1) {
            throw new IllegalArgumentException("a seed endpoint carries exactly one camera (one PAIR socket per "
                    + "camera, as in the seed): set cameras to its id" + (cameras.isEmpty() ? "" : ", not " + cameras));
        }
        double maxFps = number(p, "max.fps", 0);
        if (maxFps < 0 || !Double.isFinite(maxFps)) {
            throw new IllegalArgumentException("max.fps must be 0 (no limit) or positive, not " + maxFps);
        }
        String format = string(p, "format", "jpeg").toLowerCase(Locale.ROOT);
        if (!format.equals("jpeg") && !format.equals("bgr")) {
            throw new IllegalArgumentException("format must be jpeg or bgr, not '" + format + "'");
        }
        boolean raw = format.equals("bgr");
        if (raw && mode == Mode.SEED) {
            throw new IllegalArgumentException("format bgr is not possible in seed mode: the seed's receivers "
                    + "decode base64 JPEG");
        }
        String name = string(p, "name", "{host}|{camera}");
        int hwm = integer(p, "hwm", 20, 1);
        int queue = integer(p, "queue", 1000, 1);
        int replyTimeout = integer(p, "reply.timeout", 2000, 1);
        int maxRequest = integer(p, "max.request", 65536, 64);
        int retryMax = integer(p, "retry.max", 30, 1);
        Curve curve = null;
        if (bool(p, "curve", false)) {
            String serverKey = string(p, "curve.serverkey", "");
            if (!bind && serverKey.isEmpty()) {
                throw new IllegalArgumentException("curve.serverkey is missing: a connecting CURVE endpoint needs "
                        + "the public key of the server it connects to");
            }
            String clients = string(p, "curve.clients", "");
            curve = new Curve(CurveKeys.resolve(etc, string(p, "curve.keypair", "zmq/edgegate.key_secret")),
                    clients.isEmpty() ? null : CurveKeys.resolve(etc, clients),
                    serverKey.isEmpty() ? "" : CurveKeys.keyOrFile(etc, serverKey));
        }
        return new EndpointConfig(id, mode, socket, address, bind, topics, cameras, maxFps, raw, name, hwm, queue,
                replyTimeout, maxRequest, retryMax, curve);
    }

    private static Mode mode(String text) {
        for (Mode m : Mode.values()) {
            if (m.key().equals(text.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be native, seed, imagezmq or state, not '" + text + "'");
    }

    private static SocketType socket(Mode mode, String text) {
        List<SocketType> allowed = switch (mode) {
            case NATIVE -> List.of(SocketType.PUB, SocketType.PUSH, SocketType.PAIR);
            case SEED -> List.of(SocketType.PAIR, SocketType.PUSH);
            case IMAGEZMQ -> List.of(SocketType.REQ, SocketType.PUB);
            case STATE -> List.of(SocketType.REP);
        };
        if (text.isEmpty()) {
            return allowed.get(0);
        }
        for (SocketType t : allowed) {
            if (t.name().equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("socket '" + text + "' is not possible in " + mode.key() + " mode (use "
                + String.join(" or ", allowed.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList()) + ")");
    }

    private static String string(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String[] a) {
            v = a.length == 0 ? "" : a[0];
        }
        return String.valueOf(v).trim();
    }

    /** A String[], a Collection or one comma-separated String (as written in a .cfg file). */
    private static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            for (String s : a) {
                split(s, out);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                split(String.valueOf(o), out);
            }
        } else if (v != null) {
            split(String.valueOf(v), out);
        }
        return List.copyOf(out);
    }

    private static void split(String s, List<String> out) {
        for (String part : s.split(",")) {
            String t = part.trim();
            if (!t.isEmpty() && !out.contains(t)) {
                out.add(t);
            }
        }
    }

    private static double number(Map<String, ?> p, String key, double def) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = string(p, key, "");
        if (s.isEmpty()) {
            return def;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + s + "'");
        }
    }

    private static int integer(Map<String, ?> p, String key, int def, int min) {
        double d = number(p, key, def);
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be a whole number of at least " + min + ", not "
                    + string(p, key, ""));
        }
        return (int) d;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = string(p, key, "");
        if (s.isEmpty()) {
            return def;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + s + "'");
    }
}
