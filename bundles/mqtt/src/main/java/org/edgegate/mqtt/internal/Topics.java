package org.edgegate.mqtt.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's topic tree under one prefix ({@code edgegate/<gateway>} by default): see docs/mqtt.md.
 */
public final class Topics {
    /** State keys commanded through {@code state/<key>/set} have at most this many segments. */
    static final int MAX_COMMAND_DEPTH = 8;

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    public String status() {
        return prefix + "/status";
    }

    String sensor(String sensorId) {
        return prefix + "/sensor/" + level(sensorId);
    }

    public String channel(String sensorId, String channel) {
        return sensor(sensorId) + "/" + level(channel);
    }

    public String state(String key) {
        return prefix + "/state/" + path(key);
    }

    String camera(String cameraId) {
        return prefix + "/camera/" + level(cameraId);
    }

    public String image(String cameraId) {
        return camera(cameraId) + "/image";
    }

    /** A clip rule's event messages (one per clip, not retained). */
    public String clip(String rule) {
        return prefix + "/clip/" + level(rule);
    }

    /** The retained summary of a rule's last clip. */
    public String clipLast(String rule) {
        return clip(rule) + "/last";
    }

    /** Retained facts about the gateway (remote configuration on). */
    String info() {
        return prefix + "/info";
    }

    /** A configuration's retained current properties (secrets masked). */
    String config(String pid) {
        return prefix + "/config/" + pid;
    }

    String configResult(String pid) {
        return config(pid) + "/result";
    }

    /**
     * Requests of remote configuration: {@code <prefix>/config/<pid>/set} and {@code .../delete}, and the same with
     * an alias of two levels ({@code sensor/th}, {@link PidAlias}).
     */
    List<String> configFilters() {
        return List.of(prefix + "/config/+/set", prefix + "/config/+/delete", prefix + "/config/+/+/set",
                prefix + "/config/+/+/delete");
    }

    /**
     * What a request topic ending in {@code /<verb>} names: a PID, or an alias {@code kind/id} (one slash); null if
     * the topic is not one.
     */
    String configTarget(String topic, String verb) {
        String head = prefix + "/config/";
        String tail = "/" + verb;
        if (!topic.startsWith(head) || !topic.endsWith(tail) || topic.length() <= head.length() + tail.length()) {
            return null;
        }
        String target = topic.substring(head.length(), topic.length() - tail.length());
        int slash = target.indexOf('/');
        return slash < 0 || slash > 0 && slash < target.length() - 1 && slash == target.lastIndexOf('/') ? target
                : null;
    }

    public String stateSet(String key) {
        return state(key) + "/set";
    }

    /**
     * The subscriptions that receive {@code <prefix>/state/<key>/set} for keys of 1 to {@value #MAX_COMMAND_DEPTH}
     * segments, one filter per depth: unlike {@code state/#} they never echo the bridge's own state messages.
     */
    List<String> commandFilters() {
        List<String> filters = new ArrayList<>();
        StringBuilder levels = new StringBuilder();
        for (int depth = 1; depth <= MAX_COMMAND_DEPTH; depth++) {
            levels.append("+/");
            filters.add(prefix + "/state/" + levels + "set");
        }
        return filters;
    }

    /** The state key of a command topic, or null if the topic is not {@code <prefix>/state/<key>/set}. */
    String commandKey(String topic) {
        String head = prefix + "/state/";
        if (!topic.startsWith(head) || !topic.endsWith("/set") || topic.length() <= head.length() + 4) {
            return null;
        }
        return topic.substring(head.length(), topic.length() - 4);
    }

    /** One topic level: {@code /}, {@code +}, {@code #} and control characters become {@code _}. */
    static String level(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '/' || c == '+' || c == '#' || Character.isISOControl(c) ? '_' : c);
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    /** A state key as topic levels: {@code +} and {@code #} become {@code _}, slashes stay. */
    static String path(String key) {
        return key.replace('+', '_').replace('#', '_');
    }

    /** Whether the text is one topic level a user may configure: not empty, no / + # or whitespace. */
    static boolean isPlainLevel(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '+' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** An identifier Home Assistant accepts in discovery topics and unique ids: [a-zA-Z0-9_-]. */
    public static String haId(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        return out.toString();
    }
}
