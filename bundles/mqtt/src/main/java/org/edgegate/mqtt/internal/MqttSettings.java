package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.edgegate.api.health.Ids;

/**
 * A broker configuration checked once: every bad value is refused with a message naming its key, and
 * the derived values (gateway name, topic prefix, client id) are worked out here.
 */
record MqttSettings(String id, String uri, List<String> uris, String username, char[] password, Path caFile, Path certFile,
        Path keyFile, String clientId, String gateway, String prefix, List<String> sensors,
        List<String> statePrefixes, List<String> cameras, double cameraMaxFps, int qos, int plainQos, boolean homeAssistant,
        String homeAssistantPrefix, List<String> commandsAllow, long journalMaxBytes, int journalSyncMillis,
        int replayRate, int maxInflight, int keepAlive, int reconnectMaxSeconds, boolean remoteConfig,
        List<String> remoteConfigAllow) {

    /**
     * Checks a configuration. {@code etc} resolves relative file names; {@code host} is this machine's name
     * (the default gateway name).
     */
    static MqttSettings of(BrokerConfig c, Path etc, String host) {
        String id = text(c.id());
        Ids.check("id", id);
        List<String> uris = checkUris(text(c.uri()));
        String uri = String.join(",", uris);
        boolean tls = uris.get(0).startsWith("ssl://");
        String gateway = text(c.gateway()).isEmpty() ? Topics.level(host) : text(c.gateway());
        if (!Topics.isPlainLevel(gateway)) {
            throw new IllegalArgumentException("gateway: '" + Ids.quote(gateway) + "' must be one topic level (no / + # or spaces)");
        }
        String prefix = text(c.topicPrefix()).isEmpty() ? "edgegate/" + gateway : strip(text(c.topicPrefix()));
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#")) {
            throw new IllegalArgumentException("topicPrefix: '" + Ids.quote(c.topicPrefix()) + "' must be a topic without + or #");
        }
        String clientId = text(c.clientId()).isEmpty() ? "edgegate-" + gateway + "-" + id : text(c.clientId());
        if (clientId.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("clientId: too long");
        }
        if (c.qos() != 0 && c.qos() != 1) {
            throw new IllegalArgumentException("qos: " + c.qos() + " is not 0 or 1");
        }
        if (c.plain_qos() < -1 || c.plain_qos() > 1) {
            throw new IllegalArgumentException("plain.qos: " + c.plain_qos() + " is not 0, 1 or -1 (the same as qos)");
        }
        double fps = c.camera_maxFps();
        if (!(fps >= 0 && fps <= 30)) {
            throw new IllegalArgumentException("camera.maxFps: " + fps + " is not between 0 and 30");
        }
        if (c.journal_maxMiB() < 1) {
            throw new IllegalArgumentException("journal.maxMiB: " + c.journal_maxMiB() + " is less than 1");
        }
        if (c.journal_syncMillis() < 0) {
            throw new IllegalArgumentException("journal.syncMillis: " + c.journal_syncMillis() + " is negative");
        }
        if (c.replay_rate() < 1) {
            throw new IllegalArgumentException("replay.rate: " + c.replay_rate() + " is less than 1");
        }
        if (c.maxInflight() < 10 || c.maxInflight() > 65535) {
            throw new IllegalArgumentException("maxInflight: " + c.maxInflight() + " is not between 10 and 65535");
        }
        if (c.keepAlive() < 2) {
            throw new IllegalArgumentException("keepAlive: " + c.keepAlive() + " is less than 2 seconds");
        }
        if (c.reconnect_maxSeconds() < 1) {
            throw new IllegalArgumentException("reconnect.maxSeconds: " + c.reconnect_maxSeconds() + " is less than 1");
        }
        char[] password = text(c._password()).isEmpty() ? readPassword(etc, text(c.password_file()))
                : c._password().toCharArray();
        Path ca = file(etc, "ca.file", c.ca_file());
        Path cert = file(etc, "cert.file", c.cert_file());
        Path key = file(etc, "key.file", c.key_file());
        if ((ca != null || cert != null || key != null) && !tls) {
            throw new IllegalArgumentException("ca.file/cert.file/key.file are set but uri '" + uri
                    + "' is not ssl://: use ssl://host:8883");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("cert.file and key.file go together: set both or neither");
        }
        List<String> cameras = list(c.cameras());
        if (fps == 0 || cameras.contains("-")) {
            cameras = List.of("-");
        }
        return new MqttSettings(id, uri, uris, text(c.username()), password, ca, cert, key, clientId, gateway, prefix,
                list(c.sensors()), list(c.state_prefixes()), cameras, fps, c.qos(),
                c.plain_qos() < 0 ? c.qos() : c.plain_qos(), c.homeassistant(),
                strip(text(c.homeassistant_prefix()).isEmpty() ? "homeassistant" : text(c.homeassistant_prefix())),
                list(c.commands_allow()), c.journal_maxMiB() * 1024L * 1024L, c.journal_syncMillis(), c.replay_rate(),
                c.maxInflight(), c.keepAlive(), c.reconnect_maxSeconds(), c.remote_config(),
                checkAllow(list(c.remote_config_allow())));
    }

    boolean carriesSensor(String sensorId) {
        return sensors.isEmpty() || sensors.contains(sensorId);
    }

    boolean carriesCamera(String cameraId) {
        return !cameras.contains("-") && (cameras.isEmpty() || cameras.contains(cameraId));
    }

    boolean carriesCameras() {
        return !cameras.contains("-");
    }

    boolean carriesState(String key) {
        return statePrefixes.stream().anyMatch(key::startsWith);
    }

    /** Whether MQTT may write this state key ({@code commands.allow}). */
    boolean commandAllowed(String key) {
        return commandsAllow.stream().anyMatch(key::startsWith);
    }

    boolean tls() {
        return uri.startsWith("ssl://");
    }

    /** The URI with no user information, for logs and gw:mqtt. */
    String displayUri() {
        return uri;
    }

    /**
     * The nodes of one broker (a cluster), in the order to try them: {@code uri} split at commas, each checked,
     * at most {@value #MAX_NODES} of at most {@value #MAX_URI_LENGTH} characters, no repeats, one scheme (the TLS
     * settings apply to every node).
     */
    static List<String> checkUris(String value) {
        if (value.length() > MAX_NODES * (MAX_URI_LENGTH + 1)) {
            throw new IllegalArgumentException("uri: " + value.length() + " characters is too long (at most "
                    + MAX_NODES + " URIs of " + MAX_URI_LENGTH + ")");
        }
        String[] parts = value.split(",", -1);
        if (parts.length > MAX_NODES) {
            throw new IllegalArgumentException("uri: " + parts.length + " URIs, at most " + MAX_NODES
                    + " (the nodes of one cluster)");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String u = parts[i].strip();
            String which = parts.length == 1 ? "" : " (URI " + (i + 1) + " of " + parts.length + ")";
            if (u.isEmpty()) {
                throw new IllegalArgumentException("uri: " + (parts.length == 1 ? "empty (tcp://host:1883)"
                        : "URI " + (i + 1) + " of " + parts.length + " is empty (a stray comma?)"));
            }
            if (u.length() > MAX_URI_LENGTH) {
                throw new IllegalArgumentException("uri" + which + ": " + u.length() + " characters, at most "
                        + MAX_URI_LENGTH);
            }
            try {
                checkUri(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replaceFirst("^uri", "uri" + which), e);
            }
            if (out.contains(u)) {
                throw new IllegalArgumentException("uri" + which + ": '" + Ids.quote(u) + "' is listed twice");
            }
            if (!out.isEmpty() && !scheme(u).equals(scheme(out.get(0)))) {
                throw new IllegalArgumentException("uri" + which + ": '" + Ids.quote(u)
                        + "' mixes tcp:// and ssl:// (every node of one broker uses the same scheme)");
            }
            out.add(u);
        }
        return List.copyOf(out);
    }

    /** Whether remote configuration may touch this PID ({@code remote.config.allow}). */
    boolean remoteConfigAllowed(String pid) {
        for (String pattern : remoteConfigAllow) {
            if (pattern.endsWith("*") ? pid.startsWith(pattern.substring(0, pattern.length() - 1)) : pid.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> checkAllow(List<String> patterns) {
        if (patterns.size() > 64) {
            throw new IllegalArgumentException("remote.config.allow: " + patterns.size() + " patterns, at most 64");
        }
        for (String p : patterns) {
            String body = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
            if (!body.isEmpty() && !PidAlias.isPidText(body) || p.length() > PidAlias.MAX_PID) {
                throw new IllegalArgumentException("remote.config.allow: '" + Ids.quote(p) + "' is not a PID or a PID "
                        + "prefix ending in * (letters, digits, . _ - ~)");
            }
        }
        return patterns;
    }

    /** Nodes of one broker at most, and characters per node URI at most. */
    static final int MAX_NODES = 16;
    static final int MAX_URI_LENGTH = 512;

    private static String scheme(String uri) {
        return uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT);
    }

    private static boolean checkUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uri: '" + uri + "' is not a URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw new IllegalArgumentException("uri: '" + uri + "' must start with tcp:// or ssl://");
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("uri: '" + uri + "' has no host (tcp://host:1883)");
        }
        if (parsed.getUserInfo() != null) {
            throw new IllegalArgumentException("uri: put the user name and password in username/password, not in the URI");
        }
        return scheme.equals("ssl");
    }

    private static char[] readPassword(Path etc, String file) {
        if (file.isEmpty()) {
            return new char[0];
        }
        Path path = etc.resolve(file);
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            return lines.isEmpty() ? new char[0] : lines.get(0).strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("password.file: cannot read " + path + ": " + e.getMessage());
        }
    }

    private static Path file(Path etc, String key, String name) {
        String n = text(name);
        if (n.isEmpty()) {
            return null;
        }
        Path path = etc.resolve(n);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(key + ": cannot read " + path);
        }
        return path;
    }

    private static List<String> list(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static String strip(String topic) {
        String t = topic;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}
