package org.edgegate.zmq.internal;

import org.edgegate.config.GatewayPaths;
import org.edgegate.zmq.socket.MessageLimits;
import org.edgegate.zmq.socket.CurveKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.edgegate.api.health.Ids;
import org.edgegate.config.ConfigCheck;
import org.edgegate.config.TypedConfig;
import org.edgegate.zmq.internal.socket.SocketOptions;
import org.edgegate.zmq.internal.socket.SocketOptions.Curve;
import org.zeromq.SocketType;

/**
 * One endpoint's configuration, checked: the one place where the zmq bundle validates what DS typed
 * through {@link EndpointConfig}. {@link #parse} either returns a complete configuration or throws
 * an {@link IllegalArgumentException} whose message tells the operator which key is wrong and why (the
 * endpoint then shows it as FAILED).
 */
record EndpointSettings(String id, Mode mode, SocketType socket, String address, boolean bind, List<String> topics,
        List<String> cameras, double maxFps, boolean raw, String name, int hwm, int queue, int replyTimeoutMillis,
        int maxRequestBytes, int maxConnections, int retryMaxSeconds, int batchWindowMillis, Curve curve) {

    enum Mode {
        NATIVE, SEED, IMAGEZMQ, STATE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The longest batch window: beyond a second, held readings are stale and the outbox's queue may fill. */
    static final int MAX_BATCH_WINDOW_MILLIS = 1000;

    static final String DEFAULT_NATIVE_ADDRESS = "tcp://127.0.0.1:5556";
    static final String DEFAULT_STATE_ADDRESS = "tcp://127.0.0.1:5557";

    private static final Pattern ADDRESS = Pattern.compile("(tcp|ipc|inproc)://\\S+");

    /** What the endpoint's sockets are opened with; {@code curve} is null when CURVE is off. */
    SocketOptions socketOptions() {
        return new SocketOptions(socket, address, bind, hwm, maxInboundBytes(), maxConnections, curve);
    }

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
    static EndpointSettings parse(Map<String, ?> p) {
        return parse(p, GatewayPaths.etc(System::getProperty));
    }

    /** From raw properties, typed as DS types them (tests, tools). */
    static EndpointSettings parse(Map<String, ?> p, Path etc) {
        return parse(TypedConfig.of(EndpointConfig.class, p), p, etc);
    }

    /**
     * Checks an endpoint's typed configuration (every default lives in {@link EndpointConfig});
     * {@code raw} only quotes bad values in messages.
     *
     * @throws IllegalArgumentException naming the key and the bad value
     */
    static EndpointSettings parse(EndpointConfig c, Map<String, ?> raw, Path etc) {
        ConfigCheck check = new ConfigCheck(raw);
        String id = text(check.value("id", c::id, "text"));
        ConfigCheck.check(!id.isEmpty(), "id is missing: every endpoint needs an id");
        Ids.check("id", id);
        Mode mode = mode(text(check.value("mode", c::mode, "text")));
        SocketType socket = socket(mode, text(check.value("socket", c::socket, "text")));
        String address = text(check.value("address", c::address, "text"));
        if (address.isEmpty()) {
            address = switch (mode) {
                case NATIVE -> DEFAULT_NATIVE_ADDRESS;
                case STATE -> DEFAULT_STATE_ADDRESS;
                default -> throw new IllegalArgumentException(
                        "address is missing: a " + mode.key() + " endpoint needs the receiver's address, "
                                + "e.g. tcp://192.168.1.10:5556");
            };
        }
        ConfigCheck.check(ADDRESS.matcher(address).matches(), "address '" + address
                + "' is not a ZeroMQ address (tcp://host:port, ipc://path or inproc://name)");
        String bindText = text(check.value("bind", c::bind, "text"));
        boolean bind = bindText.isEmpty() ? mode == Mode.NATIVE || socket == SocketType.PUB || socket == SocketType.REP
                : bool("bind", bindText);
        List<String> topics = split(check.value("topics", c::topics, "a list of topic prefixes"));
        ConfigCheck.check(topics.isEmpty() || mode == Mode.NATIVE, "topics apply to native endpoints only; a "
                + mode.key() + " endpoint carries camera frames (choose them with cameras)");
        List<String> cameras = split(check.value("cameras", c::cameras, "a list of camera ids"));
        ConfigCheck.check(mode != Mode.SEED || cameras.size() == 1, "a seed endpoint carries exactly one camera (one "
                + "PAIR socket per camera, as in the seed): set cameras to its id"
                + (cameras.isEmpty() ? "" : ", not " + cameras));
        double maxFps = check.value("max.fps", c::max_fps, "a number");
        ConfigCheck.check(maxFps >= 0 && Double.isFinite(maxFps),
                "max.fps must be 0 (no limit) or positive, not " + maxFps);
        String format = text(check.value("format", c::format, "text")).toLowerCase(Locale.ROOT);
        ConfigCheck.check(format.equals("jpeg") || format.equals("bgr"), "format must be jpeg or bgr, not '" + format
                + "'");
        boolean raw2 = format.equals("bgr");
        ConfigCheck.check(!raw2 || mode != Mode.SEED, "format bgr is not possible in seed mode: the seed's receivers "
                + "decode base64 JPEG");
        String name = check.value("name", c::name, "text");
        int hwm = atLeast(check, "hwm", c::hwm, 1);
        int queue = atLeast(check, "queue", c::queue, 1);
        int replyTimeout = atLeast(check, "reply.timeout", c::reply_timeout, 1);
        int maxRequest = atLeast(check, "max.request", c::max_request, 64);
        int maxConnections = atLeast(check, "max.connections", c::max_connections, 1);
        int retryMax = atLeast(check, "retry.max", c::retry_max, 1);
        int batchWindow = check.value("batch.window", c::batch_window, "a number");
        ConfigCheck.check(batchWindow >= 0 && batchWindow <= MAX_BATCH_WINDOW_MILLIS, "batch.window must be 0 (send at "
                + "once) to " + MAX_BATCH_WINDOW_MILLIS + " ms, not " + batchWindow);
        ConfigCheck.check(batchWindow == 0 || (mode != Mode.STATE && socket != SocketType.REQ), "batch.window applies "
                + "to streams (pub, push, pair); a " + socket.name().toLowerCase(Locale.ROOT) + " socket sends one "
                + "message at a time");
        Curve curve = null;
        Object curveRaw = raw.get("curve");
        if (curveRaw instanceof String t && !t.isBlank()) {
            bool("curve", t); // DS reads any other text as false: say so instead
        }
        if (check.value("curve", c::curve, "true or false")) {
            String serverKey = text(check.value("curve.serverkey", c::curve_serverkey, "text"));
            ConfigCheck.check(bind || !serverKey.isEmpty(), "curve.serverkey is missing: a connecting CURVE endpoint "
                    + "needs the public key of the server it connects to");
            String clients = text(check.value("curve.clients", c::curve_clients, "text"));
            curve = new Curve(CurveKeys.resolve(etc, text(check.value("curve.keypair", c::curve_keypair, "text"))),
                    clients.isEmpty() ? null : CurveKeys.resolve(etc, clients),
                    serverKey.isEmpty() ? "" : CurveKeys.keyOrFile(etc, serverKey));
        }
        return new EndpointSettings(id, mode, socket, address, bind, topics, cameras, maxFps, raw2, name, hwm, queue,
                replyTimeout, maxRequest, maxConnections, retryMax, batchWindow, curve);
    }

    private static int atLeast(ConfigCheck check, String key, java.util.function.Supplier<Integer> accessor, int min) {
        int n = check.value(key, accessor, "a number");
        ConfigCheck.check(n >= min, key + " must be a whole number of at least " + min + ", not " + n);
        return n;
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }

    private static boolean bool(String key, String text) {
        ConfigCheck.check(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"),
                key + " must be true or false, not '" + text + "'");
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
    }

    /** Each value may hold several, comma-separated (as written in a .cfg file). */
    private static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        for (String s : values == null ? new String[0] : values) {
            for (String part : s.split(",")) {
                String t = part.trim();
                if (!t.isEmpty() && !out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return List.copyOf(out);
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

    /** The largest message the endpoint's socket reads: its requests for a state endpoint, else a peer's. */
    long maxInboundBytes() {
        return socket == SocketType.REP
                ? Math.max(MessageLimits.REQUEST_FLOOR, MessageLimits.REQUEST_FACTOR * maxRequestBytes)
                : MessageLimits.PEER_BYTES;
    }
}
